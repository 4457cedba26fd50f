#pragma once
// The bold, enlarged titles of the studio's pages (scale 1.6) and of sections within them.

#include <QLabel>

inline QLabel* heading(const QString& text, QWidget* parent, qreal scale = 1.6) {
    auto* label = new QLabel(text, parent);
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * scale);
    font.setBold(true);
    label->setFont(font);
    return label;
}
