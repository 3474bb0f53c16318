#pragma once
// Lives on the controller's worker thread and owns the TrainingSession. Runs in short slices so
// that commands (pause, step, live settings) are handled between slices, and emits snapshots at
// most ~30 times a second however fast it runs.

#include <QElapsedTimer>
#include <QObject>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "HandOffQueue.h"
#include "NeuronHistoryRecorder.h"
#include "RasterRecorder.h"
#include "RateMeter.h"
#include "SettingsMetaTypes.h"
#include "Snapshot.h"
#include "SnapshotBuilder.h"
#include "SnapshotMailbox.h"
#include "model/Experiment.h"

class QTimer;

namespace stdp::studio {

// Hands each step to two observers (the raster and the step tracer).
class ObserverPair : public StepObserver {
  public:
    ObserverPair(StepObserver* first, StepObserver* second) : first_(first), second_(second) {}
    void onStep(const RepresentationLayer& layer, std::span<const std::int32_t> spikes) override {
        first_->onStep(layer, spikes);
        second_->onStep(layer, spikes);
    }

  private:
    StepObserver* first_;
    StepObserver* second_;
};

class SimulationWorker : public QObject {
    Q_OBJECT
  public:
    static constexpr int kRasterWindow = 400;  // output steps kept for the raster
    static constexpr double kMaxSpeed = 0.0;   // setSpeed(kMaxSpeed) = as fast as possible
    // Up to this speed (slow motion) the step view records every step; above, one per frame.
    static constexpr double kTraceEveryStepSpeed = 200.0;
    static constexpr std::size_t kTraceHistory = 400;  // steps the view can go back through

    SimulationWorker();
    ~SimulationWorker() override;

    // Set from any thread: the running slice stops at its next check.
    void requestPause() { pause_requested_.store(true); }

    // The commands below run on the worker thread (the controller queues them).
    void configure(const Settings& settings, std::shared_ptr<const ImageSet> data,
                   std::optional<InitialState> initial, std::uint64_t generation);
    // Runs until `stop_at_images` images have been completed in all (0 = until paused).
    void play(std::uint64_t stop_at_images = 0);
    void pause();
    void step(StepUnit unit);
    void reset(std::uint64_t generation);
    void setSpeed(double steps_per_second);
    void setDynamics(const DynamicsSettings& dynamics);
    void setThreshold(double theta);
    // At the end of the data: start the images over (true) or stop (false).
    void setLoop(bool loop);
    void setStepTracing(bool on);
    // Replays an experiment's live changes: each is applied when the step count reaches its
    // step, and play() stops at `stop_at_step` (0: no stop). Cleared by a new network.
    void replay(std::vector<LiveChange> changes, std::uint64_t stop_at_step);
    // Runs a chosen input next (see TrainingSession::present); Play or Step goes through it.
    void present(Presentation presentation);
    void endPresentation();
    // Answered between two slices, as a live edit is: the next snapshot carries the token
    // (how long a change takes to show, for --stats).
    void acknowledge(quint64 token);
    // Any thread (the controller's, on snapshotWaiting): the newest snapshot, or null when the
    // notice was for one already taken.
    SnapshotPtr takeSnapshot() { return mailbox_.take(); }
    // Live changes as they took effect: the exact step, for experiment files and the change log.
    struct AppliedChanges {
        std::vector<LiveChange> changes;
        std::uint64_t generation = 0;
    };
    // Any thread (the controller's, on liveChangesWaiting): the batches waiting, oldest first.
    std::vector<AppliedChanges> takeAppliedChanges() { return applied_changes_.takeAll(); }
    // What went wrong in a command: the message, and for a live edit the layer refused, the
    // dynamics it keeps using.
    struct Problem {
        std::string message;
        std::optional<DynamicsSettings> kept;
    };
    // Any thread (the controller's): `command` runs on the worker's thread, after every command
    // posted before it. Commands cross in a queue (see HandOffQueue: why not as a queued call's
    // captures).
    void post(std::function<void()> command);
    // Any thread (the controller's, on problemsWaiting): the problems waiting, oldest first.
    std::vector<Problem> takeProblems() { return problems_.takeAll(); }

  signals:
    // A snapshot waits in the mailbox (see SnapshotMailbox: why not as an argument).
    void snapshotWaiting();
    // Applied live changes wait in their queue (see HandOffQueue: why not as an argument).
    void liveChangesWaiting();
    // Problems wait in their queue, for the same reason.
    void problemsWaiting();
    // post()'s notice to the worker's own thread; connected when the worker is made, on the
    // thread that makes it, so the notice carries no closure of the sending thread.
    void commandsWaiting();
    // A presentation with learning on began at this training step: a replay cannot repeat it.
    void learnedFromPresentation(quint64 step, quint64 generation);

  private:
    void restart(std::uint64_t generation);  // new network: clear the recorders, emit
    void stopRunning();
    void tick();
    void runSlice();
    void scheduleNext();
    void emitSnapshot(bool force);
    SnapshotPtr buildSnapshot();
    // The increments of a snapshot the GUI did not take go into the next one.
    void carryUntaken();
    double imagesProgress() const;  // images seen, with the fraction of the current one
    void sampleThreshold();
    void loopIfFinished();  // another pass over the data when looping
    bool done() const;      // nothing left to run: the data are exhausted, nothing presented
    // Advances with the raster (and, when the step view wants every step, the tracer) watching.
    bool advance(StepUnit unit, std::uint64_t count, bool trace_every_step);
    void traceOneStep();  // fast runs: one explained step per frame
    // Fast runs: steps nobody watches (the raster's ring then starts over at the next watched
    // step), whether every step must be watched now, and the raster's window before a snapshot.
    bool advanceUnwatched(std::uint64_t count);
    bool advanceToStop(std::uint64_t count, bool trace_every_step);
    bool mustWatchEveryStep() const;
    void watchRasterWindow();
    void applyDueChanges();
    std::uint64_t stepsUntilNextChange() const;  // max if none is pending
    void reportApplied(const Settings& before, const Settings& after);
    void sendApplied(std::vector<LiveChange> changes);
    void runCommands();
    void report(std::string message, std::optional<DynamicsSettings> kept = std::nullopt);

    std::unique_ptr<TrainingSession> session_;
    RasterRecorder raster_;
    bool raster_gap_ = false;  // steps ran unwatched since the ring's newest step
    StepTracer tracer_;
    ObserverPair raster_and_tracer_{&raster_, &tracer_};
    bool tracing_ = false;
    std::vector<LiveChange> replay_;  // pending, in order of step
    std::size_t replay_next_ = 0;
    std::uint64_t stop_at_step_ = 0;
    qint64 last_trace_ms_ = -1000;
    QTimer* timer_ = nullptr;
    std::atomic<bool> pause_requested_{false};
    bool running_ = false;
    bool loop_ = false;
    std::uint64_t stop_at_images_ = 0;
    double speed_ = kMaxSpeed;
    double step_credit_ = 0.0;  // slowed-down mode: steps owed since the last tick
    std::uint64_t generation_ = 0;
    std::uint64_t images_offset_ = 0;
    std::uint64_t patches_offset_ = 0;
    double progress_ = 0.0;                     // images seen, with the fraction of the current one
    std::vector<ThresholdSample> theta_trace_;  // not yet sent
    std::uint64_t theta_sampled_steps_ = 0;

    QElapsedTimer clock_;
    qint64 last_emit_ms_ = -1000;
    qint64 last_tick_ms_ = 0;
    RateMeter rates_;
    SnapshotBuilder snapshots_;
    NeuronHistoryRecorder neuron_history_;
    std::shared_ptr<const gui::NeuronHistory> published_history_;
    qint64 last_history_ms_ = -1000;
    WorkerLoad load_;
    SnapshotMailbox mailbox_;
    // Every batch, not the latest: each is a change the change log confirms and an experiment
    // file must replay; a batch replaced by the next would be a change lost.
    HandOffQueue<AppliedChanges> applied_changes_;
    HandOffQueue<Problem> problems_;
    HandOffQueue<std::function<void()>> commands_;
    std::vector<StepTracePtr> untaken_traces_;  // of a snapshot taken back, oldest first
};

}  // namespace stdp::studio

Q_DECLARE_METATYPE(std::vector<stdp::LiveChange>)
