#pragma once
// The bold, enlarged titles of the studio's pages (scale 1.6) and of sections within them.
// Every page starts with pageHeading() inside usePageMargins(), so titles sit at one place.

#include <QLabel>
#include <QLayout>

inline QLabel* heading(const QString& text, QWidget* parent, qreal scale = 1.6) {
    auto* label = new QLabel(text, parent);
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * scale);
    font.setBold(true);
    label->setFont(font);
    return label;
}

inline void usePageMargins(QLayout* layout) {
    layout->setContentsMargins(32, 28, 32, 28); // px: left, top, right, bottom
}

inline QLabel* pageHeading(const QString& text, QWidget* parent) {
    QLabel* label = heading(text, parent);
    label->setObjectName("pageHeading");
    return label;
}
