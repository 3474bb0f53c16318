#pragma once
// Lives on the controller's worker thread and owns the TrainingSession. Runs in short slices so
// that commands (pause, step, live settings) are handled between slices, and emits snapshots at
// most ~30 times a second however fast it runs.

#include <QElapsedTimer>
#include <QObject>
#include <atomic>
#include <memory>
#include <optional>
#include <vector>

#include "Snapshot.h"

class QTimer;

namespace stdp::studio {

// Records the output spikes of the last steps in a fixed ring: no allocation per step.
class RasterRecorder : public StepObserver {
  public:
    void resize(int window, int units);
    void clear();
    void onStep(const RepresentationLayer& layer, std::span<const std::int32_t> spikes) override;
    // Oldest step first.
    void fill(gui::RasterSnapshot& out) const;
    int window() const { return window_; }

  private:
    int window_ = 0;
    int units_ = 0;
    int head_ = 0;                           // next slot to write
    int count_ = 0;                          // filled slots
    std::vector<std::int32_t> fired_;        // window x units
    std::vector<std::int32_t> fired_count_;  // per slot
    std::vector<std::uint8_t> patch_start_;
};

class SimulationWorker : public QObject {
    Q_OBJECT
  public:
    static constexpr int kRasterWindow = 400;  // output steps kept for the raster
    static constexpr double kMaxSpeed = 0.0;   // setSpeed(kMaxSpeed) = as fast as possible

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
    void shutdown();

  signals:
    void snapshotReady(stdp::studio::SnapshotPtr snapshot);
    void failed(const QString& message);

  private:
    void restart(std::uint64_t generation);  // new network: clear the recorders, emit
    void tick();
    void runSlice();
    void scheduleNext();
    void emitSnapshot(bool force);
    SnapshotPtr buildSnapshot();
    void checkpointWins();
    double imagesProgress() const;  // images seen, with the fraction of the current one
    void sampleThreshold();
    void loopIfFinished();  // another pass over the data when looping

    std::unique_ptr<TrainingSession> session_;
    RasterRecorder raster_;
    QTimer* timer_ = nullptr;
    std::atomic<bool> pause_requested_{false};
    bool running_ = false;
    bool loop_ = false;
    std::uint64_t stop_at_images_ = 0;
    qint64 play_ms_ = 0;
    double play_progress_ = 0.0;
    std::uint64_t play_steps_ = 0;
    double speed_ = kMaxSpeed;
    double step_credit_ = 0.0;  // slowed-down mode: steps owed since the last tick
    std::uint64_t generation_ = 0;
    std::uint64_t images_offset_ = 0;
    double progress_ = 0.0;                     // images seen, with the fraction of the current one
    std::vector<ThresholdSample> theta_trace_;  // not yet sent
    std::uint64_t theta_sampled_steps_ = 0;

    QElapsedTimer clock_;
    qint64 last_emit_ms_ = -1000;
    qint64 last_tick_ms_ = 0;
    // Rates, measured between snapshots and smoothed.
    qint64 rate_ms_ = 0;
    std::uint64_t rate_images_ = 0;
    std::uint64_t rate_steps_ = 0;
    std::uint64_t rate_spikes_ = 0;
    std::uint64_t rate_spikes_steps_ = 0;
    double images_per_second_ = 0.0;
    double steps_per_second_ = 0.0;
    double spikes_per_step_ = 0.0;
    // Win counts at a few past moments, for "recent wins".
    struct WinCheckpoint {
        std::uint64_t steps = 0;
        std::vector<std::uint64_t> wins;
    };
    std::vector<WinCheckpoint> checkpoints_;
};

}  // namespace stdp::studio
