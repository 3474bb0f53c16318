// The change log view and the about panel.
#include <QTableView>
#include <QtTest>

#include "AboutModelPanel.h"
#include "ChangeLogView.h"

using namespace stdp;
using namespace stdp::gui;

class TestTextViews : public QObject {
    Q_OBJECT
  private slots:
    void changeLogViewShowsAndExports() {
        ChangeLog log;
        ChangeLogView view(&log);
        QCOMPARE(view.rowCount(), 0);
        log.append({1764601445123, 7, 280, "mu", 5e-4, 0.1 + 0.2, ChangeOrigin::User});
        log.append({1764601446123, 8, 320, "mu", 0.1 + 0.2, 5e-4, ChangeOrigin::Undo});
        log.append({1764601447123, 9, 360, "theta", 0.15, 0.2, ChangeOrigin::User});
        view.refresh();
        QCOMPARE(view.rowCount(), 3);
        QCOMPARE(view.table()->model()->index(2, 3).data().toString(),
                 QStringLiteral("0.15 → 0.2"));
        const QModelIndex change = view.table()->model()->index(0, 3);
        QCOMPARE(change.data().toString(), QStringLiteral("0.0005 → 0.30000000000000004"));
        QCOMPARE(view.table()->model()->index(1, 4).data().toString(), QStringLiteral("undo"));
        QCOMPARE(view.csv(), QString::fromStdString(log.csv()));
        QVERIFY(
            view.csv().contains(QStringLiteral(",7,280,mu,0.0005,0.30000000000000004,user\r\n")));
        log.clear();
        view.refresh();
        QCOMPARE(view.rowCount(), 0);
    }

    void aboutPanel() {
        AboutModelPanel about;
        QVERIFY(about.toPlainText().contains(QStringLiteral("STDP")));
        QVERIFY(about.toPlainText().contains(QStringLiteral("What to watch for")));
    }
};

QTEST_MAIN(TestTextViews)
#include "test_text_views.moc"
