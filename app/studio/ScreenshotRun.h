#pragma once
// The `--screenshot` harness: learn N images at full speed, wait for the final evaluation, render
// the window to a file; and what the views cost the GUI thread meanwhile (the performance report).

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <functional>

#include "SimulationController.h"

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
};

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

    QWidget* window_;
    SimulationController* controller_;
    std::function<void()> refresh_;
    FrameStats stats_;
    QElapsedTimer run_clock_;
    std::uint64_t images_ = 0;
    QString file_;
    bool stopping_ = false;
};

}  // namespace stdp::studio
