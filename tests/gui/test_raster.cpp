// The spike raster and its neuron selection.
#include <QtTest>

#include "SpikeRaster.h"
#include "WidgetTestData.h"

using namespace stdp;
using namespace stdp::gui;
using namespace stdp::widget_test;

class TestRaster : public QObject {
    Q_OBJECT
  private slots:
    void rasterDrawsSpikes() {
        auto r = std::make_shared<RasterSnapshot>();
        r->inputs = 4;
        r->units = 3;
        r->patch_steps = 4;
        r->current_step = 4;
        r->input_offsets = {0, 0, 1, 1, 1};  // input 2 spikes at step 1
        r->input_indices = {2};
        r->window = 10;
        r->out_offsets = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1};  // neuron 1 fires at step 5
        r->out_indices = {1};
        r->patch_start.assign(10, 0);
        SpikeRaster view;
        view.resize(500, 400);
        view.setSnapshot(r);
        const QImage img = view.grab().toImage();
        auto cell = [](QRect rect, int col, int cols, int row, int rows) {
            return QPoint(rect.left() + (2 * col + 1) * rect.width() / (2 * cols),
                          rect.top() + (2 * row + 1) * rect.height() / (2 * rows));
        };
        QVERIFY(greyAt(img, cell(view.inputRect(), 1, 4, 2, 4)) < 60);     // the spike
        QVERIFY(greyAt(img, cell(view.inputRect(), 0, 4, 2, 4)) > 200);    // no spike
        QVERIFY(greyAt(img, cell(view.outputRect(), 5, 10, 1, 3)) < 100);  // output spike
        QVERIFY(greyAt(img, cell(view.outputRect(), 5, 10, 0, 3)) > 200);
        // Only neuron 1 shown: its spike fills the one row.
        QVERIFY(view.setSelection(QStringLiteral("1")));
        const QImage one = view.grab().toImage();
        QVERIFY(greyAt(one, cell(view.outputRect(), 5, 10, 0, 1)) < 100);
        QString why;
        QVERIFY(!view.setSelection(QStringLiteral("7"), &why));
        QVERIFY(!why.isEmpty());
        QCOMPARE(view.selection(), QStringLiteral("1"));
        QVERIFY(view.inputTitle().contains(QStringLiteral("current patch")));
        // At the end of data that ended on silent patches the input raster shows an earlier
        // patch than the output raster's last steps: its title must say which.
        auto ended = std::make_shared<RasterSnapshot>(*r);
        ended->last_fired_on = true;
        view.setSnapshot(ended);
        QVERIFY(view.inputTitle().contains(QStringLiteral("last patch a neuron fired on")));
        // Whole, not elided, in a narrow raster (its width in a 1280x720 window and less).
        for (int width : {460, 300}) {
            view.resize(width, view.height());
            QVERIFY(view.inputTitle().contains(QStringLiteral("last patch a neuron fired on")));
            QVERIFY(view.fontMetrics().horizontalAdvance(view.inputTitle()) <=
                    view.inputRect().width());
        }
    }

    // The output raster's title under amplitude coding carries the read-out's formula; where
    // the raster is narrow (its width in a 1280x720 window) a shorter form is shown whole
    // instead of the full one cut, the window and the count kept.
    void outputTitleFitsItsWidth_data() {
        QTest::addColumn<int>("width");
        QTest::addColumn<bool>("full");
        QTest::newRow("1280x720") << 460 << false;
        QTest::newRow("1600x1000") << 640 << true;
    }
    void outputTitleFitsItsWidth() {
        QFETCH(int, width);
        QFETCH(bool, full);
        auto r = std::make_shared<RasterSnapshot>();
        r->inputs = 512;
        r->units = 64;
        r->patch_steps = 40;
        r->current_step = 8;
        r->input_offsets.assign(41, 0);
        r->window = 400;
        r->out_offsets.assign(401, 0);
        r->patch_start.assign(400, 0);
        r->additive_gain = 0.05;
        SpikeRaster view;
        view.resize(width, 170);
        view.setSnapshot(r);
        const QStringList forms = view.outputTitleForms();
        QVERIFY(forms.size() >= 2);
        QVERIFY(forms.front().contains(QStringLiteral("g = 0.05")));
        const QString shown = view.outputTitle();
        QVERIFY2(view.fontMetrics().horizontalAdvance(shown) <= view.outputRect().width(),
                 qPrintable(shown));
        QCOMPARE(shown == forms.front(), full);
        QVERIFY(shown.contains(QStringLiteral("last 400 steps")));
        QVERIFY(shown.contains(QStringLiteral("64 shown")));
    }

    void neuronSelection_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QList<int>>("expected");
        QTest::addColumn<bool>("valid");
        QTest::newRow("all") << QStringLiteral("all") << QList<int>{0, 1, 2, 3, 4, 5} << true;
        QTest::newRow("list") << QStringLiteral("4, 0-1, 1") << QList<int>{0, 1, 4} << true;
        QTest::newRow("top") << QStringLiteral("top 1") << QList<int>{3} << true;
        QTest::newRow("out of range") << QStringLiteral("0-6") << QList<int>{} << false;
        QTest::newRow("garbage") << QStringLiteral("x") << QList<int>{} << false;
    }
    void neuronSelection() {
        QFETCH(QString, text);
        QFETCH(QList<int>, expected);
        QFETCH(bool, valid);
        RasterSnapshot r;
        r.units = 6;
        r.out_offsets = {0, 2};
        r.out_indices = {3, 3};
        QString why;
        const auto got = parseNeuronSelection(text, r, &why);
        QCOMPARE(why.isEmpty(), valid);
        QCOMPARE(QList<int>(got.begin(), got.end()), expected);
    }
};

QTEST_MAIN(TestRaster)
#include "test_raster.moc"
