#pragma once
// "My videos" on the Publish page: the signed-in creator's videos with their state, price and
// affiliate rate, and an Edit button (enabled once a video is selected; a double-click does the
// same) that opens the VideoEditDialog, where every field is edited and the video unpublished,
// published again or deleted. Refreshes after each accepted change. GUI thread only.

#include "net/ApiClient.h"

#include <QWidget>

class QPushButton;
class QTableWidget;
class VideoEditDialog;

class MyVideosList : public QWidget {
    Q_OBJECT
public:
    MyVideosList(ApiClient& api, QWidget* parent);

    QTableWidget* table() const { return table_; }
    QPushButton* editButton() const { return edit_; }
    void setMaxAffiliateBps(int bps) { maxAffiliateBps_ = bps; }

    void refresh();
    void clear();
    // Opens the editor for the video in `row`; nullptr when there is none.
    VideoEditDialog* editVideo(int row);

private:
    ApiClient& api_;
    int maxAffiliateBps_ = 9000;
    QTableWidget* table_;
    QPushButton* edit_;
};
