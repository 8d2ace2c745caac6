#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

using stagecraft::gui::MainWindow;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Stagecraft"));
    QApplication::setOrganizationName(QStringLiteral("Stagecraft"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "IDE for GitLab CI pipelines"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("project"),
                                 QApplication::translate("main", "Project folder to open"));
    // For documentation and visual checks: saves a picture of the window after the first lint
    // result, then quits.
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QApplication::translate("main", "Save a screenshot and quit"),
                                  QStringLiteral("file"));
    screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(screenshot);
    parser.process(app);

    MainWindow window;
    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        QObject::connect(
            &window, &MainWindow::diagnosticsApplied, &window,
            [&window, file] {
                // Let the layout and the editor repaint with the result before grabbing.
                QTimer::singleShot(100, &window, [&window, file] {
                    const bool saved = window.grab().save(file);
                    QApplication::exit(saved ? 0 : 1);
                });
            },
            Qt::SingleShotConnection);
    }
    const QStringList positional = parser.positionalArguments();
    if (!positional.isEmpty() && !window.openProject(positional.constFirst())) {
        qWarning("stagecraft: cannot open project folder %s", qPrintable(positional.constFirst()));
        if (parser.isSet(screenshot))
            return 2;
    }
    window.show();
    return QApplication::exec();
}
