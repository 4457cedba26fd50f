#include "transcode/QueueEntry.h"

QString queueStateName(QueueState state) {
    switch (state) {
    case QueueState::Queued:
        return "queued";
    case QueueState::Running:
        return "running";
    case QueueState::Succeeded:
        return "finished";
    case QueueState::Failed:
        return "failed";
    case QueueState::Cancelled:
        return "cancelled";
    case QueueState::Invalid:
        break;
    }
    return "invalid";
}

QueueState queueStateFromName(const QString& name) {
    for (QueueState state : {QueueState::Queued, QueueState::Running, QueueState::Succeeded,
                             QueueState::Failed, QueueState::Cancelled}) {
        if (queueStateName(state) == name)
            return state;
    }
    return QueueState::Invalid;
}
