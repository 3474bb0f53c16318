// The simulation worker's parts on their own: the rate meter and the raster recorder.
#include <QtTest>

#include "RasterRecorder.h"
#include "RateMeter.h"

using namespace stdp;
using namespace stdp::studio;

class TestWorkerParts : public QObject {
    Q_OBJECT
  private slots:
    void rateOfASteadyRun() {
        RateMeter meter;
        TrainingCounters c;
        meter.restart(0, c, 0.0);
        meter.play(0, c, 0.0);
        RateMeter::Reading r;
        for (int ms = 100; ms <= 2000; ms += 100) {
            c.images = static_cast<std::uint64_t>(ms) * 2;  // 2000 images/s
            c.steps = c.images * 100;
            c.spikes = c.steps;  // one spike per step
            r = meter.measure(ms, c, static_cast<double>(c.images), true);
        }
        QCOMPARE(r.images_per_second, 2000.0);
        QCOMPARE(r.steps_per_second, 200000.0);
        QCOMPARE(r.spikes_per_step, 1.0);
    }

    // Reset during Play: the counters start again at 0 while the run goes on. The readout
    // once showed 8.6e16 steps/s (an unsigned difference against the old network's counts).
    void resetDuringPlayReadsSensibly() {
        RateMeter meter;
        TrainingCounters c;
        meter.restart(0, c, 0.0);
        meter.play(0, c, 0.0);
        c.images = 5000;
        c.steps = 500000;
        c.spikes = 400000;
        meter.measure(1000, c, 5000.0, true);
        const TrainingCounters fresh;
        meter.restart(1000, fresh, 0.0);
        for (int ms = 1010; ms <= 1200; ms += 10) {
            TrainingCounters now;
            now.images = static_cast<std::uint64_t>(ms - 1000) / 10;
            now.steps = now.images * 100;
            now.spikes = now.steps;
            const auto r = meter.measure(ms, now, static_cast<double>(now.images), true);
            QVERIFY2(r.steps_per_second >= 0.0 && r.steps_per_second <= 20000.0,
                     qPrintable(QString::number(r.steps_per_second)));
            QVERIFY(r.images_per_second <= 200.0);
            QVERIFY(r.spikes_per_step <= 1.0);
        }
    }

    // A new speed (or a new network) is measured afresh: no blend with the old rate.
    void aRestartForgetsTheOldRate() {
        RateMeter meter;
        TrainingCounters c;
        meter.restart(0, c, 0.0);
        for (int ms = 100; ms <= 1000; ms += 100) {
            c.steps = static_cast<std::uint64_t>(ms) * 100;  // 100,000 steps/s
            meter.measure(ms, c, 0.0, true);
        }
        meter.restart(1000, c, 0.0);
        c.steps += 10;  // 10 steps/s from now
        const auto r = meter.measure(2000, c, 0.0, true);
        QCOMPARE(r.steps_per_second, 10.0);
    }

    void rasterKeepsTheLastWindow() {
        StructureSettings st;
        st.patch_size = 2;
        st.units = 3;
        st.theta0 = 1e-6;  // everyone fires every step
        DynamicsSettings d;
        d.learn = false;
        d.theta_adapt = false;
        RepresentationLayer layer(st, d);
        RasterRecorder raster;
        raster.resize(5, 3);
        layer.beginPatch();
        const std::vector<std::int32_t> spikes{0, 2};
        for (int t = 0; t < 8; ++t)
            layer.step(spikes, &raster);
        gui::RasterSnapshot out;
        raster.fill(out);
        QCOMPARE(out.out_offsets.size(), 6u);  // 5 steps kept
        QCOMPARE(out.out_indices.size(), 15u);
        QCOMPARE(out.patch_start, std::vector<std::uint8_t>(5, 0));  // step 1 fell out
    }
};

QTEST_MAIN(TestWorkerParts)
#include "test_worker_parts.moc"
