#include "settings/SettingsPage.h"

#include "common/Heading.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

SettingsPage::SettingsPage(ServerConnection& connection, const QString& url, QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    usePageMargins(layout);
    layout->addWidget(pageHeading(tr("Settings"), this));
    layout->addSpacing(12);

    auto* row = new QHBoxLayout;
    url_ = new QLineEdit(url, this);
    url_->setObjectName("serverUrl");
    url_->setPlaceholderText("http://127.0.0.1:8080");
    check_ = new QPushButton(tr("Check connection"), this);
    check_->setObjectName("checkConnection");
    row->addWidget(url_, 1);
    row->addWidget(check_);
    auto* form = new QFormLayout;
    form->addRow(tr("Reelgate server"), row);
    layout->addLayout(form);

    status_ = new QLabel(tr("Not checked yet."), this);
    status_->setObjectName("connectionStatus");
    status_->setWordWrap(true);
    layout->addWidget(status_);
    auto* hint = new QLabel(tr("The studio uploads your videos to this server and reads your "
                               "sales from it."),
                            this);
    hint->setWordWrap(true);
    hint->setEnabled(false);
    layout->addWidget(hint);
    layout->addStretch(1);

    auto choose = [this] { emit serverUrlChosen(url_->text().trimmed()); };
    connect(check_, &QPushButton::clicked, this, choose);
    connect(url_, &QLineEdit::returnPressed, this, choose);
    connect(&connection, &ServerConnection::stateChanged, this,
            [this](ConnectionState state, const QString& message) {
                status_->setText(message);
                const bool good = state == ConnectionState::Connected;
                const bool busy = state == ConnectionState::Checking;
                status_->setStyleSheet(busy ? "" : good ? "color: #2e9d5b;" : "color: #d9534f;");
            });
}
