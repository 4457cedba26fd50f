#pragma once
// Library: the creator's source videos. Import with the button, by dropping files on the page,
// or from the command line ("Open with"); each file is probed and thumbnailed off the UI thread
// (MediaImportJob) and kept in LibraryStore. Files that are unreadable, have no video or are
// already in the library are refused with one message listing them; nothing is added for them.
// Observes jobs and the store; does no media work itself. GUI thread.

#include "library/LibraryStore.h"

#include <QMessageBox>
#include <QPointer>
#include <QWidget>

class QLabel;
class QListWidget;

class QPushButton;
class MediaImportJob;

class LibraryPage : public QWidget {
    Q_OBJECT
public:
    LibraryPage(LibraryStore& store, QWidget* parent);

    // Inspects and adds these files (absolute or relative paths).
    void importFiles(const QStringList& paths);
    bool isImporting() const { return !jobs_.isEmpty(); }

    // For tests and automation.
    QListWidget* list() const { return list_; }
    QPushButton* importButton() const { return import_; }
    QPushButton* removeButton() const { return remove_; }
    QLabel* statusLabel() const { return status_; }
    QLabel* detailsLabel() const { return details_; }
    QMessageBox* lastMessage() const { return lastMessage_; }

signals:
    // An import batch is done (everything added or refused).
    void importFinished();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void chooseFiles();
    void removeSelected();
    void refresh();
    void showDetails();
    void onInspected(const LibraryItem& item);

    LibraryStore& store_;
    QList<MediaImportJob*> jobs_;
    QStringList refusals_;
    int added_ = 0;
    QListWidget* list_;
    QPushButton* import_;
    QPushButton* remove_;
    QLabel* status_;
    QLabel* details_;
    QPointer<QMessageBox> lastMessage_;
};
