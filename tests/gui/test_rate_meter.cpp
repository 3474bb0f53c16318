// The run's rates as the studio's status line and activity chart read them (RateMeter).
#include <QtTest>

#include "RateMeter.h"

using namespace stdp;
using namespace stdp::studio;

class TestRateMeter : public QObject {
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

    // Pause, then Step: one step at a time must not replace the run's reading with the ratio
    // of one step's spikes (the activity chart fell to 0 at its last point).
    void singleStepsKeepTheRunsSpikeRate() {
        RateMeter meter;
        TrainingCounters c;
        meter.restart(0, c, 0.0);
        for (int ms = 100; ms <= 1000; ms += 100) {
            c.steps += 10000;
            c.spikes += 10000;  // one spike per step
            meter.measure(ms, c, 0.0, true);
        }
        ++c.steps;  // a step in which nobody fired, while paused, seconds later
        QCOMPARE(meter.measure(5000, c, 0.0, false).spikes_per_step, 1.0);
        // Enough single steps make a reading of their own: here half of them with a spike.
        for (int k = 1; k < 400; ++k) {
            ++c.steps;
            c.spikes += static_cast<std::uint64_t>(k % 2);
            meter.measure(5000 + k * 100, c, 0.0, false);
        }
        QCOMPARE(meter.measure(45000, c, 0.0, false).spikes_per_step, 0.5);
    }

    // Slow motion: a few steps a second still read after a second, and the first steps after a
    // restart read at once.
    void slowRunsReadEverySecond() {
        RateMeter meter;
        TrainingCounters c;
        meter.restart(0, c, 0.0);
        c.steps = 1;
        c.spikes = 2;
        QCOMPARE(meter.measure(200, c, 0.0, true).spikes_per_step, 2.0);
        for (int ms = 400; ms <= 1200; ms += 200) {  // 5 steps a second, one spike each
            ++c.steps;
            ++c.spikes;
            const double read = meter.measure(ms, c, 0.0, true).spikes_per_step;
            QCOMPARE(read, ms < 1200 ? 2.0 : 1.0);
        }
    }
};

QTEST_MAIN(TestRateMeter)
#include "test_rate_meter.moc"
