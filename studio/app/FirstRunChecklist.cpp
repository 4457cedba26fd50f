#include "app/FirstRunChecklist.h"

#include "common/Heading.h"

#include <algorithm>

#include <QGridLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace {

struct StepText {
    const char* title;
    const char* button;
    const char* page; // empty: the button does something else
};

const StepText kSteps[FirstRunChecklist::kStepCount] = {
    {QT_TRANSLATE_NOOP("FirstRunChecklist", "Sign in to your Reelgate server"),
     QT_TRANSLATE_NOOP("FirstRunChecklist", "Sign in..."), ""},
    {QT_TRANSLATE_NOOP("FirstRunChecklist", "Turn on creator mode to sell videos"),
     QT_TRANSLATE_NOOP("FirstRunChecklist", "Become a creator"), ""},
    {QT_TRANSLATE_NOOP("FirstRunChecklist", "Import a video into the Library"),
     QT_TRANSLATE_NOOP("FirstRunChecklist", "Open Library"), "library"},
    {QT_TRANSLATE_NOOP("FirstRunChecklist", "Design the watermark viewers see"),
     QT_TRANSLATE_NOOP("FirstRunChecklist", "Open Watermark"), "watermark"},
    {QT_TRANSLATE_NOOP("FirstRunChecklist", "Transcode it into a streaming package"),
     QT_TRANSLATE_NOOP("FirstRunChecklist", "Open Transcode"), "transcode"},
    {QT_TRANSLATE_NOOP("FirstRunChecklist", "Publish it with a price"),
     QT_TRANSLATE_NOOP("FirstRunChecklist", "Open Publish"), "publish"},
};

} // namespace

FirstRunChecklist::FirstRunChecklist(ApiClient& api, AuthSession& session, LibraryStore& library,
                                     TranscodeQueue& queue, QWidget* parent)
    : QWidget(parent)
    , api_(api)
    , session_(session)
    , library_(library)
    , queue_(queue) {
    auto* layout = new QVBoxLayout(this);
    usePageMargins(layout);
    layout->addWidget(pageHeading(tr("Get started"), this));
    summary_ = new QLabel(this);
    summary_->setWordWrap(true);
    layout->addWidget(summary_);
    auto* grid = new QGridLayout;
    grid->setHorizontalSpacing(16);
    grid->setVerticalSpacing(10);
    for (int i = 0; i < kStepCount; ++i) {
        labels_[i] = new QLabel(this);
        actions_[i] = new QPushButton(tr(kSteps[i].button), this);
        grid->addWidget(labels_[i], i, 0);
        grid->addWidget(actions_[i], i, 1);
        const QString page = QString::fromLatin1(kSteps[i].page);
        connect(actions_[i], &QPushButton::clicked, this, [this, i, page] {
            if (i == SignIn)
                emit signInRequested();
            else if (i == BecomeCreator)
                api_.call("POST", "/api/me/creator", {}, [this](const ApiResult& result) {
                    if (result.ok())
                        session_.restore();
                });
            else
                emit pageRequested(page);
        });
    }
    grid->setColumnStretch(0, 1);
    layout->addLayout(grid);
    layout->addStretch(1);

    connect(&session_, &AuthSession::signedIn, this, &FirstRunChecklist::refresh);
    connect(&session_, &AuthSession::signedOut, this, &FirstRunChecklist::refresh);
    connect(&library_, &LibraryStore::changed, this, &FirstRunChecklist::refresh);
    connect(&queue_, &TranscodeQueue::entriesChanged, this, &FirstRunChecklist::refresh);
    connect(&queue_, &TranscodeQueue::entryChanged, this, &FirstRunChecklist::refresh);
    refresh();
}

bool FirstRunChecklist::allDone() const {
    return std::all_of(std::begin(done_), std::end(done_), [](bool done) { return done; });
}

void FirstRunChecklist::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    refresh();
}

void FirstRunChecklist::mark(Step step, bool done) {
    done_[step] = done;
    labels_[step]->setText((done ? QString::fromUtf8("\u2714  ") : QString::fromUtf8("\u25CB  ")) +
                           tr(kSteps[step].title));
    labels_[step]->setEnabled(!done);
    actions_[step]->setVisible(!done);
    const int left = static_cast<int>(std::count(std::begin(done_), std::end(done_), false));
    summary_->setText(left == 0
                          ? tr("All done: your video is on sale.")
                          : (left == 1 ? tr("One step to your first video on sale.")
                                       : tr("%1 steps to your first video on sale.").arg(left)));
}

void FirstRunChecklist::refresh() {
    const bool signedIn = session_.isSignedIn();
    mark(SignIn, signedIn);
    mark(BecomeCreator, signedIn && session_.user().isCreator());
    const QList<LibraryItem> items = library_.items();
    mark(Import, !items.isEmpty());
    bool transcoded = false;
    for (const QueueEntry& entry : queue_.entries())
        transcoded = transcoded || entry.state == QueueState::Succeeded;
    // A transcode carries a mark design, the studio default if the creator kept it.
    const bool designed = transcoded || std::any_of(items.begin(), items.end(), [](const auto& i) {
                              return !i.watermarkJson.isEmpty();
                          });
    mark(DesignMark, designed);
    mark(Transcode, transcoded);
    actions_[SignIn]->setEnabled(!signedIn);
    actions_[BecomeCreator]->setEnabled(signedIn);
    const int generation = ++generation_;
    if (!done_[BecomeCreator]) {
        mark(Publish, false);
        return;
    }
    api_.get("/api/me/videos", [this, generation](const ApiResult& result) {
        if (generation != generation_)
            return;
        const QJsonArray videos = result.body.value("videos").toArray();
        const bool published = std::any_of(videos.begin(), videos.end(), [](const QJsonValue& v) {
            return v.toObject().value("state").toString() == "published";
        });
        mark(Publish, result.ok() && published);
        if (allDone())
            emit completed();
    });
}
