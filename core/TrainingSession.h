#pragma once
// Drives a RepresentationLayer over a data set: encodes each image once, cuts its patches, and
// presents them in order, one time step at a time. Resumable at any step, so the studio can pause,
// single-step and change settings between steps; the CLI uses the same path, so both agree.

#include <cstdint>
#include <functional>
#include <memory>

#include "Dataset.h"
#include "RepresentationLayer.h"
#include "Settings.h"
#include "SpikeEncoder.h"

namespace stdp {

enum class StepUnit { Step, Patch, Image };

// Where a patch comes from.
struct PatchOrigin {
    int epoch = 0;
    std::size_t image = 0;
    PatchPosition position;
};

struct TrainingCounters {
    std::uint64_t images = 0;   // images whose patches have all been presented
    std::uint64_t patches = 0;  // patches fully presented
    std::uint64_t steps = 0;
    std::uint64_t spikes = 0;  // output spikes
};

class TrainingSession {
  public:
    TrainingSession(const Settings& settings, std::shared_ptr<const ImageSet> data);

    // Re-initialises the weights from the seed and rewinds to the first image.
    void reset();
    // Live change of the dynamics (takes effect at the next step).
    void setDynamics(const DynamicsSettings& dynamics);
    const Settings& settings() const { return settings_; }

    // Presents `count` units: time steps, or patches or images, where one already begun counts
    // when it completes. Stops early at the end of the data (every epoch). Returns false when the
    // data are exhausted, including when this call presented the last patch; addEpoch() resumes.
    bool advance(StepUnit unit, std::uint64_t count = 1, StepObserver* observer = nullptr);
    // Trains on up to `images` images; `progress(images_done)` is called after each image and
    // may return false to stop early. Returns the number of images completed.
    std::uint64_t trainImages(std::uint64_t images,
                              const std::function<bool(std::uint64_t)>& progress = {},
                              StepObserver* observer = nullptr);
    bool finished() const { return finished_; }
    // One more pass over the data (the studio's "loop"): learning goes on from where it is, with
    // the same network, cursor and random streams; data.epochs counts the passes.
    void addEpoch();

    const TrainingCounters& counters() const { return counters_; }
    const RepresentationLayer& layer() const { return layer_; }
    RepresentationLayer& layer() { return layer_; }
    const ImageSet& data() const { return *data_; }

    // The patch being presented (valid when hasPatch()); bit masks or index lists (see
    // PatchSpikes).
    bool hasPatch() const { return has_current_; }
    const PatchSpikes& currentPatch() const { return current_; }
    const PatchOrigin& currentOrigin() const { return current_origin_; }
    int padding() const { return pad_; }

    // Images seen before this session started (a loaded bundle), for the learning-rate schedule.
    void setImagesOffset(std::uint64_t images);

  private:
    // One step, or (whole_patch) the rest of the current patch; false at the end of the data.
    // Up to `most` steps, all within the current patch (starting the next one if it is done);
    // returns how many were made, 0 once the data is exhausted.
    std::uint64_t stepWithinPatch(StepObserver* observer, std::uint64_t most);
    bool fetchPatch(PatchSpikes& out, PatchOrigin& origin);
    void cutPatch(PatchPosition at, PatchSpikes& out) const;
    void loadImage(std::size_t index);
    void applyRateSchedule();

    Settings settings_;
    std::shared_ptr<const ImageSet> data_;
    RepresentationLayer layer_;
    Rng spike_rng_;
    Rng sampler_rng_;
    SpikeImage spike_image_;
    int pad_ = 0;

    // Cursor: the next image and patch position to fetch.
    int epoch_ = 0;
    std::size_t image_ = 0;
    bool image_loaded_ = false;
    int position_ = 0;   // next position index within the image
    int positions_ = 0;  // positions in the image (or random patches per image)
    int grid_cols_ = 0;

    // The patch being presented and the next one: the look-ahead tells when an image completes.
    PatchSpikes current_;
    PatchOrigin current_origin_;
    bool has_current_ = false;
    PatchSpikes next_;
    PatchOrigin next_origin_;
    bool has_next_ = false;
    bool finished_ = false;
    int step_in_patch_ = 0;

    TrainingCounters counters_;
    std::uint64_t images_offset_ = 0;
};

}  // namespace stdp
