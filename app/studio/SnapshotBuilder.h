#pragma once
// Turns the worker's state into the immutable Snapshot the views draw: the fields copied once,
// the raster ring, the current patch and its pixels, the recorded steps; and keeps the win
// counts of a few past moments so that the views can show "recent wins".

#include <cstdint>
#include <vector>

#include "RasterRecorder.h"
#include "RateMeter.h"
#include "Snapshot.h"

namespace stdp::studio {

class SnapshotBuilder {
  public:
    // What the worker knows of the run that the session does not.
    struct Run {
        std::uint64_t generation = 0;
        std::uint64_t images_offset = 0;
        std::uint64_t patches_offset = 0;
        bool running = false;
        double images_progress = 0.0;
        RateMeter::Reading rates;
        std::shared_ptr<const gui::NeuronHistory> neuron_history;
        WorkerLoad load;
    };

    void restart(int units);  // a new network: recent wins count from here
    SnapshotPtr build(const TrainingSession& session, const Run& run,
                      std::vector<ThresholdSample> theta_trace, const RasterRecorder& raster,
                      std::vector<StepTracePtr> step_traces);

  private:
    void checkpointWins(const RepresentationLayer& layer, std::uint64_t steps);

    struct WinCheckpoint {
        std::uint64_t steps = 0;
        std::vector<std::uint64_t> wins;
    };
    std::vector<WinCheckpoint> checkpoints_;
};

}  // namespace stdp::studio
