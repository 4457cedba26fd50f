// reelgate-studio: entry point. Command line first (works without a display), then the window.

#include "app/MainWindow.h"
#include "library/LibraryPage.h"
#include "reelgate/core/Version.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QStringList>

#include <cstdio>

int main(int argc, char** argv) {
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args.append(QString::fromLocal8Bit(argv[i]));

    QCommandLineParser parser;
    parser.setApplicationDescription("Reelgate Studio: prepare, protect and sell your videos.");
    const QCommandLineOption helpOption({"h", "help"}, "Show this help and exit.");
    const QCommandLineOption versionOption("version", "Show the version and exit.");
    const QCommandLineOption serverOption("server", "Use (and remember) this Reelgate server.",
                                          "URL");
    parser.addOption(helpOption);
    parser.addOption(versionOption);
    parser.addOption(serverOption);
    parser.addPositionalArgument("files", "Video files to import (from \"Open with\").",
                                 "[files...]");
    if (!parser.parse(args)) {
        std::fprintf(stderr, "reelgate-studio: %s (see --help)\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(versionOption)) {
        std::printf("reelgate-studio %s\n", reelgate::kVersion);
        return 0;
    }
    if (parser.isSet(helpOption)) {
        std::printf("%s", qPrintable(parser.helpText()));
        return 0;
    }
    QApplication app(argc, argv);
    QApplication::setOrganizationName("Reelgate");
    QApplication::setApplicationName("Reelgate Studio");
    QApplication::setApplicationVersion(reelgate::kVersion);

    MainWindow window;
    if (parser.isSet(serverOption))
        window.useServer(parser.value(serverOption));
    window.show();
    // Video files given by the desktop ("Open with Reelgate Studio") go into the Library.
    if (!parser.positionalArguments().isEmpty()) {
        window.showPage("library");
        window.libraryPage()->importFiles(parser.positionalArguments());
    }
    return QApplication::exec();
}
