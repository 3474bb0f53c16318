#include "SnapshotBuilder.h"

#include <algorithm>

namespace stdp::studio {

namespace {
constexpr std::uint64_t kCheckpointSteps = 5000;
constexpr std::size_t kCheckpoints = 6;  // recent wins cover up to 6 x 5000 steps
}  // namespace

void SnapshotBuilder::restart(int units) {
    checkpoints_.assign(1, {0, std::vector<std::uint64_t>(static_cast<std::size_t>(units), 0)});
}

void SnapshotBuilder::checkpointWins(const RepresentationLayer& layer, std::uint64_t steps) {
    if (checkpoints_.empty())
        restart(layer.units());
    if (steps - checkpoints_.back().steps < kCheckpointSteps)
        return;
    const auto wins = layer.winCounts();
    checkpoints_.push_back({steps, std::vector<std::uint64_t>(wins.begin(), wins.end())});
    if (checkpoints_.size() > kCheckpoints)
        checkpoints_.erase(checkpoints_.begin());
}

SnapshotPtr SnapshotBuilder::build(const TrainingSession& session, const Run& run,
                                   std::vector<ThresholdSample> theta_trace,
                                   const RasterRecorder& raster_recorder,
                                   std::vector<StepTracePtr> step_traces) {
    auto snap = std::make_shared<Snapshot>();
    const RepresentationLayer& layer = session.layer();
    const Settings& settings = session.settings();
    const int p = settings.structure.patch_size;
    snap->generation = run.generation;
    snap->counters = session.counters();
    snap->images_offset = run.images_offset;
    snap->patches_offset = run.patches_offset;
    snap->running = run.running;
    snap->finished = session.finished();
    snap->settings = settings;
    snap->images_progress = run.images_progress;
    snap->theta_trace = std::move(theta_trace);
    snap->images_per_second = run.rates.images_per_second;
    snap->steps_per_second = run.rates.steps_per_second;
    snap->spikes_per_step = run.rates.spikes_per_step;
    snap->load = run.load;

    const auto& theta = layer.thresholds();
    if (!theta.empty()) {
        const auto [lo, hi] = std::minmax_element(theta.begin(), theta.end());
        snap->theta_min = *lo;
        snap->theta_max = *hi;
        snap->theta_mean = layer.meanThreshold();
    }

    // Fields and firing statistics.
    checkpointWins(layer, snap->counters.steps);
    auto fields = std::make_shared<gui::FieldsSnapshot>();
    fields->weights = layer.weights();
    fields->patch_size = p;
    fields->onoff = settings.structure.onoff;
    fields->thresholds = theta;
    fields->history = run.neuron_history;
    const auto wins = layer.winCounts();
    fields->wins.assign(wins.begin(), wins.end());
    const WinCheckpoint& oldest = checkpoints_.front();
    fields->recent_steps = snap->counters.steps - oldest.steps;
    fields->recent_wins.resize(fields->wins.size());
    for (std::size_t j = 0; j < fields->wins.size(); ++j)
        fields->recent_wins[j] = fields->wins[j] - (j < oldest.wins.size() ? oldest.wins[j] : 0);

    auto raster = std::make_shared<gui::RasterSnapshot>();
    raster->inputs = layer.inputs();
    raster->units = layer.units();
    raster_recorder.fill(*raster);
    if (settings.dynamics.amplitudeCoding()) {
        raster->additive_gain = settings.dynamics.decoderGain();
        raster->hurdle_added = settings.dynamics.decoder_hurdle > 0.0;
    }
    fields->raster_spikes.assign(static_cast<std::size_t>(layer.units()), 0);
    for (auto j : raster->out_indices)
        ++fields->raster_spikes[static_cast<std::size_t>(j)];

    snap->presentation = session.presentationProgress();
    if (snap->counters.steps > 0 || session.showsPresentation()) {
        PatchSpikes patch = session.currentPatch();
        patch.toIndexLists();  // the views and the reconstruction read index lists
        raster->patch_steps = patch.steps;
        raster->current_step = session.hasPatch() ? layer.stepInPatch() : patch.steps;
        raster->last_fired_on = session.showsLastFiredOn();
        raster->input_offsets = patch.offsets;
        raster->input_indices = patch.indices;

        const PatchOrigin& origin = session.currentOrigin();
        snap->has_patch = true;
        snap->image = session.currentImage();
        snap->presented = origin.presented;
        snap->image_index = origin.image;
        snap->image_in_data = origin.in_data;
        // A presented patch's position is in image coordinates, a training patch's padded.
        const int pad = origin.presented ? 0 : session.padding();
        snap->patch_row = origin.position.row - pad;
        snap->patch_col = origin.position.col - pad;
        snap->patch_spikes = patch;
        if (snap->image)
            patchPixels(*snap->image, {snap->patch_row + p / 2, snap->patch_col + p / 2}, p, p / 2,
                        snap->patch_pixels);
    }
    snap->fields = std::move(fields);
    snap->raster = std::move(raster);
    snap->step_traces = std::move(step_traces);
    return snap;
}

}  // namespace stdp::studio
