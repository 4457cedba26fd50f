#include "app/MainWindow.h"

#include "admin/AdminPage.h"
#include "app/FirstRunChecklist.h"
#include "library/LibraryPage.h"
#include "library/LibraryStore.h"
#include "publish/PublishPage.h"
#include "reelgate/core/Version.h"
#include "reelgate/media/LibavVersions.h"
#include "sales/SalesPage.h"
#include "settings/SettingsPage.h"
#include "transcode/TranscodePage.h"
#include "transcode/TranscodeQueue.h"
#include "watermark/WatermarkPage.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QStackedWidget>
#include <QStatusBar>

namespace {
constexpr int kKeyRole = Qt::UserRole + 1;
}

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , library_(new LibraryStore(this))
    , queue_(new TranscodeQueue(this))
    , api_(new ApiClient(this))
    , connection_(new ServerConnection(*api_, this))
    , credentials_(new CredentialStore(this))
    , session_(new AuthSession(*api_, *credentials_, this))
    , navigation_(new QListWidget(this))
    , stack_(new QStackedWidget(this))
    , connectionLabel_(new QLabel(tr("Server: not checked"), this))
    , userLabel_(new QLabel(this)) {
    setWindowTitle(tr("Reelgate Studio"));
    setWindowIcon(QIcon(":/icons/reelgate.png"));
    resize(1100, 720);

    auto* central = new QWidget(this);
    auto* layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    navigation_->setObjectName("navigation");
    navigation_->setFixedWidth(190);
    navigation_->setIconSize(QSize(20, 20));
    navigation_->setStyleSheet("QListWidget#navigation { border: none; padding: 12px 8px 0 8px; }"
                               "QListWidget#navigation::item { padding: 9px 14px 9px 18px; }");
    layout->addWidget(navigation_);
    layout->addWidget(stack_, 1);
    setCentralWidget(central);

    connectionLabel_->setObjectName("connectionLabel");
    userLabel_->setObjectName("userLabel");
    connectionLabel_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    statusBar()->addWidget(connectionLabel_, 1);
    userLabel_->setSizePolicy(QSizePolicy::Minimum, QSizePolicy::Preferred);
    statusBar()->addPermanentWidget(userLabel_);

    buildPages();
    buildMenus();
    buildAccount();
    connect(navigation_, &QListWidget::currentRowChanged, stack_, &QStackedWidget::setCurrentIndex);
    connect(connection_, &ServerConnection::stateChanged, this,
            [this](ConnectionState state, const QString& message) {
                connectionLabel_->setText(message);
                if (state == ConnectionState::Connected ||
                    state == ConnectionState::DatabaseUnavailable)
                    adoptCheckedServer();
                if (state == ConnectionState::Connected && !restoredSession_) {
                    restoredSession_ = true;
                    session_->restore();
                }
            });

    restoreGeometry(settings_.windowGeometry());
    // The checklist until the first video is on sale, then where the creator left off.
    if (!settings_.firstRunDone())
        showPage("start");
    else if (!showPage(settings_.lastPage()))
        showPage("library");
    connection_->check(settings_.serverUrl());
}

MainWindow::~MainWindow() = default;

void MainWindow::addPage(const QString& key, const QString& label, QWidget* page,
                         const QString& whatFor) {
    auto* item = new QListWidgetItem(label, navigation_);
    item->setData(kKeyRole, key);
    item->setToolTip(whatFor);
    stack_->addWidget(page);
}

void MainWindow::buildPages() {
    checklist_ = new FirstRunChecklist(*api_, *session_, *library_, *queue_, stack_);
    addPage("start", tr("Get started"), checklist_,
            tr("The steps from a fresh install to your first video on sale."));
    connect(checklist_, &FirstRunChecklist::pageRequested, this, &MainWindow::showPage);
    connect(checklist_, &FirstRunChecklist::signInRequested, this, &MainWindow::openSignIn);
    connect(checklist_, &FirstRunChecklist::completed, this,
            [this] { settings_.setFirstRunDone(true); });
    libraryPage_ = new LibraryPage(*library_, stack_);
    addPage("library", tr("Library"), libraryPage_,
            tr("Import your videos (drag them in or use Import), with thumbnails and what the "
               "studio found out about each file."));
    transcodePage_ = new TranscodePage(*library_, *queue_, stack_);
    addPage("transcode", tr("Transcode"), transcodePage_,
            tr("Turn a video into a streaming ladder with forensic A/B variants, on this "
               "computer."));
    watermarkPage_ = new WatermarkPage(*library_, stack_);
    watermarkPage_->setApi(api_);
    addPage("watermark", tr("Watermark"), watermarkPage_,
            tr("Design the moving mark each viewer sees (their name and the time) and preview it "
               "on your own footage."));
    publishPage_ = new PublishPage(*api_, *session_, stack_);
    publishPage_->setTranscodeQueue(queue_);
    connect(transcodePage_, &TranscodePage::publishRequested, this,
            [this](const QString& packagePath, const QString& title) {
                publishPage_->usePackage(packagePath, title);
                showPage("publish");
            });
    addPage("publish", tr("Publish"), publishPage_,
            tr("Set the price and affiliate rate, then upload the package; uploads resume after "
               "a lost connection."));
    salesPage_ = new SalesPage(*api_, *session_, stack_);
    addPage("sales", tr("Sales"), salesPage_,
            tr("Follow your sales, what you earned and your affiliate commissions."));
    adminPage_ = new AdminPage(*api_, *session_, stack_);
    addPage("admin", tr("Admin"), adminPage_,
            tr("Trace a leaked copy back to its viewer, platform settings and users."));
    settingsPage_ = new SettingsPage(*connection_, settings_.serverUrl(), stack_);
    addPage("settings", tr("Settings"), settingsPage_, tr("Which server the studio uses."));
    connect(settingsPage_, &SettingsPage::serverUrlChosen, this, &MainWindow::useServer);
    setAdminMode(false);
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    signInAction_ = file->addAction(tr("&Sign in..."), this, &MainWindow::openSignIn);
    signOutAction_ = file->addAction(tr("Sign &out"), this, [this] { session_->signOut(); });
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Reelgate Studio"), this, &MainWindow::showAbout);
}

void MainWindow::showAbout() {
    QMessageBox::about(
        this, tr("About Reelgate Studio"),
        tr("<h3>Reelgate Studio %1</h3>"
           "<p>Prepare, protect and sell your videos on your own Reelgate server.</p>"
           "<p><small>Qt %2<br>FFmpeg: %3</small></p>")
            .arg(reelgate::kVersion, qVersion(),
                 QString::fromStdString(reelgate::media::libavVersions()).toHtmlEscaped()));
}

void MainWindow::setAdminMode(bool on) {
    adminMode_ = on;
    for (int row = 0; row < navigation_->count(); ++row) {
        QListWidgetItem* item = navigation_->item(row);
        if (item->data(kKeyRole).toString() == "admin")
            item->setHidden(!on);
    }
    if (!on && currentPage() == "admin")
        showPage("library");
}

bool MainWindow::showPage(const QString& key) {
    for (int row = 0; row < navigation_->count(); ++row) {
        QListWidgetItem* item = navigation_->item(row);
        if (item->data(kKeyRole).toString() == key && !item->isHidden()) {
            navigation_->setCurrentRow(row);
            return true;
        }
    }
    return false;
}

QString MainWindow::currentPage() const {
    const QListWidgetItem* item = navigation_->currentItem();
    return item ? item->data(kKeyRole).toString() : QString();
}

QStringList MainWindow::pageKeys() const {
    QStringList keys;
    for (int row = 0; row < navigation_->count(); ++row) {
        if (!navigation_->item(row)->isHidden())
            keys.append(navigation_->item(row)->data(kKeyRole).toString());
    }
    return keys;
}

void MainWindow::useServer(const QString& url) {
    // The address is remembered once it proves to be a Reelgate server (see the constructor),
    // so a typo or a server that is down never replaces one that worked.
    connection_->check(url);
}

void MainWindow::adoptCheckedServer() {
    const QString url = api_->baseUrl().toString();
    if (url == settings_.serverUrl())
        return;
    settings_.setServerUrl(url);
    // Another server, another account.
    if (session_->isSignedIn())
        session_->signOut();
    restoredSession_ = false;
}

void MainWindow::closeEvent(QCloseEvent* event) {
    settings_.setWindowGeometry(saveGeometry());
    settings_.setLastPage(currentPage());
    event->accept();
}
