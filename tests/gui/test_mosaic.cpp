// The receptive-field mosaic: grey levels, contrast modes, ON/OFF, selection, dead and dominant
// flags.
#include <QSignalSpy>
#include <QtTest>

#include "FieldImage.h"
#include "Histograms.h"
#include "ReceptiveFieldMosaic.h"
#include "WidgetTestData.h"

using namespace stdp;
using namespace stdp::gui;
using namespace stdp::widget_test;

class TestMosaic : public QObject {
    Q_OBJECT
  private slots:
    void greyLevels_data() {
        QTest::addColumn<float>("value");
        QTest::addColumn<int>("grey");
        QTest::newRow("low") << 0.0f << 0;
        QTest::newRow("mid") << 0.5f << 128;
        QTest::newRow("high") << 1.0f << 255;
        QTest::newRow("clamped") << 2.0f << 255;
    }
    void greyLevels() {
        QFETCH(float, value);
        QFETCH(int, grey);
        QCOMPARE(greyLevel(value, {0.0f, 1.0f}), grey);
    }

    void mosaicSharedContrast() {
        ReceptiveFieldMosaic view;
        view.resize(240, 240);
        view.setSnapshot(knownFields());
        const QImage img = view.grab().toImage();
        QCOMPARE(greyAt(img, view.cellRect(0).center()), 0);
        QCOMPARE(greyAt(img, view.cellRect(1).center()), 255);
        QVERIFY(std::abs(greyAt(img, view.cellRect(2).center()) - 128) <= kGreyTolerance);
        // The ramp: top-left pixel 0.2 -> 51, bottom-right 0.8 -> 204 (shared scale [0, 1]).
        const QRect r = view.cellRect(3);
        QVERIFY(std::abs(greyAt(img, r.topLeft() + QPoint(2, 2)) - 51) <= kGreyTolerance);
        QVERIFY(std::abs(greyAt(img, r.bottomRight() - QPoint(2, 2)) - 204) <= kGreyTolerance);
    }

    void mosaicPerNeuronContrast() {
        ReceptiveFieldMosaic view;
        view.resize(240, 240);
        view.setContrast(Contrast::PerNeuron);
        view.setSnapshot(knownFields());
        const QImage img = view.grab().toImage();
        const QRect r = view.cellRect(3);
        QCOMPARE(greyAt(img, r.topLeft() + QPoint(2, 2)), 0);  // its own minimum: black
        QCOMPARE(greyAt(img, r.bottomRight() - QPoint(2, 2)), 255);
    }

    void mosaicOnOffIsSigned() {
        auto s = std::make_shared<FieldsSnapshot>();
        s->patch_size = 1;
        s->onoff = true;
        s->weights = WeightMatrix::Zero(2, 3);  // rows: ON, OFF
        s->weights(0, 0) = 0.5f;                // +0.5: white
        s->weights(1, 1) = 0.5f;                // -0.5: black
        s->thresholds = {0.2f};                 // neuron 2: 0 -> mid-grey
        ReceptiveFieldMosaic view;
        view.resize(200, 200);
        view.setSnapshot(s);
        const QImage img = view.grab().toImage();
        QCOMPARE(greyAt(img, view.cellRect(0).center()), 255);
        QCOMPARE(greyAt(img, view.cellRect(1).center()), 0);
        QVERIFY(std::abs(greyAt(img, view.cellRect(2).center()) - 128) <= kGreyTolerance);
    }

    void mosaicClickSelects() {
        ReceptiveFieldMosaic view;
        view.resize(240, 240);
        view.setSnapshot(knownFields());
        QSignalSpy spy(&view, &ReceptiveFieldMosaic::neuronSelected);
        QTest::mouseClick(&view, Qt::LeftButton, {}, view.cellRect(2).center());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toInt(), 2);
        QCOMPARE(view.selected(), 2);
        QCOMPARE(view.neuronAt(QPoint(0, 0)), -1);
    }

    void deadAndDominantFlags() {
        auto s = std::make_shared<FieldsSnapshot>();
        s->patch_size = 2;
        s->weights = WeightMatrix::Constant(4, 8, 0.5f);
        s->thresholds = {0.15f};
        s->recent_steps = 5000;
        s->recent_wins = {0, 1, 1, 100, 1, 1, 1, 1};
        s->wins = s->recent_wins;
        QCOMPARE(neuronFlag(*s, 0), NeuronFlag::Dead);
        QCOMPARE(neuronFlag(*s, 1), NeuronFlag::Normal);
        QCOMPARE(neuronFlag(*s, 3), NeuronFlag::Dominant);
        s->recent_steps = 10;  // too early to judge
        QCOMPARE(neuronFlag(*s, 0), NeuronFlag::Normal);
        WinCounts wins;
        wins.resize(300, 200);
        s->recent_steps = 5000;
        wins.setSnapshot(s);
        QCOMPARE(wins.deadCount(), 1);
        QCOMPARE(wins.dominantCount(), 1);
        QVERIFY(wins.csv().contains(QStringLiteral("0,0,0,dead")));
        // The dominant bar is painted blue, full height.
        const QImage img = wins.grab().toImage();
        const QRect plot = wins.plotRect();
        const QColor c = img.pixelColor(plot.left() + plot.width() * 7 / 16, plot.bottom() - 3);
        QVERIFY(c.blue() > 200 && c.red() < 100);
        // A narrow dock (a 1280x720 window) keeps the counts in the title and cuts the rest.
        wins.resize(240, 200);
        QVERIFY2(wins.shownTitle().endsWith(QStringLiteral("1 dead, 1 dominant")),
                 qPrintable(wins.shownTitle()));
        QVERIFY(wins.fontMetrics().horizontalAdvance(wins.shownTitle()) <= wins.width());
        wins.resize(1000, 200);
        QVERIFY(wins.shownTitle().startsWith(QStringLiteral("Wins per neuron, last 5000 steps")));
    }
};

QTEST_MAIN(TestMosaic)
#include "test_mosaic.moc"
