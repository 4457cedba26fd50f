#pragma once
// "Get started": the six steps from a fresh install to a video on sale (sign in, turn on
// creator mode, import, design the mark, transcode, publish), each ticked when done and with a
// button that leads to it. The studio opens on it until every step is done (StudioSettings
// remembers that). Reads the session, library, transcode queue and the creator's videos; GUI
// thread.

#include "library/LibraryStore.h"
#include "net/ApiClient.h"
#include "net/AuthSession.h"
#include "transcode/TranscodeQueue.h"

#include <QWidget>

class QLabel;
class QPushButton;

class FirstRunChecklist : public QWidget {
    Q_OBJECT
public:
    enum Step { SignIn, BecomeCreator, Import, DesignMark, Transcode, Publish, kStepCount };

    FirstRunChecklist(ApiClient& api, AuthSession& session, LibraryStore& library,
                      TranscodeQueue& queue, QWidget* parent);

    bool isDone(Step step) const { return done_[step]; }
    bool allDone() const;
    QPushButton* actionButton(Step step) const { return actions_[step]; }
    QLabel* stepLabel(Step step) const { return labels_[step]; }
    QLabel* summaryLabel() const { return summary_; }

    // Looks at everything again (the published-video step asks the server).
    void refresh();

signals:
    void pageRequested(const QString& key);
    void signInRequested();
    void completed();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void mark(Step step, bool done);

    ApiClient& api_;
    AuthSession& session_;
    LibraryStore& library_;
    TranscodeQueue& queue_;
    bool done_[kStepCount] = {};
    QLabel* labels_[kStepCount] = {};
    QPushButton* actions_[kStepCount] = {};
    QLabel* summary_;
    int generation_ = 0;
};
