// An experiment recorded in the studio — live changes made while it ran at full speed — replays
// to the same bits in the core (what `stdp-cli train --config` runs) and in the studio itself.
#include <QTemporaryDir>
#include <QtTest>

#include "ExperimentRecorder.h"
#include "MainWindow.h"
#include "StudioSession.h"
#include "data/Dataset.h"
#include "foundation/ChangeLog.h"
#include "model/TrainingSession.h"

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
        recorder.startFromSeed();  // made after the network: the start it missed

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
        const std::optional<Experiment> recorded =
            recorder.experiment(end->counters.steps, QStringLiteral("paper-mnist"), &why);
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

    // What File > Export experiment and File > Open experiment (stdp-studio --experiment) do.
    void theWindowExportsAndReplaysItsRun() {
        MainWindow w;
        // Replacing a network that learned asks Save / Discard / Cancel: this user discards.
        w.session()->setAskUnsaved([](const QString&) { return UnsavedChoice::Discard; });
        QCOMPARE(w.start(QStringLiteral("paper-mnist"), QString::fromLatin1(kBuiltinSpec)),
                 QString());
        SimulationController& c = *w.controller();
        QTRY_VERIFY_WITH_TIMEOUT(c.latest() != nullptr, kTimeoutMs);
        c.play(3);
        QTRY_VERIFY_WITH_TIMEOUT(!c.latest()->running && c.latest()->counters.images >= 3,
                                 kTimeoutMs);
        DynamicsSettings d = c.settings().dynamics;
        d.rho = 1e-4;
        c.applyEdit(edit(c, d));
        c.play(5);
        QTRY_VERIFY_WITH_TIMEOUT(!c.latest()->running && c.latest()->counters.images >= 5,
                                 kTimeoutMs);
        const SnapshotPtr end = c.latest();

        QString note;
        const QString command = w.session()->trainCommand(&note);
        QVERIFY(command.startsWith(QStringLiteral("stdp-cli train --preset paper-mnist ")));
        QVERIFY(command.contains(QStringLiteral("--data builtin:mnist")));
        QVERIFY(note.contains(QStringLiteral("Export experiment")));  // the change is not in it

        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("run.json"));
        QVERIFY(w.session()->exportExperiment(file).done());
        QVERIFY(w.session()->openExperiment(file).done());
        c.play();
        QTRY_VERIFY_WITH_TIMEOUT(
            c.latest() && c.latest()->counters.steps == end->counters.steps && !c.latest()->running,
            kTimeoutMs);
        QCOMPARE(c.latest()->fields->weights, end->fields->weights);
        QCOMPARE(c.latest()->fields->thresholds, end->fields->thresholds);
        QCOMPARE(c.latest()->settings.dynamics.rho, 1e-4);

        // A bundle's network did not start from its seed: no experiment, said so.
        QVERIFY(w.saveBundle(dir.filePath(QStringLiteral("b"))).isEmpty());
        QVERIFY(w.openBundle(dir.filePath(QStringLiteral("b"))).isEmpty());
        const Outcome refused = w.session()->exportExperiment(file);
        QVERIFY(!refused.done());
        QVERIFY2(refused.error.contains(QStringLiteral("bundle")), qPrintable(refused.error));
    }

    void aBundleIsNotReplayedFromItsSeed() {
        MainWindow w;
        QCOMPARE(w.start(QStringLiteral("paper-mnist"), QString::fromLatin1(kBuiltinSpec)),
                 QString());
        ExperimentRecorder recorder(w.controller());
        recorder.startFromState(QStringLiteral("it started from the bundle 'x'"));
        QString why;
        QVERIFY(!recorder.experiment(100, QStringLiteral("paper-mnist"), &why));
        QVERIFY(why.contains(QStringLiteral("bundle")));
    }
};

QTEST_MAIN(TestExperimentReplay)
#include "test_experiment_replay.moc"
