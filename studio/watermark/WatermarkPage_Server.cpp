// WatermarkPage: the designs of published videos, kept on the server (GET/PUT
// /api/videos/{id}/watermark). The seed stays the published video's own: the form's seed
// belongs to the library item being previewed, so it is never sent.

#include "watermark/WatermarkPage.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>

QLayout* WatermarkPage::buildPublishedRow() {
    auto* row = new QHBoxLayout;
    published_->setObjectName("publishedVideos");
    published_->setMinimumContentsLength(16);
    published_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    published_->setPlaceholderText(tr("sign in as a creator"));
    loadPublished_->setToolTip(tr("Put this published video's current design in the form."));
    savePublished_->setToolTip(tr("Viewers of this published video see this design from their "
                                  "next playback on; the preview here moves the same way."));
    row->addWidget(published_, 1);
    row->addWidget(loadPublished_);
    row->addWidget(savePublished_);
    connect(loadPublished_, &QPushButton::clicked, this, &WatermarkPage::loadFromPublished);
    connect(savePublished_, &QPushButton::clicked, this, &WatermarkPage::saveToPublished);
    connect(published_, &QComboBox::currentIndexChanged, this, &WatermarkPage::enablePublishedRow);
    enablePublishedRow();
    return row;
}

void WatermarkPage::setApi(ApiClient* api) {
    api_ = api;
    refreshPublished();
}

void WatermarkPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    refreshPublished(); // the account may have changed since
}

void WatermarkPage::enablePublishedRow() {
    const bool chosen = published_->currentIndex() >= 0;
    loadPublished_->setEnabled(chosen);
    savePublished_->setEnabled(chosen && formValid_);
}

void WatermarkPage::refreshPublished() {
    if (!api_ || api_->token().isEmpty()) {
        published_->clear(); // nothing of a previous account stays
        enablePublishedRow();
        return;
    }
    api_->get("/api/me/videos", [this](const ApiResult& result) {
        const QString keep = published_->currentData().toString();
        published_->clear();
        for (const auto& item : result.body.value("videos").toArray()) {
            const QJsonObject video = item.toObject();
            const QString state = video.value("state").toString();
            if (state == "published" || state == "unpublished")
                published_->addItem(video.value("title").toString(), video.value("id").toString());
        }
        if (const int index = published_->findData(keep); index >= 0)
            published_->setCurrentIndex(index);
        enablePublishedRow();
    });
}

void WatermarkPage::loadFromPublished() {
    if (!api_ || published_->currentIndex() < 0)
        return;
    const QString title = published_->currentText();
    api_->get("/api/videos/" + published_->currentData().toString() + "/watermark",
              [this, title](const ApiResult& result) {
                  if (!result.ok()) {
                      setStatus(result.errorMessage, true);
                      return;
                  }
                  QString error;
                  auto spec =
                      WatermarkSpec::fromJson(result.body.value("watermark").toObject(), &error);
                  if (!spec) {
                      setStatus(error, true);
                      return;
                  }
                  spec->seed = seed_; // the preview keeps its own video's seed
                  showSpec(*spec);
                  setStatus(tr("The design of \"%1\" is in the form.").arg(title));
              });
}

void WatermarkPage::saveToPublished() {
    if (!api_ || published_->currentIndex() < 0)
        return;
    QJsonObject spec = currentSpec().toJson();
    spec.remove("seed");
    const QString title = published_->currentText();
    savePublished_->setEnabled(false);
    api_->call("PUT", "/api/videos/" + published_->currentData().toString() + "/watermark", spec,
               [this, title](const ApiResult& result) {
                   enablePublishedRow();
                   if (!result.ok()) {
                       setStatus(result.errorMessage, true);
                       return;
                   }
                   setStatus(tr("Saved on the server for \"%1\": viewers see it from their next "
                                "playback on.")
                                 .arg(title));
               });
}

void WatermarkPage::setStatus(const QString& text, bool error) {
    status_->setText(text);
    status_->setStyleSheet(error ? "color: #d9534f;" : QString());
}
