#include "model/TrainingSession.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <utility>

namespace stdp {

namespace {
constexpr std::uint64_t kSpikeStream = 1;    // RNG stream of the training input spikes
constexpr std::uint64_t kSamplerStream = 2;  // RNG stream of random patch positions
constexpr std::uint64_t kOrderStream = 3;    // RNG stream of the image order (random sampling)
}  // namespace

TrainingSession::TrainingSession(const Settings& settings, std::shared_ptr<const ImageSet> data)
    : settings_(settings), data_(std::move(data)), layer_(settings.structure, settings.dynamics) {
    validate(settings_);
    if (!data_ || data_->size() == 0)
        throw UserError("training data: no images");
    if (data_->signed_values && !settings_.structure.onoff)
        throw UserError("data '" + data_->source +
                        "' has signed (whitened) values: set onoff=true to train on them");
    for (const Image& im : data_->images)
        if (im.rows < settings_.structure.patch_size || im.cols < settings_.structure.patch_size)
            throw UserError("data '" + data_->source + "': an image of " + std::to_string(im.rows) +
                            "x" + std::to_string(im.cols) + " is smaller than the patch size " +
                            std::to_string(settings_.structure.patch_size));
    reset();
}

void TrainingSession::reset() {
    if (paused_layer_) {
        layer_ = std::move(*paused_layer_);  // the dynamics as set, not a presentation's
        paused_layer_.reset();
    }
    layer_.reset();
    spike_rng_.reseed(Rng::mix(settings_.structure.seed, kSpikeStream));
    sampler_rng_.reseed(Rng::mix(settings_.structure.seed, kSamplerStream));
    order_rng_.reseed(Rng::mix(settings_.structure.seed, kOrderStream));
    image_order_.clear();
    drawn_ = 0;
    pad_ = settings_.data.sampling == PatchSampling::AllOverlapping
               ? settings_.structure.patch_size / 2
               : 0;
    epoch_ = 0;
    image_ = 0;
    image_loaded_ = false;
    position_ = 0;
    positions_ = 0;
    has_current_ = false;
    has_next_ = false;
    finished_ = false;
    step_in_patch_ = 0;
    current_fired_ = false;
    has_learnt_ = false;
    counters_ = {};
    units_patches_ = 0;
    units_images_ = 0;
    presentation_.reset();
    presented_patches_.clear();
    paused_layer_.reset();
    in_presented_patch_ = false;
    showing_presented_ = false;
    last_presented_image_.reset();
    applyRateSchedule();
}

void TrainingSession::setThresholds(const std::vector<float>& theta) {
    layer_.setThresholds(theta);
    if (paused_layer_)
        paused_layer_->setThresholds(theta);
}

void TrainingSession::addEpoch() {
    ++settings_.data.epochs;
    finished_ = false;
    // The look-ahead may already have met the old end of the data.
    if (has_current_ && !has_next_)
        has_next_ = fetchPatch(next_, next_origin_);
}

void TrainingSession::setDynamics(const DynamicsSettings& dynamics) {
    // Validates first: a refused change leaves everything as it was.
    if (paused_layer_) {
        paused_layer_->setDynamics(dynamics);
        layer_.setDynamics(presentation_->learn ? dynamics : frozenDynamics(dynamics));
    } else {
        layer_.setDynamics(dynamics);
    }
    settings_.dynamics = dynamics;
    applyRateSchedule();
}

void TrainingSession::setPatchesOffset(std::uint64_t patches) {
    patches_offset_ = patches;
    applyRateSchedule();
}

void TrainingSession::applyRateSchedule() {
    const double seen = static_cast<double>(patches_offset_ + counters_.patches);
    const double scale = 1.0 / (1.0 + settings_.dynamics.mu_decay * seen / kMuDecayPatches);
    layer_.setLearningRateScale(scale);
    if (paused_layer_)
        paused_layer_->setLearningRateScale(scale);
}

void TrainingSession::present(Presentation presentation) {
    if (!presentation.image || presentation.image->rows <= 0 || presentation.image->cols <= 0)
        throw UserError("present: no image");
    const Image& im = *presentation.image;
    const int p = settings_.structure.patch_size;
    if (im.rows < p || im.cols < p)
        throw UserError("present: the image (" + std::to_string(im.rows) + "x" +
                        std::to_string(im.cols) + ") is smaller than the patch size " +
                        std::to_string(p));
    const bool negative =
        std::any_of(im.pixels.begin(), im.pixels.end(), [](float v) { return v < 0.0f; });
    if (negative && !settings_.structure.onoff)
        throw UserError(
            "present: the image has negative (whitened) values and the network "
            "has no ON/OFF inputs");
    std::vector<ProtocolPatch> patches;
    if (presentation.patch)
        patches.push_back(protocolPatchAt(settings_, im, *presentation.patch, presentation.seed));
    else
        patches = protocolPatchesOf(settings_, im, presentation.seed);
    if (patches.empty())
        throw UserError("present: the image is blank (no patch has a pixel to present)");
    endPresentation();
    presented_patches_ = std::move(patches);
    presented_next_ = 0;
    in_presented_patch_ = false;
    presentation_ = std::move(presentation);
}

void TrainingSession::endPresentation() {
    if (paused_layer_)
        finishPresentation();
    presentation_.reset();
    presented_patches_.clear();
    in_presented_patch_ = false;
}

void TrainingSession::finishPresentation() {
    // Training resumes with the layer it left: potentials, traces and schedule as they were.
    RepresentationLayer presented = std::move(layer_);
    layer_ = std::move(*paused_layer_);
    paused_layer_.reset();
    if (presentation_->learn) {
        layer_.setWeights(presented.weights());
        layer_.setThresholds(presented.thresholds());
    }
}

PresentationProgress TrainingSession::presentationProgress() const {
    PresentationProgress out;
    if (!presentation_)
        return out;
    out.active = true;
    out.patches = presented_patches_.size();
    out.patch = in_presented_patch_ ? presented_next_ - 1 : presented_next_;
    out.learn = presentation_->learn;
    out.data_index = presentation_->data_index;
    out.label = presentation_->label;
    return out;
}

std::shared_ptr<const Image> TrainingSession::currentImage() const {
    if (showing_presented_ && presentation_)
        return presentation_->image;
    if (showing_presented_ && last_presented_image_)
        return last_presented_image_;
    const std::size_t index = currentOrigin().image;
    if (index >= data_->size())
        return nullptr;
    // Shares the data set's ownership: no copy of the pixels.
    return std::shared_ptr<const Image>(data_, &data_->images[index]);
}

std::uint64_t TrainingSession::presentWithinPatch(StepObserver* observer, std::uint64_t most) {
    if (!paused_layer_) {
        paused_layer_.emplace(layer_);
        if (!presentation_->learn)
            layer_.setDynamics(frozenDynamics(layer_.dynamics()));
    }
    if (!in_presented_patch_) {
        const ProtocolPatch& patch = presented_patches_[presented_next_++];
        presented_current_ = patch.spikes;
        presented_origin_ = {0, presentation_->data_index.value_or(0), patch.at, true,
                             presentation_->data_index.has_value()};
        in_presented_patch_ = true;
        showing_presented_ = true;
        presented_step_ = 0;
        layer_.beginPatch();
    }
    const int first = presented_step_;
    const int last = static_cast<int>(
        std::min<std::uint64_t>(static_cast<std::uint64_t>(presented_current_.steps),
                                static_cast<std::uint64_t>(first) + most));
    layer_.steps(presented_current_.indices, presented_current_.offsets, first, last, observer);
    presented_step_ = last;
    if (presented_step_ == presented_current_.steps) {
        in_presented_patch_ = false;
        ++units_patches_;
        if (presented_next_ == presented_patches_.size()) {
            ++units_images_;
            last_presented_image_ = presentation_->image;
            finishPresentation();
            presentation_.reset();
            presented_patches_.clear();
        }
    }
    return static_cast<std::uint64_t>(last - first);
}

void TrainingSession::loadImage(std::size_t index) {
    const Image& im = data_->images[index];
    const StructureSettings& st = settings_.structure;
    // T is read when the image is encoded, so a live change of T applies from the next image.
    const int steps = settings_.dynamics.steps;
    spike_image_.encode(im, st.onoff, steps, pad_, spike_rng_);
    grid_cols_ = patchPositions(im.cols, st.patch_size, pad_);
    positions_ = patchPositions(im.rows, st.patch_size, pad_) * grid_cols_;
    position_ = 0;
    nonempty_row_ = -1;
    image_loaded_ = true;
}

bool TrainingSession::fetchPatch(PatchSpikes& out, PatchOrigin& origin) {
    if (settings_.data.sampling == PatchSampling::Random)
        return fetchRandomPatch(out, origin);
    const int p = settings_.structure.patch_size;
    for (;;) {
        if (!image_loaded_) {
            if (image_ == data_->size()) {
                ++epoch_;
                image_ = 0;
                if (epoch_ >= settings_.data.epochs)
                    return false;
            }
            loadImage(image_);
        }
        if (position_ == positions_) {
            image_loaded_ = false;
            ++image_;
            continue;
        }
        PatchPosition at{position_ / grid_cols_, position_ % grid_cols_};
        if (settings_.data.skip_empty && grid_cols_ <= SpikeImage::kMaxMaskedColumns) {
            // Straight to the next non-empty patch of the row, by a bit scan.
            if (at.row != nonempty_row_) {
                nonempty_columns_ = spike_image_.nonemptyPatchColumns(at.row, p, grid_cols_);
                nonempty_row_ = at.row;
            }
            const std::uint64_t ahead = nonempty_columns_ >> at.col;
            if (ahead == 0) {
                position_ = (at.row + 1) * grid_cols_;
                continue;
            }
            at.col += std::countr_zero(ahead);
            position_ = at.row * grid_cols_ + at.col;
        } else if (settings_.data.skip_empty && !spike_image_.anySpike(at, p)) {
            ++position_;
            continue;
        }
        ++position_;
        cutPatch(at, out);
        origin = {epoch_, image_, at};
        origin.unit = image_;
        return true;
    }
}

bool TrainingSession::fetchRandomPatch(PatchSpikes& out, PatchOrigin& origin) {
    const int p = settings_.structure.patch_size;
    const std::uint64_t images = data_->size();
    const auto per_image = static_cast<std::uint64_t>(settings_.data.patches_per_image);
    for (;;) {
        if (drawn_ == images * per_image) {
            ++epoch_;
            drawn_ = 0;
            if (epoch_ >= settings_.data.epochs)
                return false;
        }
        const std::uint64_t in_round = drawn_ % images;
        if (in_round == 0) {
            // A new round: every image once, in a fresh seeded order (Fisher-Yates).
            if (image_order_.size() != images) {
                image_order_.resize(images);
                for (std::size_t i = 0; i < images; ++i)
                    image_order_[i] = i;
            }
            for (std::uint64_t i = images; i > 1; --i)
                std::swap(image_order_[i - 1], image_order_[order_rng_.below(i)]);
        }
        const std::size_t index = image_order_[in_round];
        const std::size_t unit = drawn_ / per_image;
        ++drawn_;
        const Image& im = data_->images[index];
        PatchPosition at;
        at.row = static_cast<int>(sampler_rng_.below(static_cast<std::uint64_t>(im.rows - p + 1)));
        at.col = static_cast<int>(sampler_rng_.below(static_cast<std::uint64_t>(im.cols - p + 1)));
        spike_image_.encodeRegion(im, at.row, at.col, p, settings_.structure.onoff,
                                  settings_.dynamics.steps, spike_rng_);
        cutPatch({0, 0}, out);
        if (settings_.data.skip_empty && out.total() == 0)
            continue;
        origin = {epoch_, index, at};
        origin.unit = unit;
        return true;
    }
}

void TrainingSession::cutPatch(PatchPosition at, PatchSpikes& out) const {
    // Small patches (the paper's 5x5 MNIST ones) travel as one bit mask per step.
    const int p = settings_.structure.patch_size;
    if (spike_image_.patchInputs(p) <= kMaxMaskInputs)
        spike_image_.cutPatchMasks(at, p, out);
    else
        spike_image_.cutPatch(at, p, out);
}

std::uint64_t TrainingSession::stepWithinPatch(StepObserver* observer, std::uint64_t most) {
    if (presentation_)
        return presentWithinPatch(observer, most);
    showing_presented_ = false;
    if (!has_current_) {
        if (finished_)
            return 0;
        if (!has_next_)
            has_next_ = fetchPatch(next_, next_origin_);
        if (!has_next_) {
            finished_ = true;
            return 0;
        }
        if (current_fired_) {
            std::swap(current_, learnt_);
            learnt_origin_ = current_origin_;
            has_learnt_ = true;
        }
        std::swap(current_, next_);
        current_origin_ = next_origin_;
        current_fired_ = false;
        has_current_ = true;
        has_next_ = fetchPatch(next_, next_origin_);
        layer_.beginPatch();
        step_in_patch_ = 0;
    }
    // Up to `most` steps of this patch in one call (same steps, same order as one at a time).
    const int first = step_in_patch_;
    const int last = static_cast<int>(std::min<std::uint64_t>(
        static_cast<std::uint64_t>(current_.steps), static_cast<std::uint64_t>(first) + most));
    const std::uint64_t spikes =
        current_.masked ? layer_.stepsMasked(current_.masks, first, last, observer)
                        : layer_.steps(current_.indices, current_.offsets, first, last, observer);
    step_in_patch_ = last;
    current_fired_ = current_fired_ || spikes > 0;
    counters_.spikes += spikes;
    counters_.steps += static_cast<std::uint64_t>(last - first);
    if (step_in_patch_ == current_.steps) {
        has_current_ = false;
        ++counters_.patches;
        ++units_patches_;
        if (settings_.dynamics.mu_decay > 0.0)
            applyRateSchedule();  // its clock counts patches
        const bool image_done = !has_next_ || next_origin_.unit != current_origin_.unit ||
                                next_origin_.epoch != current_origin_.epoch;
        if (image_done) {
            ++counters_.images;
            ++units_images_;
        }
        if (!has_next_)
            finished_ = true;
    }
    return static_cast<std::uint64_t>(last - first);
}

bool TrainingSession::advance(StepUnit unit, std::uint64_t count, StepObserver* observer) {
    if (unit == StepUnit::Step) {
        // Whole runs of steps within a patch per call: the layer chooses its step once per run.
        for (std::uint64_t done = 0; done < count;) {
            const std::uint64_t steps = stepWithinPatch(observer, count - done);
            if (steps == 0)
                return false;
            done += steps;
        }
        return !finished_;
    }
    constexpr std::uint64_t kWholePatch = std::numeric_limits<std::uint64_t>::max();
    for (std::uint64_t n = 0; n < count; ++n) {
        const std::uint64_t patches = units_patches_;
        const std::uint64_t images = units_images_;
        do {
            if (stepWithinPatch(observer, kWholePatch) == 0)
                return false;
        } while ((unit == StepUnit::Patch && units_patches_ == patches) ||
                 (unit == StepUnit::Image && units_images_ == images));
    }
    return !finished_;
}

std::uint64_t TrainingSession::trainImages(std::uint64_t images,
                                           const std::function<bool(std::uint64_t)>& progress,
                                           StepObserver* observer) {
    std::uint64_t done = 0;
    while (done < images) {
        const std::uint64_t before = counters_.images;
        const bool more = advance(StepUnit::Image, 1, observer);
        done += counters_.images - before;
        if (progress && !progress(done))
            break;
        if (!more)
            break;
    }
    return done;
}

}  // namespace stdp
