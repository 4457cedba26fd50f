#include "admin/UsersPanel.h"

#include <QColor>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

namespace {
constexpr int kSearchDelayMs = 300; // wait for a pause in typing before asking the server

enum Column { Username, Email, Roles, Status, Joined };

bool hasRole(const QJsonObject& user, const QString& role) {
    return user.value("roles").toArray().contains(role);
}

QString rolesText(const QJsonObject& user) {
    QStringList roles;
    if (hasRole(user, "admin"))
        roles.append(QObject::tr("Admin"));
    if (hasRole(user, "creator"))
        roles.append(QObject::tr("Creator"));
    return roles.isEmpty() ? QObject::tr("Buyer") : roles.join(", ");
}

bool suspended(const QJsonObject& user) {
    return user.value("status").toString() == "suspended";
}

QString joined(const QString& isoUtc) {
    QDateTime when = QDateTime::fromString(isoUtc, Qt::ISODate);
    if (!when.isValid())
        return isoUtc;
    when.setTimeSpec(Qt::UTC);
    return QLocale().toString(when.toLocalTime().date(), QLocale::ShortFormat);
}
} // namespace

UsersPanel::UsersPanel(ApiClient& api, QWidget* parent)
    : QWidget(parent)
    , api_(api)
    , searchDelay_(new QTimer(this)) {
    auto* layout = new QVBoxLayout(this);
    auto* searchRow = new QHBoxLayout;
    search_ = new QLineEdit(this);
    search_->setObjectName("userSearch");
    search_->setPlaceholderText(tr("Search by username or email"));
    search_->setClearButtonEnabled(true);
    reload_ = new QPushButton(tr("Reload"), this);
    searchRow->addWidget(search_, 1);
    searchRow->addWidget(reload_);
    layout->addLayout(searchRow);

    table_ = new QTableWidget(0, 5, this);
    table_->setObjectName("users");
    table_->setHorizontalHeaderLabels(
        {tr("Username"), tr("Email"), tr("Roles"), tr("Status"), tr("Joined")});
    table_->horizontalHeader()->setSectionResizeMode(Email, QHeaderView::Stretch);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->hide();
    layout->addWidget(table_, 1);

    auto* actions = new QHBoxLayout;
    suspend_ = new QPushButton(tr("Suspend"), this);
    suspend_->setObjectName("suspendUser");
    creator_ = new QPushButton(tr("Make creator"), this);
    creator_->setObjectName("creatorRole");
    admin_ = new QPushButton(tr("Make admin"), this);
    admin_->setObjectName("adminRole");
    actions->addWidget(suspend_);
    actions->addWidget(creator_);
    actions->addWidget(admin_);
    actions->addStretch(1);
    layout->addLayout(actions);
    status_ = new QLabel(this);
    status_->setObjectName("usersStatus");
    status_->setWordWrap(true);
    layout->addWidget(status_);

    searchDelay_->setSingleShot(true);
    searchDelay_->setInterval(kSearchDelayMs);
    connect(search_, &QLineEdit::textChanged, searchDelay_, qOverload<>(&QTimer::start));
    connect(searchDelay_, &QTimer::timeout, this, &UsersPanel::reload);
    connect(reload_, &QPushButton::clicked, this, &UsersPanel::reload);
    connect(table_, &QTableWidget::itemSelectionChanged, this, &UsersPanel::updateActions);
    connect(suspend_, &QPushButton::clicked, this, [this] {
        const QJsonObject user = selectedUser();
        const QString id = QString::number(user.value("id").toInteger());
        suspended(user)
            ? act(tr("%1 is active again.").arg(user.value("username").toString()),
                  "/api/admin/users/" + id + "/reinstate", {})
            : act(tr("%1 is suspended: signed out everywhere and unable to sign in until "
                     "reinstated.")
                      .arg(user.value("username").toString()),
                  "/api/admin/users/" + id + "/suspend", {});
    });
    connect(creator_, &QPushButton::clicked, this, [this] {
        const QJsonObject user = selectedUser();
        const bool grant = !hasRole(user, "creator");
        act(grant ? tr("%1 may now publish videos.").arg(user.value("username").toString())
                  : tr("%1 is no longer a creator.").arg(user.value("username").toString()),
            QString("/api/admin/users/%1/roles").arg(user.value("id").toInteger()),
            {{"creator", grant}});
    });
    connect(admin_, &QPushButton::clicked, this, [this] {
        const QJsonObject user = selectedUser();
        const bool grant = !hasRole(user, "admin");
        act(grant ? tr("%1 is now an admin.").arg(user.value("username").toString())
                  : tr("%1 is no longer an admin.").arg(user.value("username").toString()),
            QString("/api/admin/users/%1/roles").arg(user.value("id").toInteger()),
            {{"admin", grant}});
    });
    updateActions();
}

void UsersPanel::setStatus(const QString& text, bool error) {
    status_->setStyleSheet(error ? "color: #b00020;" : QString());
    status_->setText(text);
}

void UsersPanel::reload() {
    searchDelay_->stop();
    const int generation = ++generation_;
    const QString search = search_->text().trimmed();
    setStatus(tr("Loading users ..."), false);
    loading_ = true;
    api_.get("/api/admin/users" +
                 (search.isEmpty() ? QString() : "?search=" + QUrl::toPercentEncoding(search)),
             [this, generation, search](const ApiResult& result) {
                 if (generation != generation_)
                     return;
                 loading_ = false;
                 if (!result.ok()) {
                     setStatus(tr("Could not load the users: %1").arg(result.errorMessage), true);
                     return;
                 }
                 loaded_ = true;
                 const QJsonArray users = result.body.value("users").toArray();
                 showUsers(users);
                 const int count = static_cast<int>(users.size());
                 QString text = count == 1 ? tr("1 account") : tr("%1 accounts").arg(count);
                 text += search.isEmpty() ? "." : tr(" match \"%1\".").arg(search);
                 if (users.size() >= kServerLimit)
                     text += " " + tr("Only the first %1 are listed; search to narrow them down.")
                                       .arg(kServerLimit);
                 setStatus(text, false);
             });
}

void UsersPanel::showUsers(const QJsonArray& users) {
    const QJsonObject selected = selectedUser();
    table_->setRowCount(0);
    users_.clear();
    table_->setRowCount(static_cast<int>(users.size()));
    for (int row = 0; row < users.size(); ++row) {
        users_.append(users[row].toObject());
        replaceRow(row, users_.last());
    }
    table_->resizeColumnToContents(Username);
    if (!selected.isEmpty())
        selectUser(selected.value("username").toString());
    updateActions();
}

void UsersPanel::replaceRow(int row, const QJsonObject& user) {
    users_[row] = user;
    const QString texts[] = {user.value("username").toString(), user.value("email").toString(),
                             rolesText(user), suspended(user) ? tr("Suspended") : tr("Active"),
                             joined(user.value("created_at").toString())};
    for (int column = Username; column <= Joined; ++column) {
        auto* item = new QTableWidgetItem(texts[column]);
        if (column == Status && suspended(user))
            item->setForeground(QColor("#b00020"));
        table_->setItem(row, column, item);
    }
}

bool UsersPanel::selectUser(const QString& username) {
    for (int row = 0; row < users_.size(); ++row) {
        if (users_[row].value("username").toString() == username) {
            table_->selectRow(row);
            return true;
        }
    }
    return false;
}

QJsonObject UsersPanel::selectedUser() const {
    const auto rows = table_->selectionModel()->selectedRows();
    if (rows.isEmpty() || rows.first().row() >= users_.size())
        return {};
    return users_[rows.first().row()];
}

void UsersPanel::updateActions() {
    const QJsonObject user = selectedUser();
    const bool any = !user.isEmpty();
    for (QPushButton* button : {suspend_, creator_, admin_})
        button->setEnabled(any);
    suspend_->setText(any && suspended(user) ? tr("Reinstate") : tr("Suspend"));
    creator_->setText(any && hasRole(user, "creator") ? tr("Remove creator role")
                                                      : tr("Make creator"));
    admin_->setText(any && hasRole(user, "admin") ? tr("Remove admin role") : tr("Make admin"));
}

void UsersPanel::act(const QString& done, const QString& path, const QJsonObject& body) {
    const QJsonObject user = selectedUser();
    if (user.isEmpty())
        return;
    const qint64 id = user.value("id").toInteger();
    const int generation = generation_;
    for (QPushButton* button : {suspend_, creator_, admin_})
        button->setEnabled(false);
    api_.call("POST", path, body, [this, done, id, generation](const ApiResult& result) {
        if (generation != generation_)
            return;
        if (!result.ok()) {
            setStatus(result.errorMessage, true);
            updateActions();
            return;
        }
        const QJsonObject changed = result.body.value("user").toObject();
        for (int row = 0; row < users_.size(); ++row) {
            if (users_[row].value("id").toInteger() == id)
                replaceRow(row, changed);
        }
        setStatus(done, false);
        updateActions();
    });
}

void UsersPanel::clear() {
    ++generation_;
    searchDelay_->stop();
    loaded_ = false;
    loading_ = false;
    users_.clear();
    table_->setRowCount(0);
    search_->blockSignals(true);
    search_->clear();
    search_->blockSignals(false);
    setStatus({}, false);
    updateActions();
}
