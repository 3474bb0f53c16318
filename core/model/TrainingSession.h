#pragma once
// Drives a RepresentationLayer over a data set: encodes each image once, cuts its patches, and
// presents them in order, one time step at a time. With random sampling (photographs) the
// patches of all images are interleaved: each round takes one patch from every image, in an order
// drawn from the seed, so that no image's patches come as one block at the end of the run.
// Resumable at any step, so the studio can pause, single-step and change settings between steps;
// the CLI uses the same path, so both agree.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "data/Dataset.h"
#include "foundation/Settings.h"
#include "model/ProtocolPatches.h"
#include "model/RepresentationLayer.h"
#include "model/SpikeEncoder.h"

namespace stdp {

enum class StepUnit { Step, Patch, Image };

// Where a patch comes from.
struct PatchOrigin {
    int epoch = 0;
    std::size_t image = 0;  // the data image the patch is cut from
    PatchPosition position;
    bool presented = false;  // from a Presentation (position then in image coordinates)
    bool in_data = true;     // false: a presented drawing (`image` means nothing)
    // Which image's worth of patches of the epoch it belongs to: `image` when images are taken
    // one after the other; with random sampling, patches of all images are interleaved and every
    // patches_per_image of them make one.
    std::size_t unit = 0;
};

// An input the user chose, run through the network before training goes on: an image of the
// data or a drawing, all its protocol-A patches or only one. Frozen, the network is left bit for
// bit as it was and training resumes exactly where it stopped; learning, it keeps what it learnt.
// Either way its steps are not training steps: the counters, the learning-rate schedule and the
// training's random streams do not move, so an experiment's step clock stays true.
struct Presentation {
    std::shared_ptr<const Image> image;
    std::optional<std::size_t> data_index;  // the data image it is, if it is one
    std::optional<PatchPosition> patch;     // one patch (top-left, image coordinates), or all
    bool learn = false;
    std::uint64_t seed = 1;  // of the spikes: protocol A's seed gives Draw and present's spikes
    std::string label;       // what it is, for the user ("image 5", "the drawing")
};

// How far a presentation has gone.
struct PresentationProgress {
    bool active = false;
    std::size_t patch = 0;    // the patch being presented (0-based)
    std::size_t patches = 0;  // patches in all
    bool learn = false;
    std::optional<std::size_t> data_index;
    std::string label;
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
    // PatchSpikes). Between patches (the end of the data, a stop at an image's end, Step > Patch),
    // the last one a neuron fired on: images often end on faint border patches no neuron answers,
    // and a run that stops on a black patch and a black reconstruction looks broken.
    bool hasPatch() const { return showing_presented_ ? in_presented_patch_ : has_current_; }
    const PatchSpikes& currentPatch() const {
        return showing_presented_ ? presented_current_ : endsOnLearnt() ? learnt_ : current_;
    }
    const PatchOrigin& currentOrigin() const {
        return showing_presented_ ? presented_origin_
               : endsOnLearnt()   ? learnt_origin_
                                  : current_origin_;
    }
    // Between patches, after ones no neuron fired on: the patch shown is the last one before them.
    bool showsLastFiredOn() const { return !showing_presented_ && endsOnLearnt(); }
    // The last patch stepped was a presented one (training has not stepped since).
    bool showsPresentation() const { return showing_presented_; }
    int padding() const { return pad_; }

    // Sets theta (one value, or K); during a presentation also for the training that resumes.
    void setThresholds(const std::vector<float>& theta);

    // Patches presented before this session started (a loaded bundle): the learning-rate
    // schedule's clock goes on from there.
    void setPatchesOffset(std::uint64_t patches);

    // Runs `presentation` from the next step on, before training goes on (replacing one not yet
    // finished). Throws UserError for an image the network cannot take (too small, signed values
    // for a layer without ON/OFF inputs, a patch of nothing).
    void present(Presentation presentation);
    // Abandons the presentation: frozen, as if it had never run; learning, with what it learnt.
    void endPresentation();
    PresentationProgress presentationProgress() const;
    // The image of the current patch: a data image or the presented one.
    std::shared_ptr<const Image> currentImage() const;

  private:
    // One step, or (whole_patch) the rest of the current patch; false at the end of the data.
    // Up to `most` steps, all within the current patch (starting the next one if it is done);
    // returns how many were made, 0 once the data is exhausted.
    std::uint64_t stepWithinPatch(StepObserver* observer, std::uint64_t most);
    bool fetchPatch(PatchSpikes& out, PatchOrigin& origin);
    bool fetchRandomPatch(PatchSpikes& out, PatchOrigin& origin);
    std::uint64_t presentWithinPatch(StepObserver* observer, std::uint64_t most);
    void finishPresentation();
    void cutPatch(PatchPosition at, PatchSpikes& out) const;
    void loadImage(std::size_t index);
    void applyRateSchedule();
    bool endsOnLearnt() const { return !has_current_ && !current_fired_ && has_learnt_; }

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
    // Skipping empty patches in rows of at most 64 positions: the non-empty columns of the row
    // nonempty_row_ (-1: none yet for this image), a bit each.
    int nonempty_row_ = -1;
    std::uint64_t nonempty_columns_ = 0;

    // The patch being presented and the next one: the look-ahead tells when an image completes.
    PatchSpikes current_;
    PatchOrigin current_origin_;
    bool has_current_ = false;
    PatchSpikes next_;
    PatchOrigin next_origin_;
    bool has_next_ = false;
    bool finished_ = false;
    int step_in_patch_ = 0;
    // Whether a neuron fired on the current patch (so far), and the last patch before it on which
    // one did: kept by swapping buffers as patches begin, never copied.
    bool current_fired_ = false;
    PatchSpikes learnt_;
    PatchOrigin learnt_origin_;
    bool has_learnt_ = false;

    TrainingCounters counters_;
    std::uint64_t patches_offset_ = 0;
    // Random sampling: the images in a seeded order, reshuffled after every round of one patch
    // from each; `drawn_` patch positions drawn in this epoch.
    Rng order_rng_;
    std::vector<std::size_t> image_order_;
    std::uint64_t drawn_ = 0;

    // The presentation, when one is pending or running. The layer as training left it waits in
    // paused_layer_ (potentials, traces and all), so training resumes in the middle of its patch.
    std::optional<Presentation> presentation_;
    std::vector<ProtocolPatch> presented_patches_;
    std::optional<RepresentationLayer> paused_layer_;
    std::size_t presented_next_ = 0;  // the next presented patch to begin
    bool in_presented_patch_ = false;
    int presented_step_ = 0;
    PatchSpikes presented_current_;
    PatchOrigin presented_origin_;
    bool showing_presented_ = false;
    std::shared_ptr<const Image> last_presented_image_;  // shown until training steps again
    // Patches and images completed, presentations included: what Step > Patch / Image waits for.
    std::uint64_t units_patches_ = 0;
    std::uint64_t units_images_ = 0;
};

}  // namespace stdp
