// The validation curve of a run that ends within seconds (CurveCheckpoints): paper-mnist's 1,800
// digits take about a second at full speed, and their curve had two points, the untrained network
// and the end.
#include <QtTest>
#include <memory>

#include "CurveCheckpoints.h"
#include "DigitData.h"
#include "History.h"
#include "SimulationController.h"
#include "model/Presets.h"

using namespace stdp;
using namespace stdp::studio;

namespace {

constexpr int kTimeoutMs = 60000 * STDP_TEST_TIMEOUT_SCALE;

SnapshotPtr at(double images) {
    auto s = std::make_shared<Snapshot>();
    s->images_progress = images;
    return s;
}

std::vector<double> imagesOf(const std::vector<SnapshotPtr>& states) {
    std::vector<double> out;
    for (const SnapshotPtr& s : states)
        out.push_back(s->images_progress);
    return out;
}

}  // namespace

class TestLearningCurve : public QObject {
    Q_OBJECT

  private slots:
    // A long run keeps at most kMost states, spread evenly from its start to its newest.
    void checkpointsStayFewAndEvenlySpread() {
        CurveCheckpoints c;
        for (int i = 1; i <= 1000; ++i)
            c.offer(at(10.0 * i));
        QVERIFY(c.kept() <= CurveCheckpoints::kMost);
        QVERIFY(c.kept() >= CurveCheckpoints::kMost / 2);
        const double spacing = c.spacing();
        const std::vector<double> kept = imagesOf(c.takeUnevaluated());
        QCOMPARE(kept.front(), 10.0);
        QVERIFY(kept.back() > 10000.0 - spacing);  // the newest, or one within a spacing of it
        for (std::size_t i = 2; i + 1 < kept.size(); ++i)
            QCOMPARE(kept[i] - kept[i - 1], kept[1] - kept[0]);
        QCOMPARE(c.kept(), std::size_t{0});  // taken
    }

    // States an evaluation already covers (the periodic ones, the final one) are not evaluated
    // again; the spacing carries over to the next run.
    void evaluatedStatesAreLeftOut() {
        CurveCheckpoints c;
        for (int i = 0; i <= 100; ++i)
            c.offer(at(100.0 * i));
        const double spacing = c.spacing();
        QVERIFY(spacing >= 400.0);
        c.evaluated(0.0);
        c.evaluated(10000.0);
        const std::vector<double> left = imagesOf(c.takeUnevaluated());
        QVERIFY(!left.empty());
        for (double x : left)
            QVERIFY2(x > spacing / 2.0 && x < 10000.0 - spacing / 2.0,
                     qPrintable(QString::number(x)));
        c.offer(at(20000.0));
        c.offer(at(20000.0 + spacing / 2.0));  // closer than the spacing: not kept
        QCOMPARE(c.kept(), std::size_t{1});
        c.clear();
        // A short run, nothing dropped yet (spacing 0): the states' mean gap says what is near.
        for (int i = 1; i <= 10; ++i)
            c.offer(at(100.0 * i));
        QCOMPARE(c.spacing(), 0.0);
        c.evaluated(1020.0);  // the final network, a little after the last state kept
        QCOMPARE(imagesOf(c.takeUnevaluated()).back(), 900.0);
        c.clear();
        QCOMPARE(c.spacing(), 0.0);
    }

    // The real thing: a run of 1,200 digits at full speed on a quiet machine ends with a curve of
    // several points between its start and its end, in order, the last one at the end.
    void aShortRunHasACurve() {
        SimulationController c;
        c.setOtherLoadProbe([] { return 0.0; });
        Settings s = presetSettings("paper-mnist");
        s.data.epochs = 1;
        QVERIFY(c.configure(s, studio_test::builtinDigits(1200, 5)));
        QVERIFY(QTest::qWaitFor([&] { return c.lastMetrics().has_value(); }, kTimeoutMs));
        c.play();
        QVERIFY(QTest::qWaitFor([&] { return c.latest() && c.latest()->finished; }, kTimeoutMs));
        const double end = c.latest()->images_progress;
        const auto points = [&] {
            const auto data = c.history().errorData();
            return data->series[0].points;
        };
        QVERIFY(QTest::qWaitFor(
            [&] {
                return c.checkpointEvaluations() > 0 &&
                       c.backgroundAnalysis()->checkpointsWaiting() == 0 &&
                       points().size() >= 2 + c.checkpointEvaluations();
            },
            kTimeoutMs));
        const QList<QPointF> curve = points();
        QVERIFY2(curve.size() >= 6, qPrintable(QString::number(curve.size())));
        QCOMPARE(curve.front().x(), 0.0);
        QCOMPARE(curve.back().x(), end);
        for (qsizetype i = 1; i < curve.size(); ++i)
            QVERIFY(curve[i].x() > curve[i - 1].x());
    }
};

QTEST_MAIN(TestLearningCurve)
#include "test_learning_curve.moc"
