#include "RateMeter.h"

namespace stdp::studio {

namespace {
constexpr std::int64_t kRateWindowMs = 250;  // images/s is measured over about this long
constexpr double kRateSmoothing = 0.5;       // weight of the newest measurement

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
        reading_.spikes_per_step =
            since(counters.spikes, spikes_) / since(counters.steps, spikes_steps_);
        spikes_ = counters.spikes;
        spikes_steps_ = counters.steps;
    } else if (counters.steps < spikes_steps_) {
        spikes_ = counters.spikes;  // an older network's counts
        spikes_steps_ = counters.steps;
    }
    return reading_;
}

}  // namespace stdp::studio
