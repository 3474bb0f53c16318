#pragma once
// Images/s, steps/s and spikes per step of the run, measured between snapshots over windows of
// about a quarter second and smoothed, so the readout neither flickers nor lags. Times are given
// in milliseconds by the caller (the worker's clock), which keeps the meter a plain value.

#include <cstdint>

#include "model/TrainingSession.h"

namespace stdp::studio {

class RateMeter {
  public:
    struct Reading {
        double images_per_second = 0.0;
        double steps_per_second = 0.0;
        double spikes_per_step = 0.0;  // training activity since the previous reading
    };

    // A new network: every count starts again from `counters` and nothing is known of the rate.
    void restart(std::int64_t now_ms, const TrainingCounters& counters, double progress);
    // Play: rates are measured from here; the last ones stay shown until a window has passed.
    void play(std::int64_t now_ms, const TrainingCounters& counters, double progress);
    // `progress`: images seen with the fraction of the current one.
    Reading measure(std::int64_t now_ms, const TrainingCounters& counters, double progress,
                    bool running);

  private:
    struct Mark {
        std::int64_t ms = 0;
        std::uint64_t images = 0;
        std::uint64_t steps = 0;
        double progress = 0.0;
    };
    Mark window_;  // start of the current measuring window
    Mark play_;    // when Play was pressed (or the network restarted)
    std::uint64_t spikes_ = 0;
    std::uint64_t spikes_steps_ = 0;
    std::int64_t spikes_ms_ = 0;  // when spikes_ and spikes_steps_ were taken
    bool spikes_read_ = false;    // whether spikes per step has been read since the restart
    Reading reading_;
};

}  // namespace stdp::studio
