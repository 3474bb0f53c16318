#pragma once
// What the simulation worker hands to the GUI, about 30 times a second at most: an immutable copy
// of everything the views show. Never modified after it is emitted.

#include <QMetaType>
#include <cstdint>
#include <memory>
#include <vector>

#include "ViewData.h"
#include "analysis/Metrics.h"
#include "foundation/Settings.h"
#include "model/SpikeEncoder.h"
#include "model/StepTrace.h"
#include "model/TrainingSession.h"

namespace stdp::studio {

// Theta at one moment of training (x in images seen), sampled by the worker between snapshots so
// the threshold chart keeps its detail however few frames a fast run produces.
struct ThresholdSample {
    double images = 0.0;
    float mean = 0.0f;
    float min = 0.0f;
    float max = 0.0f;
};

// What building snapshots has cost the simulation thread so far, and the newest command the worker
// had received (SimulationWorker::acknowledge): for the --stats report.
struct WorkerLoad {
    std::uint64_t snapshots_built = 0;
    double build_ms = 0.0;
    std::uint64_t acknowledged = 0;
};

struct Snapshot {
    std::uint64_t generation = 0;  // drops frames of a network that was reset or replaced
    TrainingCounters counters;
    std::uint64_t images_offset = 0;   // images seen before this session (a loaded bundle)
    std::uint64_t patches_offset = 0;  // and patches: the learning-rate schedule's clock
    double images_progress = 0.0;      // all images seen (offset included) + current fraction
    double images_per_second = 0.0;
    double steps_per_second = 0.0;
    double spikes_per_step = 0.0;  // training activity since the previous snapshot
    float theta_mean = 0.0f;
    float theta_min = 0.0f;
    float theta_max = 0.0f;
    std::vector<ThresholdSample> theta_trace;  // since the previous snapshot, oldest first
    bool running = false;
    bool finished = false;  // the data are exhausted
    Settings settings;      // as the worker uses them now (live changes included)

    std::shared_ptr<const gui::FieldsSnapshot> fields;
    std::shared_ptr<const gui::RasterSnapshot> raster;

    // The patch being presented, for the reconstruction view.
    bool has_patch = false;
    std::shared_ptr<const Image> image;  // its image (shared with the data set: no copy)
    bool presented = false;              // of a Presentation, not of training
    std::size_t image_index = 0;         // in the data (a presented drawing: none, see below)
    bool image_in_data = true;
    int patch_row = 0;  // top-left in image coordinates (may be negative: zero padding)
    int patch_col = 0;
    PatchSpikes patch_spikes;
    std::vector<float> patch_pixels;

    // Steps recorded for the step view since the previous snapshot, oldest first (empty unless
    // the view asked for them).
    std::vector<StepTracePtr> step_traces;

    PresentationProgress presentation;  // a presentation pending or running
    WorkerLoad load;                    // up to the snapshot before this one
};

using SnapshotPtr = std::shared_ptr<const Snapshot>;

// A trained state to start from (an opened bundle).
struct InitialState {
    WeightMatrix weights;
    std::vector<float> thresholds;
    std::uint64_t images_seen = 0;
    std::uint64_t patches_seen = 0;
};

}  // namespace stdp::studio

Q_DECLARE_METATYPE(stdp::studio::SnapshotPtr)
Q_DECLARE_METATYPE(stdp::ReconstructionMetrics)
Q_DECLARE_METATYPE(std::shared_ptr<const stdp::gui::ReconstructionSnapshot>)
