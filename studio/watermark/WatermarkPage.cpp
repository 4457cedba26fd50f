#include "watermark/WatermarkPage.h"

#include "common/Heading.h"

#include "watermark/WatermarkPreview.h"

#include <QCheckBox>
#include <QColorDialog>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

WatermarkPage::WatermarkPage(LibraryStore& library, QWidget* parent)
    : QWidget(parent)
    , library_(library)
    , tick_(new QTimer(this))
    , preview_(new WatermarkPreview(this))
    , video_(new QComboBox(this))
    , template_(new QLineEdit(this))
    , username_(new QLineEdit(tr("sample_viewer"), this))
    , fontSize_(new QDoubleSpinBox(this))
    , opacity_(new QSpinBox(this))
    , colorButton_(new QPushButton(this))
    , box_(new QCheckBox(tr("Background box behind the text"), this))
    , boxColorButton_(new QPushButton(this))
    , boxOpacity_(new QSpinBox(this))
    , interval_(new QDoubleSpinBox(this))
    , margin_(new QDoubleSpinBox(this))
    , seedLabel_(new QLabel(this))
    , saveVideo_(new QPushButton(tr("Save for this video"), this))
    , saveDefault_(new QPushButton(tr("Save as default"), this))
    , reset_(new QPushButton(tr("Reset"), this))
    , play_(new QPushButton(tr("Play"), this))
    , position_(new QSlider(Qt::Horizontal, this))
    , timeLabel_(new QLabel(this))
    , status_(new QLabel(this))
    , published_(new QComboBox(this))
    , loadPublished_(new QPushButton(tr("Load"), this))
    , savePublished_(new QPushButton(tr("Save to published video"), this)) {
    auto* layout = new QVBoxLayout(this);
    usePageMargins(layout);
    layout->addWidget(pageHeading(tr("Watermark"), this));
    auto* columns = new QHBoxLayout;
    columns->addWidget(buildForm());
    columns->addWidget(buildPreview(), 1);
    layout->addLayout(columns, 1);

    tick_->setInterval(40);
    connect(tick_, &QTimer::timeout, this, &WatermarkPage::tick);
    connect(&library_, &LibraryStore::changed, this, &WatermarkPage::refreshVideos);
    refreshVideos();
    if (itemId_ == 0)
        showSpec(WatermarkSpec::studioDefault());
}

QWidget* WatermarkPage::buildForm() {
    auto* panel = new QWidget(this);
    panel->setMaximumWidth(400);
    auto* form = new QFormLayout(panel);
    form->setContentsMargins(0, 0, 12, 0);
    form->addRow(tr("Preview on:"), video_);
    template_->setToolTip(tr("{username}: the viewer's name · {time}: the time of day (UTC) · "
                             "{date}: the date (UTC)"));
    form->addRow(tr("Text:"), template_);
    auto* hint = new QLabel(tr("Placeholders: {username}, {time}, {date} (UTC)"), panel);
    hint->setStyleSheet("color: palette(mid);");
    hint->setWordWrap(true);
    form->addRow(QString(), hint);
    username_->setToolTip(tr("Only for this preview; each buyer sees their own name."));
    form->addRow(tr("Sample viewer:"), username_);
    fontSize_->setRange(0.5, 20);
    fontSize_->setSingleStep(0.5);
    fontSize_->setDecimals(1);
    fontSize_->setSuffix(tr(" % of height"));
    form->addRow(tr("Font size:"), fontSize_);
    opacity_->setRange(5, 100);
    opacity_->setSuffix(" %");
    form->addRow(tr("Text opacity:"), opacity_);
    form->addRow(tr("Text colour:"), colorButton_);
    form->addRow(QString(), box_);
    form->addRow(tr("Box colour:"), boxColorButton_);
    boxOpacity_->setRange(0, 100);
    boxOpacity_->setSuffix(" %");
    form->addRow(tr("Box opacity:"), boxOpacity_);
    interval_->setRange(WatermarkSpec::kMinIntervalMs / 1000.0,
                        WatermarkSpec::kMaxIntervalMs / 1000.0);
    interval_->setDecimals(1);
    interval_->setSingleStep(0.5);
    interval_->setSuffix(tr(" s"));
    interval_->setToolTip(tr("The mark jumps to a new place this often during playback."));
    form->addRow(tr("Move every:"), interval_);
    margin_->setRange(0, 25);
    margin_->setDecimals(1);
    margin_->setSingleStep(0.5);
    margin_->setSuffix(tr(" % of height"));
    form->addRow(tr("Margin:"), margin_);
    seedLabel_->setToolTip(tr("Chosen once for each video: the path the mark takes."));
    seedLabel_->setStyleSheet("color: palette(mid);");
    form->addRow(tr("Motion seed:"), seedLabel_);
    saveVideo_->setToolTip(tr("Viewers of this video will see this mark (used by its next "
                              "transcode)."));
    saveDefault_->setToolTip(tr("Videos without their own design use this one."));
    reset_->setToolTip(tr("Back to the default design."));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(saveVideo_);
    buttons->addWidget(saveDefault_);
    buttons->addWidget(reset_);
    form->addRow(buttons);
    form->addRow(tr("Published"), buildPublishedRow());
    status_->setWordWrap(true);
    form->addRow(status_);

    for (QLineEdit* field : {template_, username_})
        connect(field, &QLineEdit::textChanged, this, &WatermarkPage::onFormEdited);
    for (QDoubleSpinBox* spin : {fontSize_, interval_, margin_})
        connect(spin, &QDoubleSpinBox::valueChanged, this, &WatermarkPage::onFormEdited);
    for (QSpinBox* spin : {opacity_, boxOpacity_})
        connect(spin, &QSpinBox::valueChanged, this, &WatermarkPage::onFormEdited);
    connect(box_, &QCheckBox::toggled, this, &WatermarkPage::onFormEdited);
    connect(colorButton_, &QPushButton::clicked, this, [this] {
        const QColor c = QColorDialog::getColor(color_, this, tr("Text colour"));
        if (c.isValid())
            setColor(c);
    });
    connect(boxColorButton_, &QPushButton::clicked, this, [this] {
        const QColor c = QColorDialog::getColor(boxColor_, this, tr("Box colour"));
        if (c.isValid())
            setBoxColor(c);
    });
    connect(video_, &QComboBox::currentIndexChanged, this, &WatermarkPage::onVideoChosen);
    connect(saveVideo_, &QPushButton::clicked, this, &WatermarkPage::saveForVideo);
    connect(saveDefault_, &QPushButton::clicked, this, &WatermarkPage::saveAsDefault);
    connect(reset_, &QPushButton::clicked, this, [this] {
        showSpec(WatermarkSpec::studioDefault());
        setStatus(tr("Back to the default design (not saved yet)."));
    });
    return panel;
}

WatermarkSpec WatermarkPage::currentSpec() const {
    WatermarkSpec spec = preview_->spec();
    spec.templateText = template_->text();
    spec.fontSizePct = fontSize_->value();
    spec.opacity = opacity_->value() / 100.0;
    spec.color = color_;
    spec.box = box_->isChecked();
    spec.boxColor = boxColor_;
    spec.boxOpacity = boxOpacity_->value() / 100.0;
    spec.intervalMs = static_cast<int>(interval_->value() * 1000 + 0.5);
    spec.marginPct = margin_->value();
    spec.motion = WatermarkSpec::kMotion;
    spec.seed = seed_;
    return spec;
}

void WatermarkPage::showSpec(const WatermarkSpec& spec) {
    loadingForm_ = true;
    template_->setText(spec.templateText);
    fontSize_->setValue(spec.fontSizePct);
    opacity_->setValue(static_cast<int>(spec.opacity * 100 + 0.5));
    box_->setChecked(spec.box);
    boxOpacity_->setValue(static_cast<int>(spec.boxOpacity * 100 + 0.5));
    interval_->setValue(spec.intervalMs / 1000.0);
    margin_->setValue(spec.marginPct);
    loadingForm_ = false;
    color_ = spec.color;
    boxColor_ = spec.boxColor;
    paintSwatch(colorButton_, color_);
    paintSwatch(boxColorButton_, boxColor_);
    onFormEdited();
}

void WatermarkPage::setColor(const QColor& color) {
    color_ = color;
    paintSwatch(colorButton_, color);
    onFormEdited();
}

void WatermarkPage::setBoxColor(const QColor& color) {
    boxColor_ = color;
    paintSwatch(boxColorButton_, color);
    onFormEdited();
}

void WatermarkPage::paintSwatch(QPushButton* button, const QColor& color) {
    QPixmap swatch(28, 14);
    swatch.fill(color);
    QPainter painter(&swatch);
    painter.setPen(Qt::gray);
    painter.drawRect(swatch.rect().adjusted(0, 0, -1, -1));
    button->setIcon(QIcon(swatch));
    button->setIconSize(swatch.size());
    button->setText(color.name());
}

void WatermarkPage::onFormEdited() {
    if (loadingForm_)
        return;
    const WatermarkSpec spec = currentSpec();
    QString error;
    formValid_ = WatermarkSpec::fromJson(spec.toJson(), &error).has_value();
    enablePublishedRow();
    if (!formValid_) {
        setStatus(error, true);
        saveVideo_->setEnabled(false);
        saveDefault_->setEnabled(false);
        return;
    }
    setStatus({});
    saveVideo_->setEnabled(itemId_ != 0);
    saveDefault_->setEnabled(true);
    seedLabel_->setText(itemId_ ? QString::number(seed_) : tr("(pick a video)"));
    preview_->setSpec(spec);
    preview_->setUsername(username_->text());
}

void WatermarkPage::saveForVideo() {
    if (itemId_ == 0)
        return;
    library_.setWatermarkJson(itemId_, QString::fromUtf8(currentSpec().toJsonText()));
    setStatus(tr("Saved for \"%1\"; its next transcode carries it.").arg(video_->currentText()));
}

void WatermarkPage::saveAsDefault() {
    WatermarkSpec::setStudioDefault(currentSpec());
    setStatus(tr("Saved as the default for videos without their own design."));
}
