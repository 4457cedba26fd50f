#include "admin/SiteTextsBox.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTime>
#include <QVBoxLayout>

namespace {
int characters(const QString& text) {
    return static_cast<int>(text.toUcs4().size()); // not UTF-16 units: the server counts these
}
} // namespace

SiteTextsBox::SiteTextsBox(ApiClient& api, QWidget* parent)
    : QGroupBox(tr("Site texts"), parent)
    , api_(api) {
    setObjectName("siteTexts");
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    key_ = new QComboBox(this);
    key_->setObjectName("siteTextKey");
    key_->addItem(tr("Terms of use"), "terms");
    key_->addItem(tr("Privacy"), "privacy");
    key_->addItem(tr("Refund policy (shown before buying)"), "refund_policy");
    top->addWidget(key_);
    source_ = new QLabel(this);
    source_->setObjectName("siteTextSource");
    top->addWidget(source_, 1);
    layout->addLayout(top);
    body_ = new QPlainTextEdit(this);
    body_->setObjectName("siteTextBody");
    body_->setPlaceholderText(tr("Plain text; an empty line starts a new paragraph."));
    body_->setMinimumHeight(120);
    layout->addWidget(body_, 1);
    auto* actions = new QHBoxLayout;
    save_ = new QPushButton(tr("Save text"), this);
    save_->setObjectName("saveSiteText");
    count_ = new QLabel(this);
    count_->setObjectName("siteTextCount");
    actions->addWidget(save_);
    actions->addWidget(count_, 1);
    layout->addLayout(actions);
    status_ = new QLabel(this);
    status_->setObjectName("siteTextStatus");
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(status_);

    connect(key_, &QComboBox::currentIndexChanged, this, [this] { showText(currentKey()); });
    connect(body_, &QPlainTextEdit::textChanged, this, [this] {
        if (!shownKey_.isEmpty())
            edited_[shownKey_] = body_->toPlainText();
        showCount();
    });
    connect(save_, &QPushButton::clicked, this, &SiteTextsBox::save);
    clear();
}

QString SiteTextsBox::currentKey() const {
    return key_->currentData().toString();
}

void SiteTextsBox::setStatus(const QString& text, bool error) {
    status_->setStyleSheet(error ? "color: #b00020;" : QString());
    status_->setText(text);
}

void SiteTextsBox::showCount() {
    const int used = characters(body_->toPlainText());
    const bool tooLong = used > kMaxChars;
    count_->setStyleSheet(tooLong ? "color: #b00020;" : QString());
    count_->setText(tr("%1 / %2 characters").arg(used).arg(kMaxChars));
    save_->setEnabled(loaded_.contains(shownKey_) && used > 0 && !tooLong &&
                      body_->toPlainText().trimmed().size() > 0);
}

void SiteTextsBox::showText(const QString& key) {
    shownKey_ = QString(); // no edit is recorded while the text is replaced
    body_->setEnabled(loaded_.contains(key));
    body_->setPlainText(edited_.value(key, loaded_.value(key)));
    shownKey_ = key;
    if (!loaded_.contains(key))
        source_->clear();
    else if (setAt_.value(key).isEmpty())
        source_->setText(tr("The default text (not set yet)"));
    else
        source_->setText(tr("Set %1").arg(setAt_.value(key)));
    showCount();
}

void SiteTextsBox::reload() {
    const int generation = ++generation_;
    loaded_.clear();
    edited_.clear();
    showText(currentKey());
    setStatus(tr("Loading the site texts ..."), false);
    for (const QString& key : keys()) {
        api_.get("/api/site/" + key, [this, generation, key](const ApiResult& result) {
            if (generation != generation_)
                return;
            if (!result.ok()) {
                setStatus(tr("Could not load the site texts: %1").arg(result.errorMessage), true);
                return;
            }
            const QJsonObject text = result.body.value("text").toObject();
            loaded_[key] = text.value("body").toString();
            setAt_[key] = text.value("updated_at").toString();
            if (key == currentKey())
                showText(key);
            if (loaded())
                setStatus(tr("Loaded at %1.").arg(QTime::currentTime().toString("HH:mm:ss")),
                          false);
        });
    }
}

void SiteTextsBox::save() {
    const QString key = currentKey();
    if (!loaded_.contains(key))
        return;
    const int generation = generation_;
    const QString body = body_->toPlainText();
    save_->setEnabled(false);
    setStatus(tr("Saving ..."), false);
    api_.call("PUT", "/api/admin/site/" + key, QJsonObject{{"body", body}},
              [this, generation, key](const ApiResult& result) {
                  if (generation != generation_)
                      return;
                  if (result.ok()) {
                      const QJsonObject text = result.body.value("text").toObject();
                      loaded_[key] = text.value("body").toString();
                      setAt_[key] = text.value("updated_at").toString();
                      edited_.remove(key);
                      if (key == currentKey())
                          showText(key);
                      setStatus(tr("Saved at %1: visitors see it now.")
                                    .arg(QTime::currentTime().toString("HH:mm:ss")),
                                false);
                  } else {
                      setStatus(tr("Not saved: %1").arg(result.errorMessage), true);
                  }
                  if (key == currentKey())
                      showCount();
              });
}

void SiteTextsBox::clear() {
    ++generation_;
    loaded_.clear();
    edited_.clear();
    setAt_.clear();
    setStatus({}, false);
    showText(currentKey());
}
