// The simulation worker's parts on their own: the raster recorder and the per-neuron history;
// and the history as the worker delivers it. The rate meter: test_rate_meter.cpp.
#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#include "AnalysisWorker.h"
#include "DigitData.h"
#include "EvaluationSchedule.h"
#include "ImageReassembly.h"
#include "NeuronHistoryRecorder.h"
#include "RasterRecorder.h"
#include "ReconstructionView.h"
#include "SimulationController.h"
#include "ThreadCpuMeter.h"
#include "analysis/Evaluator.h"
#include "data/Dataset.h"
#include "model/Presets.h"

#ifdef __linux__
#include <sys/resource.h>
#endif

using namespace stdp;
using namespace stdp::studio;

namespace {

constexpr int kTimeoutMs = 60000 * STDP_TEST_TIMEOUT_SCALE;

// Counts every neuron's spikes as the layer reports them, step by step.
class SpikeCounter : public StepObserver {
  public:
    explicit SpikeCounter(int units) : counts(static_cast<std::size_t>(units), 0) {}
    void onStep(const RepresentationLayer& layer, std::span<const std::int32_t>) override {
        for (const std::int32_t j : layer.fired())
            ++counts[static_cast<std::size_t>(j)];
    }
    std::vector<std::uint64_t> counts;
};

RepresentationLayer firingLayer(int units) {
    StructureSettings st;
    st.patch_size = 2;
    st.units = units;
    st.theta0 = 1e-6;  // everyone fires every step
    DynamicsSettings d;
    d.learn = false;
    d.theta_adapt = false;
    return RepresentationLayer(st, d);
}

DataChoice fewDigits(std::size_t train_images = 12) {
    return studio_test::builtinDigits(train_images, 2);
}

// Waits until the worker has handled everything queued before (paused, at least `images` done).
SnapshotPtr waitIdle(SimulationController& c, std::uint64_t images) {
    (void)QTest::qWaitFor(
        [&] {
            auto s = c.latest();
            return s && !s->running && s->counters.images >= images;
        },
        kTimeoutMs);
    return c.latest();
}

// What an AnalysisWorker sent, taken on this thread at each notice as the controller takes it.
struct AnalysisResults {
    explicit AnalysisResults(AnalysisWorker& worker) {
        // Queued even for a worker on this thread: the notice is sent under its queue's lock.
        QObject::connect(
            &worker, &AnalysisWorker::reconstructionsWaiting, &receiver,
            [this, &worker] {
                for (AnalysisWorker::Reconstruction& r : worker.takeReconstructions())
                    reconstructions.push_back(std::move(r.snapshot));
            },
            Qt::QueuedConnection);
        QObject::connect(
            &worker, &AnalysisWorker::evaluationsWaiting, &receiver,
            [this, &worker] {
                for (const AnalysisWorker::Evaluation& e : worker.takeEvaluations())
                    metrics.push_back(e.metrics);
            },
            Qt::QueuedConnection);
    }
    std::size_t reconstructionCount() const { return reconstructions.size(); }
    std::size_t metricsCount() const { return metrics.size(); }

    QObject receiver;
    std::vector<std::shared_ptr<const gui::ReconstructionSnapshot>> reconstructions;
    std::vector<ReconstructionMetrics> metrics;
};

// A paper-mnist network with its data, an evaluation set of the validation images many times
// over (an evaluation that takes a while), and an AnalysisWorker on its own thread.
struct LongEvaluation {
    SimulationController controller;
    DataChoice data;
    SnapshotPtr snapshot;
    std::shared_ptr<ImageSet> many_images;
    AnalysisWorker worker;
    QThread thread;

    ~LongEvaluation() {
        thread.quit();
        thread.wait();
    }
    // False if the network could not be made.
    bool start() {
        Settings settings = presetSettings("paper-mnist");
        data = loadDataChoice(QString::fromLatin1(kBuiltinSpec), settings.data);
        QString error;
        if (!controller.configure(settings, data, std::nullopt, &error))
            return false;
        snapshot = waitIdle(controller, 0);
        if (!snapshot)
            return false;
        constexpr int kRepeats = 20;
        many_images = std::make_shared<ImageSet>(*data.validation);
        for (int i = 1; i < kRepeats; ++i)
            many_images->images.insert(many_images->images.end(), data.validation->images.begin(),
                                       data.validation->images.end());
        worker.moveToThread(&thread);
        thread.start();
        return true;
    }
};

}  // namespace

class TestWorkerParts : public QObject {
    Q_OBJECT
  private slots:
    // A photograph larger than 128 px is rebuilt from every n-th patch position, each pixel
    // still covered, and the view says so; smaller images from every patch, as protocol A. A
    // large layer takes a larger stride, so that one reassembly stays about half a CPU-second
    // (coop-natural took 2.1 CPU-s at stride 4: "computing…" for minutes on a busy machine).
    void largeImagesAreReassembledStrided() {
        const Settings mnist = presetSettings("paper-mnist");
        QCOMPARE(reassemblyStride(28, 28, mnist), 1);
        QCOMPARE(reassemblyStride(100, 128, mnist), 1);
        QCOMPARE(reassemblyStride(129, 64, mnist), 2);
        QCOMPARE(reassemblyStride(512, 512, mnist), 4);
        QCOMPARE(reassemblyStride(4096, 4096, mnist), 5);  // never beyond p: every pixel covered
        QCOMPARE(reassemblyStride(512, 512, presetSettings("coop-natural")), 8);
        QCOMPARE(reassemblyStride(512, 512, presetSettings("paper-natural")), 8);
        Settings wide = presetSettings("paper-natural");
        wide.structure.units = 256;
        QCOMPARE(reassemblyStride(512, 512, wide), 16);
        QCOMPARE(reassemblyStride(28, 28, presetSettings("coop-natural")), 1);
        Settings s = presetSettings("paper-mnist");
        s.structure.theta0 = 1e-6;  // every neuron fires: every covered pixel gets a value
        s.dynamics = frozenDynamics(s.dynamics);
        const RepresentationLayer layer(s.structure, s.dynamics);
        Image image;
        image.rows = 150;
        image.cols = 131;
        image.pixels.assign(static_cast<std::size_t>(image.rows) * image.cols, 0.6f);
        const int stride = reassemblyStride(image.rows, image.cols, s);
        QCOMPARE(stride, 2);
        const Image strided = reconstructImage(layer, s, image, 7, stride);
        QCOMPARE(strided.rows, image.rows);
        QCOMPARE(strided.cols, image.cols);
        for (float v : strided.pixels)
            QVERIFY2(v > 0.0f, "every pixel is covered by some patch");
        const Image wide_stride = reconstructImage(layer, s, image, 7, 4);  // the border too
        QVERIFY(std::all_of(wide_stride.pixels.begin(), wide_stride.pixels.end(),
                            [](float v) { return v > 0; }));

        gui::ReconstructionView view;
        auto snap = std::make_shared<gui::ReconstructionSnapshot>();
        snap->patch_size = 5;
        snap->image = image;
        snap->image_recon = strided;
        snap->reassembly_stride = stride;
        view.setSnapshot(snap);
        QVERIFY(view.captions().at(3).contains(QStringLiteral("stride 2 px")));
    }

    // An evaluation of a network that has since been replaced stops instead of running on.
    void staleEvaluationIsCancelled() {
        LongEvaluation e;
        QVERIFY(e.start());
        const SnapshotPtr& s = e.snapshot;
        AnalysisResults sent(e.worker);
        AnalysisRequest old_request{s, e.data.train, e.many_images, false, true};
        e.worker.submit(old_request);
        // The evaluation begins.
        QTRY_VERIFY_WITH_TIMEOUT(sent.reconstructionCount() == 1, kTimeoutMs);
        auto newer = std::make_shared<Snapshot>(*s);
        newer->generation = s->generation + 1;
        e.worker.submit({newer, e.data.train, e.data.validation, false, false});
        QTRY_VERIFY_WITH_TIMEOUT(sent.reconstructionCount() == 2, kTimeoutMs);
        QCOMPARE(e.worker.staleEvaluationsCancelled(), 1);
        QCOMPARE(sent.metricsCount(), std::size_t{0});
    }

    // A long evaluation (a slow layer, a busy machine) does not hold the reconstruction view
    // back: a newer patch is reconstructed between two of its images.
    void patchesKeepComingDuringAnEvaluation() {
        LongEvaluation e;
        QVERIFY(e.start());
        AnalysisResults sent(e.worker);
        e.worker.submit({e.snapshot, e.data.train, e.many_images, false, true});
        QTRY_VERIFY_WITH_TIMEOUT(sent.reconstructionCount() == 1, kTimeoutMs);  // evaluating now
        auto newer = std::make_shared<Snapshot>(*e.snapshot);  // the same network, a later frame
        e.worker.submit({newer, e.data.train, e.data.validation, false, false});
        QTRY_VERIFY_WITH_TIMEOUT(sent.reconstructionCount() == 2, kTimeoutMs);
        QCOMPARE(sent.metricsCount(), std::size_t{0});  // served before the evaluation ended
        // Which still completes.
        QTRY_VERIFY_WITH_TIMEOUT(sent.metricsCount() == 1, kTimeoutMs);
        QCOMPARE(sent.reconstructionCount(), std::size_t{2});
    }

    // A photograph's reassembly takes seconds: the patch is sent first (image panes "computing…"
    // the first time), then again with the reassembled image. A small image goes out once.
    void largeImageSendsThePatchBeforeItsReassembly() {
        Settings s = presetSettings("paper-mnist");
        s.dynamics = frozenDynamics(s.dynamics);
        const RepresentationLayer layer(s.structure, s.dynamics);
        auto fields = std::make_shared<gui::FieldsSnapshot>();
        fields->patch_size = s.structure.patch_size;
        fields->weights = layer.weights();
        fields->thresholds = layer.thresholds();
        const auto snapshotOf = [&](int side) {
            auto snap = std::make_shared<Snapshot>();
            snap->settings = s;
            snap->generation = 1;
            snap->fields = fields;
            snap->has_patch = true;
            snap->patch_pixels.assign(25, 0.6f);
            auto image = std::make_shared<Image>();
            image->rows = image->cols = side;
            image->pixels.assign(static_cast<std::size_t>(side) * side, 0.6f);
            snap->image = image;
            return snap;
        };
        auto train = std::make_shared<ImageSet>();
        AnalysisWorker worker;
        AnalysisResults ready(worker);
        const auto sent = [&](std::size_t k) { return ready.reconstructions.at(k); };
        worker.submit({snapshotOf(200), train, nullptr, true, false});
        QTRY_COMPARE_WITH_TIMEOUT(ready.reconstructionCount(), std::size_t{2}, kTimeoutMs);
        QCOMPARE(sent(0)->patch_recon.size(), std::size_t{25});
        QCOMPARE(sent(0)->image_recon.rows, 0);  // not yet
        QCOMPARE(sent(1)->image_recon.rows, 200);
        QCOMPARE(sent(1)->reassembly_stride, 2);
        // The next photograph: its patch first, beside the last one's reassembly.
        worker.submit({snapshotOf(150), train, nullptr, true, false});
        QTRY_COMPARE_WITH_TIMEOUT(ready.reconstructionCount(), std::size_t{4}, kTimeoutMs);
        QCOMPARE(sent(2)->image_recon.rows, 200);
        QCOMPARE(sent(3)->image_recon.rows, 150);
        worker.submit({snapshotOf(28), train, nullptr, true, false});
        QTRY_COMPARE_WITH_TIMEOUT(ready.reconstructionCount(), std::size_t{5}, kTimeoutMs);
        QCOMPARE(sent(4)->image_recon.rows, 28);
        // Nothing more is on its way: the worker lives on this thread, so every event it could
        // still have posted (a process() call, a notice) is delivered here, now.
        QCoreApplication::sendPostedEvents();
        QCoreApplication::sendPostedEvents();
        QCOMPARE(ready.reconstructionCount(), std::size_t{5});
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

    // A long run keeps its whole span in bounded memory: full, every other sample goes and the
    // interval doubles.
    void historyHalvesWhenFull() {
        RepresentationLayer layer = firingLayer(3);
        NeuronHistoryRecorder history(8);
        history.restart(layer, 0);
        for (std::uint64_t images = 1; images <= 7; ++images)
            history.sample(layer, images);
        QCOMPARE(history.size(), 8u);
        QCOMPARE(history.interval(), 1u);
        history.sample(layer, 8);  // the ninth: thinned to 0, 2, 4, 6, then 8
        QCOMPARE(history.size(), 5u);
        QCOMPARE(history.interval(), 2u);
        history.sample(layer, 9);  // not on the new grid
        QCOMPARE(history.size(), 5u);
        for (std::uint64_t images = 10; images <= 1000; ++images)
            history.sample(layer, images);
        QVERIFY(history.size() <= 8u);
        const auto h = history.history();
        QCOMPARE(h->images.front(), 0.0);  // the whole span
        QVERIFY(1000.0 - h->images.back() < static_cast<double>(history.interval()));
        for (std::size_t s = 1; s < h->samples(); ++s)
            QCOMPARE(h->images[s] - h->images[s - 1], static_cast<double>(history.interval()));
        QCOMPARE(h->wins.size(), h->samples() * 3);
        QCOMPARE(h->theta.size(), h->samples());  // global threshold: one value per sample
        QVERIFY(h->global_theta);
        // No new sample, no new copy.
        QCOMPARE(history.history().get(), h.get());
    }

    // The wins between samples are the neuron's spikes, counted step by step; θ_j is the layer's.
    void historyWinsAreTheLayersSpikes() {
        Settings s = presetSettings("paper-mnist");
        s.structure.units = 8;
        s.structure.theta_mode = ThresholdMode::PerNeuron;
        TrainingSession session(s, fewDigits().train);
        NeuronHistoryRecorder history;
        history.restart(session.layer(), 0);
        SpikeCounter counter(8);
        std::vector<std::vector<std::uint64_t>> at_image;
        for (int image = 1; image <= 4; ++image) {
            session.advance(StepUnit::Image, 1, &counter);
            history.sample(session.layer(), session.counters().images);
            at_image.push_back(counter.counts);
        }
        const auto h = history.history();
        QCOMPARE(h->samples(), 5u);
        QVERIFY(!h->global_theta);
        std::uint64_t all = 0;
        for (int j = 0; j < 8; ++j) {
            for (std::size_t k = 0; k < at_image.size(); ++k)
                QCOMPARE(h->winsAt(k + 1, j), at_image[k][static_cast<std::size_t>(j)]);
            QCOMPARE(h->winsAt(4, j), session.layer().winCounts()[static_cast<std::size_t>(j)]);
            QCOMPARE(h->thetaAt(4, j), session.layer().thresholds()[static_cast<std::size_t>(j)]);
            all += h->winsAt(4, j);
        }
        QVERIFY(all > 0);
        const QList<QPointF> rate = h->winsPerImageSeries(2);
        QCOMPARE(rate.size(), 4);
        QCOMPARE(rate[1], QPointF(2.0, static_cast<double>(at_image[1][2] - at_image[0][2])));
    }

    // What the worker delivers: a history that grows with the images, starts again at Reset, and
    // for an opened bundle starts at the bundle's point.
    void workerDeliversTheHistory() {
        QCoreApplication::setOrganizationName(QStringLiteral("STDPStudioTest"));
        SimulationController c;
        c.setAnalysisEnabled(false);
        QVERIFY(c.configure(presetSettings("paper-mnist"), fewDigits()));
        QVERIFY(waitIdle(c, 0));
        for (int i = 0; i < 3; ++i)
            c.step(StepUnit::Image);
        SnapshotPtr snap = waitIdle(c, 3);
        QVERIFY(snap && snap->fields->history);
        QCOMPARE(snap->fields->history->images, (std::vector<double>{0.0, 1.0, 2.0, 3.0}));
        c.reset();
        QTRY_VERIFY_WITH_TIMEOUT(c.latest() && c.latest()->counters.images == 0 &&
                                     c.latest()->fields->history->samples() == 1,
                                 kTimeoutMs);

        InitialState bundle;
        bundle.weights = snap->fields->weights;
        bundle.thresholds = snap->fields->thresholds;
        bundle.images_seen = 5000;
        QVERIFY(c.configure(presetSettings("paper-mnist"), fewDigits(), bundle));
        QTRY_VERIFY_WITH_TIMEOUT(c.latest() && c.latest()->images_offset == 5000, kTimeoutMs);
        c.step(StepUnit::Image);
        snap = waitIdle(c, 1);
        QCOMPARE(snap->fields->history->images, (std::vector<double>{5000.0, 5001.0}));
        QCOMPARE(snap->fields->history->thetaAt(0, 0), bundle.thresholds[0]);
    }

    // The GUI takes only the newest snapshot (SnapshotMailbox): one it did not take in time is
    // replaced, but its increments are not lost (the step view's traced steps go into the next),
    // and the GUI is told once, however many snapshots replaced each other meanwhile.
    void untakenSnapshotsPassOnTheirTracedSteps() {
        SimulationWorker w;  // on this thread: nothing takes its snapshots until the test does
        QSignalSpy notices(&w, &SimulationWorker::snapshotWaiting);
        w.configure(presetSettings("paper-mnist"), fewDigits().train, std::nullopt, 1);
        w.setStepTracing(true);
        QVERIFY(w.takeSnapshot());
        QCOMPARE(notices.count(), 1);
        for (int i = 0; i < 3; ++i)
            w.step(StepUnit::Step);
        QCOMPARE(notices.count(), 2);
        const SnapshotPtr s = w.takeSnapshot();
        QVERIFY(s);
        QCOMPARE(s->counters.steps, std::uint64_t{3});
        QCOMPARE(s->step_traces.size(), std::size_t{3});
        QVERIFY(!w.takeSnapshot());  // at most one waits
    }

    // At full speed the worker watches only the steps the raster shows; what it shows must be
    // exactly the last kRasterWindow steps of a run watched at every step: where Play was told to
    // stop, where the user paused, and at the end of the data.
    void fastRunRasterIsTheLastStepsWatched() {
        QCoreApplication::setOrganizationName(QStringLiteral("STDPStudioTest"));
        const Settings settings = presetSettings("paper-mnist");
        const DataChoice data = fewDigits(40);
        auto expectSameRaster = [&](const Snapshot& s) {
            TrainingSession reference(settings, data.train);
            RasterRecorder watched;
            watched.resize(SimulationWorker::kRasterWindow, settings.structure.units);
            reference.advance(StepUnit::Step, s.counters.steps, &watched);
            QCOMPARE(reference.counters().steps, s.counters.steps);
            gui::RasterSnapshot expected;
            watched.fill(expected);
            QCOMPARE(s.raster->out_offsets.size(),
                     std::size_t{SimulationWorker::kRasterWindow + 1});
            QCOMPARE(s.raster->out_offsets, expected.out_offsets);
            QCOMPARE(s.raster->out_indices, expected.out_indices);
            QCOMPARE(s.raster->patch_start, expected.patch_start);
        };
        SimulationController c;
        c.setAnalysisEnabled(false);
        QVERIFY(c.configure(settings, data));
        QVERIFY(waitIdle(c, 0));
        // Play(n) stops at the n-th image's last step, not a chunk of steps into the next one
        // (an image's steps are rarely a multiple of the chunk).
        TrainingSession by_images(settings, data.train);
        SnapshotPtr snap;
        for (std::uint64_t n = 1; n <= 7; ++n) {
            c.play(n);  // stops after the n-th image
            snap = waitIdle(c, n);
            QVERIFY(snap && snap->counters.images == n);
            by_images.trainImages(1);
            QCOMPARE(snap->counters.steps, by_images.counters().steps);
        }
        expectSameRaster(*snap);

        SnapshotPtr running;  // a frame of the running network
        connect(&c, &SimulationController::snapshotReady, this, [&](SnapshotPtr s) {
            if (!running && s->running && !s->finished && s->counters.images >= 8)
                running = s;
        });
        c.play();  // paused by the user somewhere in the run (or at its end, if it was quicker)
        QTRY_VERIFY_WITH_TIMEOUT(c.latest() && c.latest()->counters.images >= 9, kTimeoutMs);
        c.pause();
        snap = waitIdle(c, 9);
        expectSameRaster(*snap);
        if (running)
            expectSameRaster(*running);

        c.play();  // to the end of the data
        QTRY_VERIFY_WITH_TIMEOUT(c.latest() && c.latest()->finished && !c.latest()->running,
                                 kTimeoutMs);
        snap = c.latest();
        QCOMPARE(snap->counters.images, std::uint64_t{40});
        expectSameRaster(*snap);
    }

    // The evaluation of a learning network yields to the simulation on a busy machine: every
    // 3 s when a core is spare beside the simulation's, every 30 s (and said so) when other
    // programs keep the other cores busy.
    void evaluationYieldsToABusyMachine() {
        using S = EvaluationSchedule;
        S quiet(2);
        quiet.setOtherLoad(0.2);
        QVERIFY(!quiet.busy());
        quiet.started(0);
        QVERIFY(!quiet.due(S::kIntervalMs - 1));
        QVERIFY(quiet.due(S::kIntervalMs));
        QVERIFY(!quiet.deferred(S::kIntervalMs));

        S busy(2);
        busy.setOtherLoad(1.0);  // a compile on the other core
        QVERIFY(busy.busy());
        busy.started(0);
        QVERIFY(!busy.due(S::kIntervalMs));
        QVERIFY(!busy.deferred(S::kIntervalMs - 1));
        QVERIFY(busy.deferred(S::kIntervalMs));
        QVERIFY(!busy.due(S::kBusyIntervalMs - 1));
        QVERIFY(busy.due(S::kBusyIntervalMs));
        QVERIFY(!busy.deferred(S::kBusyIntervalMs));
        // What is due then runs beside the simulation, not in the background it would wait in.
        QVERIFY(busy.insistent());
        QVERIFY(!quiet.insistent());

        S unknown(2);  // no reading (another system, or the first one): as a quiet machine
        QVERIFY(!unknown.busy());
        QVERIFY(unknown.insistent());  // but nothing says a background thread would get a core
        S wide(8);                     // one busy core of eight leaves plenty
        wide.setOtherLoad(1.0);
        QVERIFY(!wide.busy());
        S one(1);  // a single core is always shared with the simulation
        one.setOtherLoad(0.0);
        QVERIFY(one.busy());
    }

    // The analysis thread runs at a high nice value, so an evaluation takes what the
    // simulation and the GUI leave (QThread::LowPriority alone changes nothing on Linux).
    void analysisThreadYields() {
#ifdef __linux__
        SimulationController c;
        auto analysisNice = [] {
            for (const ThreadCpu& t : threadCpuTimes())
                if (t.name == "analysis")
                    return t.nice;
            return -100;
        };
        QTRY_COMPARE_WITH_TIMEOUT(analysisNice(), SimulationController::kAnalysisNice, kTimeoutMs);
        // The simulation keeps the nice value the program was started with (a test run under
        // `nice` starts above 0).
        const int started_with = ::getpriority(PRIO_PROCESS, 0);
        for (const ThreadCpu& t : threadCpuTimes())
            if (t.name == "simulation")
                QCOMPARE(t.nice, started_with);
#else
        QSKIP("per-thread nice values are read from Linux's /proc");
#endif
    }
};

QTEST_MAIN(TestWorkerParts)
#include "test_worker_parts.moc"
