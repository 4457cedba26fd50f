#pragma once
// A page for an area that is not built yet: says what will live there. No fake data.

#include <QWidget>

class PlaceholderPage : public QWidget {
    Q_OBJECT
public:
    PlaceholderPage(const QString& title, const QString& description, QWidget* parent);
};
