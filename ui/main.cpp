#include "AppResources.h"
#include "MainWindow.h"
#include "core/AllocatorTuning.h"

#include <QApplication>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

int main(int argc, char *argv[])
{
    wharf::tuneAllocatorForStreaming();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Wharf"));
    QApplication::setApplicationName(QStringLiteral("Wharf"));
    QApplication::setApplicationVersion(QStringLiteral(WHARF_VERSION));
    // Lets Wayland compositors match windows to org.wharf.Wharf.desktop and its icon.
    QGuiApplication::setDesktopFileName(QStringLiteral("org.wharf.Wharf"));
    wharf::ui::initResources();
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/org.wharf.Wharf.svg")));

    QTranslator qtTranslator;
    if (qtTranslator.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                          QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QApplication::installTranslator(&qtTranslator);
    }
    QTranslator translator;
    if (translator.load(QLocale(), QStringLiteral("wharf"), QStringLiteral("_"),
                        QStringLiteral(":/i18n"))) {
        QApplication::installTranslator(&translator);
    }

    wharf::ui::MainWindow window;
    window.show();
    return app.exec();
}
