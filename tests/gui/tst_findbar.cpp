#include "codeeditor.h"
#include "findbar.h"

#include <QTest>

using stagecraft::gui::CodeEditor;
using stagecraft::gui::FindBar;

class TestFindBar : public QObject
{
    Q_OBJECT

private slots:
    void findNextWrapsAround()
    {
        CodeEditor editor;
        FindBar bar;
        bar.setEditor(&editor);
        editor.setText(u"build:\n  script: make\ntest:\n  script: make test\n"_qs);
        editor.setCursorPosition(0, 0);
        bar.setSearchText(u"script"_qs);
        QVERIFY(bar.findNext());
        int line = 0;
        int index = 0;
        int endLine = 0;
        int endIndex = 0;
        editor.getSelection(&line, &index, &endLine, &endIndex);
        QCOMPARE(line, 1);
        QCOMPARE(index, 2);
        QVERIFY(bar.findNext());
        editor.getSelection(&line, &index, &endLine, &endIndex);
        QCOMPARE(line, 3);
        QVERIFY(bar.findNext()); // wraps
        editor.getSelection(&line, &index, &endLine, &endIndex);
        QCOMPARE(line, 1);
        bar.setSearchText(u"nothing-like-this"_qs);
        QVERIFY(!bar.findNext());
    }

    void replaceAllIsOneUndoStep()
    {
        CodeEditor editor;
        FindBar bar;
        bar.setEditor(&editor);
        const QString text = u"a: make\nb: make\nc: cmake\n"_qs;
        editor.setText(text);
        bar.setSearchText(u"make"_qs);
        bar.setReplaceText(u"ninja"_qs);
        QCOMPARE(bar.replaceAll(), 3);
        QCOMPARE(editor.text(), u"a: ninja\nb: ninja\nc: cninja\n");
        editor.undo();
        QCOMPARE(editor.text(), text);
    }
};

QTEST_MAIN(TestFindBar)
#include "tst_findbar.moc"
