#pragma once
// The one owner of the simulation thread. The GUI talks to it with small value commands; it hands
// back immutable snapshots, drops those of a network that has since been reset or replaced, and
// schedules reconstructions and evaluations on a second thread.

#include <QElapsedTimer>
#include <QObject>
#include <QThread>
#include <functional>
#include <memory>
#include <optional>

#include "AnalysisWorker.h"
#include "CurveCheckpoints.h"
#include "DataSource.h"
#include "EvaluationSchedule.h"
#include "History.h"
#include "SimulationWorker.h"
#include "ThreadCpuMeter.h"
#include "foundation/ChangeLog.h"

namespace stdp::studio {

class SimulationController : public QObject {
    Q_OBJECT
  public:
    static constexpr qint64 kPatchReconMs = 100;   // patch reconstruction at most 10/s
    static constexpr qint64 kImageReconMs = 700;   // whole-image reconstruction
    static constexpr qint64 kLoadSampleMs = 1000;  // how often the machine's load is read
    // The analysis yields to the simulation and the GUI (a nice value of the analysis thread);
    // an insistent evaluation (EvaluationSchedule) runs at the program's own nice value.
    static constexpr int kAnalysisNice = 19;

    explicit SimulationController(QObject* parent = nullptr);
    ~SimulationController() override;  // stops both threads quickly, even while running

    // Replaces the network. Checks everything first: on a problem returns false with the reason
    // in *error and nothing changes.
    bool configure(const Settings& settings, const DataChoice& data,
                   std::optional<InitialState> initial = std::nullopt, QString* error = nullptr);

    // Learns until `stop_at_images` images are done in all (0 = until paused).
    void play(std::uint64_t stop_at_images = 0);
    void pause();
    void step(StepUnit unit);
    void reset();
    // Steps per second; SimulationWorker::kMaxSpeed (0) = as fast as possible.
    void setSpeed(double steps_per_second);
    // A live edit, already checked by core's rule (checkValue) where it was made: applied at the
    // worker's next step and marked once on the charts' time axis.
    void applyEdit(const LiveEdit& edit);
    void setThreshold(double theta);
    // At the end of the data: start the images over (true) or stop (false).
    void setLoop(bool loop);
    // Records steps for the step view (slow motion and single steps: every step; faster: one
    // step per frame). Off, the run pays nothing for it.
    void setStepTracing(bool on);
    // The live changes of an experiment, each applied at its step; play() stops at stop_at_step.
    void replay(const std::vector<LiveChange>& changes, std::uint64_t stop_at_step);
    // A chosen input runs next (a drawing or a data image; frozen or learning), then training.
    void present(const Presentation& presentation);
    void endPresentation();
    // Evaluate on the validation set at the next snapshot (or now, with the latest one).
    void requestEvaluation();
    // Reconstructions and evaluations on/off (benchmarks of the bare simulation).
    void setAnalysisEnabled(bool enabled) { analysis_enabled_ = enabled; }
    // Where the cores other programs keep busy are read (tests; default: the kernel's counts).
    void setOtherLoadProbe(std::function<double()> probe) { other_load_ = std::move(probe); }
    // The cores other programs kept busy at the last sample (negative: not measured yet).
    double otherLoad() const { return eval_schedule_.otherLoad(); }
    // A command queued to the worker as a live edit is; the first snapshot built after the
    // worker took it carries `token` in its WorkerLoad (for --stats).
    void acknowledge(quint64 token);
    bool evaluationDeferred() const { return eval_deferred_; }
    int evaluationsStarted() const { return evaluations_started_; }
    // Evaluations of earlier states of a run, sent when it stopped (CurveCheckpoints).
    int checkpointEvaluations() const { return checkpoint_evaluations_; }
    // Of those, the ones whose results came back (or were given up: a replaced network).
    int checkpointResults() const { return checkpoint_results_; }
    // Of those, the ones a busy machine made insistent (run beside the simulation, not below it).
    int insistentEvaluations() const { return insistent_evaluations_; }
    // Photograph reassemblies a busy machine sent beside the simulation (see scheduleAnalysis).
    int insistentReassemblies() const { return insistent_reassemblies_; }
    // The background analysis worker (tests hold its thread to play a starved one).
    AnalysisWorker* backgroundAnalysis() const { return analysis_; }
    bool isRunning() const { return running_; }
    SnapshotPtr latest() const { return latest_; }
    const Settings& settings() const { return settings_; }
    const DataChoice& data() const { return data_; }
    const History& history() const { return history_; }
    std::optional<ReconstructionMetrics> lastMetrics() const { return metrics_; }
    std::uint64_t generation() const { return generation_; }
    double speed() const { return speed_; }

  signals:
    void snapshotReady(stdp::studio::SnapshotPtr snapshot);
    void reconstructionReady(std::shared_ptr<const stdp::gui::ReconstructionSnapshot> snapshot);
    void metricsReady(const stdp::ReconstructionMetrics& metrics);
    void historyChanged();
    void networkReplaced();  // configure() or reset(): views start over
    // Live changes of the current network as they took effect (exact step), whoever made them.
    void liveChangesApplied(const std::vector<stdp::LiveChange>& changes);
    void failed(const QString& message);
    // The network learnt from a presented input at this training step (replays will differ).
    void learnedFromPresentation(quint64 step);
    // The machine is busy: an evaluation that would have run waits (see EvaluationSchedule).
    void evaluationDeferredChanged(bool deferred);

  private:
    void onSnapshot(SnapshotPtr snapshot);
    void connectAnalysis(AnalysisWorker* worker);
    void onEvaluation(const AnalysisWorker::Evaluation& evaluation);
    void scheduleAnalysis(const SnapshotPtr& snapshot, bool force);
    void setEvaluationDeferred(bool deferred);
    // The run stopped: the states it passed through that no evaluation covers are evaluated.
    void evaluateCheckpoints();
    template <typename F>
    void toWorker(F&& f);

    QThread thread_;
    QThread analysis_thread_;
    QThread insistent_thread_;  // evaluations a busy machine would starve at nice 19
    SimulationWorker* worker_;
    std::shared_ptr<LastReassembly> reassembly_;  // shared by both analysis workers
    AnalysisWorker* analysis_;
    AnalysisWorker* insistent_;
    Settings settings_;
    DataChoice data_;
    SnapshotPtr latest_;
    History history_;
    std::optional<ReconstructionMetrics> metrics_;
    double metrics_images_ = 0.0;  // where metrics_ was measured
    std::uint64_t generation_ = 1;
    bool running_ = false;
    double speed_ = SimulationWorker::kMaxSpeed;
    bool analysis_enabled_ = true;
    bool eval_requested_ = false;
    bool evaluate_when_stopped_ = false;  // the last command was Play, not Step

    QElapsedTimer clock_;
    qint64 last_patch_ms_ = -100000;
    qint64 last_image_ms_ = -100000;
    EvaluationSchedule eval_schedule_{MachineLoadMeter::cores()};
    MachineLoadMeter load_meter_;
    std::function<double()> other_load_ = [this] { return load_meter_.sample(); };
    qint64 last_load_ms_ = -100000;
    bool eval_deferred_ = false;
    int evaluations_started_ = 0;
    CurveCheckpoints checkpoints_;
    int checkpoint_evaluations_ = 0;
    int checkpoint_results_ = 0;
    int insistent_evaluations_ = 0;
    int insistent_reassemblies_ = 0;
    qint64 last_insistent_image_ms_ = -EvaluationSchedule::kBusyIntervalMs;
    std::uint64_t last_eval_steps_ = 0;
    const Image* last_image_ = nullptr;  // of the last reassembly asked for (identity only)
};

}  // namespace stdp::studio
