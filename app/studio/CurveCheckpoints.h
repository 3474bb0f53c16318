#pragma once
// States of a running network kept for the learning curves. A run at full speed outpaces the
// periodic evaluations (EvaluationSchedule: one per 3 s on a quiet machine), so a run of a few
// seconds (paper-mnist's 1,800 digits at 1,300-2,000 images/s) ended with a validation curve of
// two points, its start and its end. While the network runs, the snapshots it passes through
// are kept here, evenly spread over the images seen (at most kMost: when full, every other one
// goes and the spacing doubles); when it stops, those not already near an evaluated point are
// evaluated off the simulation's core, after the evaluation of the final network.
// A plain value: the caller says what ran, what was evaluated and when the run stopped.

#include <cstddef>
#include <vector>

#include "Snapshot.h"

namespace stdp::studio {

class CurveCheckpoints {
  public:
    static constexpr std::size_t kMost = 24;

    // A snapshot of the running, learning network.
    void offer(const SnapshotPtr& snapshot);
    // An evaluation of the network at `images` was started (a point of the curve there).
    void evaluated(double images);
    // The run stopped: the kept snapshots that no evaluation is near, oldest first. Starts the
    // next run's list (the spacing is kept, so that the curve's density stays the same).
    std::vector<SnapshotPtr> takeUnevaluated();
    // A new or reset network.
    void clear();

    std::size_t kept() const { return kept_.size(); }
    double spacing() const { return spacing_; }

  private:
    std::vector<SnapshotPtr> kept_;
    std::vector<double> evaluated_;  // images at the evaluations of this run
    double spacing_ = 0.0;           // images between two kept snapshots, at least
};

}  // namespace stdp::studio
