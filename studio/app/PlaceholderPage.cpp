#include "app/PlaceholderPage.h"

#include <QLabel>
#include <QVBoxLayout>

PlaceholderPage::PlaceholderPage(const QString& title, const QString& description, QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(32, 28, 32, 28);
    auto* heading = new QLabel(title, this);
    heading->setObjectName("pageTitle");
    QFont font = heading->font();
    font.setPointSizeF(font.pointSizeF() * 1.6);
    font.setBold(true);
    heading->setFont(font);
    auto* text = new QLabel(description, this);
    text->setWordWrap(true);
    text->setObjectName("pageDescription");
    layout->addWidget(heading);
    layout->addSpacing(8);
    layout->addWidget(text);
    layout->addStretch(1);
}
