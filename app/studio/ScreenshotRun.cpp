#include "ScreenshotRun.h"

#include <QTimer>
#include <QWidget>

namespace stdp::studio {

namespace {
constexpr int kSettleMs = 300;
constexpr int kEvalTimeoutMs = 60000;
}  // namespace

ScreenshotRun::ScreenshotRun(QWidget* window, SimulationController* controller,
                             std::function<void()> refresh, QObject* parent)
    : QObject(parent), window_(window), controller_(controller), refresh_(std::move(refresh)) {}

void ScreenshotRun::start(std::uint64_t images, const QString& file) {
    images_ = images;
    file_ = file;
    stopping_ = false;
    controller_->setSpeed(SimulationWorker::kMaxSpeed);
    run_clock_.start();
    controller_->play(images);
}

void ScreenshotRun::onChartRedraw(double ms) {
    ++stats_.chart_redraws;
    stats_.chart_ms_total += ms;
}

void ScreenshotRun::onFrame(const Snapshot& s, double ms) {
    ++stats_.frames;
    stats_.frame_ms_total += ms;
    stats_.frame_ms_max = std::max(stats_.frame_ms_max, ms);
    if (file_.isEmpty() || stopping_ || s.counters.images < images_)
        return;
    stopping_ = true;
    controller_->pause();
    stats_.run_images = s.counters.images;
    stats_.run_steps = s.counters.steps;
    stats_.run_seconds = static_cast<double>(run_clock_.nsecsElapsed()) / 1e9;
    controller_->requestEvaluation();
    // Wait for the evaluation of the final network (an earlier one may still be running).
    const double target = s.images_progress;
    connect(controller_, &SimulationController::metricsReady, this, [this, target] {
        if (controller_->history().lastMetricsImages() >= target)
            QTimer::singleShot(kSettleMs, this, &ScreenshotRun::grabNow);
    });
    QTimer::singleShot(kEvalTimeoutMs, this, &ScreenshotRun::grabNow);
}

void ScreenshotRun::grabNow() {
    if (file_.isEmpty())
        return;
    refresh_();
    const QString file = std::exchange(file_, QString());
    const bool ok = window_->grab().save(file);
    emit done(ok, ok ? file : tr("cannot write '%1'").arg(file));
}

}  // namespace stdp::studio
