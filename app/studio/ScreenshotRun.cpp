#include "ScreenshotRun.h"

#include <QTimer>
#include <QWidget>
#include <algorithm>
#include <cmath>

namespace stdp::studio {

namespace {
constexpr int kSettleMs = 300;
constexpr int kEvalTimeoutMs = 60000;
constexpr int kCheckpointWaitMs = 10000;
constexpr int kProbeMs = 100;  // responsiveness probes while the run learns
}  // namespace

double quantile(std::vector<double> values, double p) {
    if (values.empty())
        return 0.0;
    std::sort(values.begin(), values.end());
    const auto last = static_cast<double>(values.size() - 1);
    return values[static_cast<std::size_t>(std::lround(std::clamp(p, 0.0, 1.0) * last))];
}

ScreenshotRun::ScreenshotRun(QWidget* window, SimulationController* controller,
                             std::function<void()> refresh, QObject* parent)
    : QObject(parent), window_(window), controller_(controller), refresh_(std::move(refresh)) {
    probe_timer_.setTimerType(Qt::PreciseTimer);
    probe_timer_.setInterval(kProbeMs);
    connect(&probe_timer_, &QTimer::timeout, this, &ScreenshotRun::probe);
    connect(controller_, &SimulationController::evaluationDeferredChanged, this,
            [this](bool deferred) {
                if (deferred && started_ && !stopping_)
                    stats_.evaluation_deferred = true;
            });
}

void ScreenshotRun::start(std::uint64_t images, const QString& file) {
    images_ = images;
    file_ = file;
    stopping_ = false;
    started_ = true;
    controller_->setSpeed(SimulationWorker::kMaxSpeed);
    cpu_at_start_ = threadCpuTimes();
    (void)load_.sample();
    if (const SnapshotPtr s = controller_->latest()) {
        built_at_start_ = s->load.snapshots_built;
        build_ms_at_start_ = s->load.build_ms;
    }
    evaluations_at_start_ = controller_->evaluationsStarted();
    run_clock_.start();
    controller_->play(images);
    probe_timer_.start();
}

void ScreenshotRun::probe() {
    const qint64 posted = run_clock_.nsecsElapsed();
    QMetaObject::invokeMethod(
        this,
        [this, posted] {
            stats_.event_delay_ms.push_back(
                static_cast<double>(run_clock_.nsecsElapsed() - posted) / 1e6);
        },
        Qt::QueuedConnection);
    const quint64 token = next_token_++;
    sent_[token] = posted;
    controller_->acknowledge(token);
}

void ScreenshotRun::onChartRedraw(double ms) {
    ++stats_.chart_redraws;
    stats_.chart_ms_total += ms;
}

void ScreenshotRun::onFrame(const Snapshot& s, double ms) {
    ++stats_.frames;
    stats_.frame_ms_total += ms;
    stats_.frame_ms_max = std::max(stats_.frame_ms_max, ms);
    if (!stopping_) {
        const qint64 now = run_clock_.nsecsElapsed();
        while (!sent_.empty() && sent_.begin()->first <= s.load.acknowledged) {
            stats_.command_latency_ms.push_back(static_cast<double>(now - sent_.begin()->second) /
                                                1e6);
            sent_.erase(sent_.begin());
        }
    }
    if (file_.isEmpty() || stopping_ || s.counters.images < images_)
        return;
    stopping_ = true;
    controller_->pause();
    endOfRun(s);
    controller_->requestEvaluation();
    // Wait for the evaluation of the final network (an earlier one may still be running), then
    // for the curve's checkpoints (CurveCheckpoints: sent when the run stops, done after it), at
    // most kCheckpointWaitMs longer.
    const double target = s.images_progress;
    const auto ready = [this, target] {
        if (controller_->history().lastMetricsImages() < target)
            return;
        if (!final_evaluated_) {
            final_evaluated_ = true;
            QTimer::singleShot(kCheckpointWaitMs, this, &ScreenshotRun::grabNow);
        }
        const auto checkpointsIn = [this] {
            return controller_->checkpointResults() >= controller_->checkpointEvaluations();
        };
        if (checkpointsIn())
            QTimer::singleShot(kSettleMs, this, [this, checkpointsIn] {
                if (checkpointsIn())  // none sent meanwhile (the pause's snapshot sends them)
                    grabNow();
            });
    };
    connect(controller_, &SimulationController::metricsReady, this, ready);
    connect(controller_, &SimulationController::historyChanged, this, ready);
    QTimer::singleShot(kEvalTimeoutMs, this, &ScreenshotRun::grabNow);
}

void ScreenshotRun::endOfRun(const Snapshot& s) {
    probe_timer_.stop();
    sent_.clear();
    stats_.run_images = s.counters.images;
    stats_.run_steps = s.counters.steps;
    stats_.run_seconds = static_cast<double>(run_clock_.nsecsElapsed()) / 1e9;
    stats_.thread_cpu = threadCpuSince(cpu_at_start_, threadCpuTimes());
    stats_.process_cpu_seconds = 0.0;
    for (const ThreadCpu& t : stats_.thread_cpu)
        stats_.process_cpu_seconds += t.seconds;
    stats_.other_cores = load_.sample();
    stats_.snapshots_built = s.load.snapshots_built - built_at_start_;
    stats_.snapshot_build_ms = s.load.build_ms - build_ms_at_start_;
    stats_.evaluations = controller_->evaluationsStarted() - evaluations_at_start_;
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
