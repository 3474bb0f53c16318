#include "RateMeter.h"

namespace stdp::studio {

namespace {
constexpr std::int64_t kRateWindowMs = 250;  // images/s is measured over about this long
constexpr double kRateSmoothing = 0.5;       // weight of the newest measurement
// Spikes per step is a ratio of counts: over one step (the Step button while paused) it reads 0,
// 1 or 2, and the activity chart dropped to 0 at its last point. A reading needs this many steps,
// or, in a slow run, this long, except the first after a restart.
constexpr std::uint64_t kSpikeWindowSteps = 400;
constexpr std::int64_t kSpikeWindowMs = 1000;

double smoothed(double previous, double now) {
    return previous > 0.0 ? kRateSmoothing * now + (1 - kRateSmoothing) * previous : now;
}

// Counters can only have been reset between two marks (a restart), never run backwards: a
// difference against an older network's counts reads as zero, not as 1.8e19.
double since(std::uint64_t now, std::uint64_t then) {
    return now >= then ? static_cast<double>(now - then) : 0.0;
}
}  // namespace

void RateMeter::restart(std::int64_t now_ms, const TrainingCounters& counters, double progress) {
    reading_ = {};
    spikes_ = counters.spikes;
    spikes_steps_ = counters.steps;
    spikes_ms_ = now_ms;
    spikes_read_ = false;
    play(now_ms, counters, progress);
}

void RateMeter::play(std::int64_t now_ms, const TrainingCounters& counters, double progress) {
    window_ = {now_ms, counters.images, counters.steps, progress};
    play_ = window_;
}

RateMeter::Reading RateMeter::measure(std::int64_t now_ms, const TrainingCounters& counters,
                                      double progress, bool running) {
    if (running && now_ms - window_.ms >= kRateWindowMs) {
        const double dt = static_cast<double>(now_ms - window_.ms) / 1000.0;
        reading_.images_per_second =
            smoothed(reading_.images_per_second, since(counters.images, window_.images) / dt);
        reading_.steps_per_second =
            smoothed(reading_.steps_per_second, since(counters.steps, window_.steps) / dt);
        window_ = {now_ms, counters.images, counters.steps, progress};
    }
    if (running && reading_.images_per_second == 0.0 && now_ms > play_.ms) {
        // No full measuring window yet: the average since Play.
        const double dt = static_cast<double>(now_ms - play_.ms) / 1000.0;
        reading_.images_per_second =
            progress > play_.progress ? (progress - play_.progress) / dt : 0.0;
        reading_.steps_per_second = since(counters.steps, play_.steps) / dt;
    }
    if (counters.steps > spikes_steps_) {
        const std::uint64_t steps = counters.steps - spikes_steps_;
        const bool enough = steps >= kSpikeWindowSteps || !spikes_read_ ||
                            (running && now_ms - spikes_ms_ >= kSpikeWindowMs);
        if (enough) {
            reading_.spikes_per_step = since(counters.spikes, spikes_) / static_cast<double>(steps);
            spikes_ = counters.spikes;
            spikes_steps_ = counters.steps;
            spikes_ms_ = now_ms;
            spikes_read_ = true;
        }
    } else if (counters.steps < spikes_steps_) {
        spikes_ = counters.spikes;  // an older network's counts
        spikes_steps_ = counters.steps;
        spikes_ms_ = now_ms;
    }
    return reading_;
}

}  // namespace stdp::studio
