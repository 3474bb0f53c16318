// An experiment recorded in the studio — live changes made while it ran at full speed — replays
// to the same bits in the core (what `stdp-cli train --config` runs) and in the studio itself.
#include <QTemporaryDir>
#include <QtTest>

#include "ChangeLog.h"
#include "Dataset.h"
#include "ExperimentRecorder.h"
#include "MainWindow.h"
#include "TrainingSession.h"

using namespace stdp;
using namespace stdp::studio;

namespace {
constexpr int kTimeoutMs = 180000 * STDP_TEST_TIMEOUT_SCALE;

// A checked edit as the parameter panel sends it.
LiveEdit edit(const SimulationController& c, const DynamicsSettings& d) {
    LiveEdit e;
    e.dynamics = d;
    e.changes = liveDifferences(c.settings().dynamics, d);
    return e;
}

SnapshotPtr runUntilImages(SimulationController& c, std::uint64_t images) {
    (void)QTest::qWaitFor([&] { return c.latest() && c.latest()->counters.images >= images; },
                          kTimeoutMs);
    return c.latest();
}
}  // namespace

class TestExperimentReplay : public QObject {
    Q_OBJECT
  private slots:
    void liveChangesReplayToTheSameBits() {
        MainWindow w;
        QCOMPARE(w.start(QStringLiteral("paper-mnist"), QString::fromLatin1(kBuiltinSpec)),
                 QString());
        SimulationController& c = *w.controller();
        QTRY_VERIFY_WITH_TIMEOUT(c.latest() != nullptr, kTimeoutMs);
        ExperimentRecorder recorder(&c);
        recorder.startFromSeed(QStringLiteral("paper-mnist"));

        // Changes while paused between runs, and one while it runs as fast as it can (it lands
        // wherever the worker is).
        c.play(2);
        QTRY_VERIFY_WITH_TIMEOUT(!c.latest()->running && c.latest()->counters.images >= 2,
                                 kTimeoutMs);
        DynamicsSettings d = c.settings().dynamics;
        d.mu = 0.002;
        c.applyEdit(edit(c, d));
        c.play(4);
        QTRY_VERIFY_WITH_TIMEOUT(!c.latest()->running && c.latest()->counters.images >= 4,
                                 kTimeoutMs);
        c.setThreshold(0.12);
        d.temperature = 0.7;
        c.applyEdit(edit(c, d));
        c.play();
        runUntilImages(c, 6);
        d.mu_d_ratio = 0.5;
        c.applyEdit(edit(c, d));
        QTRY_COMPARE_WITH_TIMEOUT(recorder.changeCount(), std::size_t(4), kTimeoutMs);
        runUntilImages(c, c.latest()->counters.images + 2);  // learning goes on after it
        c.pause();
        QTRY_VERIFY_WITH_TIMEOUT(!c.latest()->running, kTimeoutMs);
        const SnapshotPtr end = c.latest();

        QString why;
        const std::optional<Experiment> recorded = recorder.experiment(end->counters.steps, &why);
        QVERIFY2(recorded, qPrintable(why));
        QCOMPARE(recorded->changes[0].setting, std::string("mu"));
        QCOMPARE(recorded->changes[1].setting, std::string(kThetaNow));
        for (const LiveChange& change : recorded->changes)
            QVERIFY(change.step > 0 && change.step < recorded->steps);
        QTemporaryDir dir;
        const std::string file = dir.filePath(QStringLiteral("run.json")).toStdString();
        saveExperiment(file, *recorded);
        const Experiment e = loadExperiment(file);

        // The core alone, as `stdp-cli train --config run.json` runs it.
        auto data = std::make_shared<const ImageSet>(
            loadDataSpec(e.data_spec, e.settings.data, e.offset, e.images));
        TrainingSession replay(e.settings, data);
        QCOMPARE(trainWithChanges(replay, e.steps, e.changes), e.steps);
        QCOMPARE(replay.layer().weights(), end->fields->weights);
        QCOMPARE(replay.layer().thresholds(), end->fields->thresholds);

        // The studio replaying the same file stops where the run stopped, with the same bits.
        QVERIFY(c.configure(e.settings, c.data()));
        c.replay(e.changes, e.steps);
        c.play();
        QTRY_VERIFY_WITH_TIMEOUT(
            c.latest() && c.latest()->counters.steps == e.steps && !c.latest()->running,
            kTimeoutMs);
        QCOMPARE(c.latest()->fields->weights, end->fields->weights);
        QCOMPARE(c.latest()->settings.dynamics.temperature, 0.7);
    }

    void aBundleIsNotReplayedFromItsSeed() {
        MainWindow w;
        QCOMPARE(w.start(QStringLiteral("paper-mnist"), QString::fromLatin1(kBuiltinSpec)),
                 QString());
        ExperimentRecorder recorder(w.controller());
        recorder.startFromState(QStringLiteral("it started from the bundle 'x'"));
        QString why;
        QVERIFY(!recorder.experiment(100, &why));
        QVERIFY(why.contains(QStringLiteral("bundle")));
    }
};

QTEST_MAIN(TestExperimentReplay)
#include "test_experiment_replay.moc"
