#pragma once
// The `--screenshot` harness: learn N images at full speed, wait for the final evaluation, render
// the window to a file; and what the views cost the GUI thread meanwhile (the performance report).

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>
#include <functional>
#include <map>
#include <vector>

#include "SimulationController.h"
#include "ThreadCpuMeter.h"

class QWidget;

namespace stdp::studio {

// GUI-thread cost of the views, and the learning speed of a screenshot run.
struct FrameStats {
    int frames = 0;
    double frame_ms_total = 0.0;
    double frame_ms_max = 0.0;
    int chart_redraws = 0;
    double chart_ms_total = 0.0;
    std::uint64_t run_images = 0;  // screenshot run: images and time until the pause
    std::uint64_t run_steps = 0;
    double run_seconds = 0.0;
    // Over the run (Play to the pause): CPU seconds per thread, the cores other programs kept
    // busy, snapshots the worker built and what building them cost it, evaluations started.
    std::vector<ThreadCpu> thread_cpu;
    double process_cpu_seconds = 0.0;
    double other_cores = -1.0;
    std::uint64_t snapshots_built = 0;
    double snapshot_build_ms = 0.0;
    int evaluations = 0;
    bool evaluation_deferred = false;  // at some point of the run
    // Responsiveness while it ran, in ms: how long an event posted to the GUI thread waited
    // (what a click waits), and from a command leaving the GUI (queued to the worker as a live
    // edit is) to the views holding the first snapshot built after the worker took it.
    std::vector<double> event_delay_ms;
    std::vector<double> command_latency_ms;
};

// The p-th quantile (0..1) of the values, 0 for none.
double quantile(std::vector<double> values, double p);

class ScreenshotRun : public QObject {
    Q_OBJECT
  public:
    // `refresh` brings the charts up to date just before the picture is taken.
    ScreenshotRun(QWidget* window, SimulationController* controller, std::function<void()> refresh,
                  QObject* parent = nullptr);

    void start(std::uint64_t images, const QString& file);
    // With every snapshot the window has painted (`ms`: what painting it cost).
    void onFrame(const Snapshot& s, double ms);
    void onChartRedraw(double ms);
    const FrameStats& stats() const { return stats_; }

  signals:
    void done(bool ok, const QString& message);

  private:
    void grabNow();
    void probe();  // every kProbeMs while the run learns
    void endOfRun(const Snapshot& s);

    QWidget* window_;
    SimulationController* controller_;
    std::function<void()> refresh_;
    FrameStats stats_;
    QElapsedTimer run_clock_;
    std::uint64_t images_ = 0;
    QString file_;
    bool stopping_ = false;
    bool final_evaluated_ = false;
    QTimer probe_timer_;
    quint64 next_token_ = 1;
    std::map<quint64, qint64> sent_;  // token -> when it left (run clock, ns)
    std::vector<ThreadCpu> cpu_at_start_;
    MachineLoadMeter load_;
    std::uint64_t built_at_start_ = 0;
    double build_ms_at_start_ = 0.0;
    int evaluations_at_start_ = 0;
    bool started_ = false;
};

}  // namespace stdp::studio
