#include "AnalysisWorker.h"

#include "ImageReassembly.h"
#include "analysis/Evaluator.h"

namespace stdp::studio {

namespace {
constexpr std::uint64_t kEvalSeed = 12345;  // fixed: curves move only when the model does
constexpr std::uint64_t kImageSeed = 777;
constexpr int kEvalWorkers = 1;  // the other core runs the simulation
}  // namespace

void LastReassembly::store(Entry entry) {
    std::lock_guard lock(mutex_);
    if (entry.generation == entry_.generation && entry.steps < entry_.steps)
        return;  // a slower thread's older image
    entry_ = std::move(entry);
}

LastReassembly::Entry LastReassembly::load() const {
    std::lock_guard lock(mutex_);
    return entry_;
}

AnalysisWorker::AnalysisWorker(std::shared_ptr<LastReassembly> shared)
    : last_image_(shared ? std::move(shared) : std::make_shared<LastReassembly>()) {
    connect(this, &AnalysisWorker::requestWaiting, this, &AnalysisWorker::process,
            Qt::QueuedConnection);
}

void AnalysisWorker::submit(AnalysisRequest request) {
    std::lock_guard lock(mutex_);
    if (pending_) {
        request.image = request.image || pending_->image;
        request.eval = request.eval || pending_->eval;
        request.patch = request.patch || pending_->patch;
    }
    cancel_.store(false);
    if (request.snapshot)
        newest_generation_.store(std::max(newest_generation_.load(), request.snapshot->generation));
    pending_ = std::move(request);
    if (!scheduled_) {
        scheduled_ = true;
        emit requestWaiting();  // under the lock: see HandOffQueue::push
    }
}

void AnalysisWorker::submitCheckpoints(std::vector<AnalysisRequest> requests) {
    std::lock_guard lock(mutex_);
    cancel_.store(false);
    for (AnalysisRequest& r : requests) {
        if (!r.snapshot)
            continue;
        newest_generation_.store(std::max(newest_generation_.load(), r.snapshot->generation));
        r.eval = true;
        r.patch = false;
        r.image = false;
        checkpoints_.push_back(std::move(r));
    }
    if (!scheduled_ && !checkpoints_.empty()) {
        scheduled_ = true;
        emit requestWaiting();
    }
}

void AnalysisWorker::cancel() {
    std::lock_guard lock(mutex_);
    checkpoints_.clear();
    cancel_.store(true);
}

std::size_t AnalysisWorker::checkpointsWaiting() {
    std::lock_guard lock(mutex_);
    return checkpoints_.size();
}

void AnalysisWorker::process() {
    AnalysisRequest r;
    bool checkpoint = false;
    {
        std::lock_guard lock(mutex_);
        scheduled_ = false;
        if (pending_) {
            r = std::move(*pending_);
            pending_.reset();
        } else if (!checkpoints_.empty()) {
            r = std::move(checkpoints_.front());
            checkpoints_.pop_front();
            checkpoint = true;
            if (r.snapshot->generation < newest_generation_.load())
                r.snapshot.reset();  // of a network since replaced: nothing to do
        } else {
            return;
        }
        // One request per turn of the thread's event loop: a request submitted meanwhile is
        // served before the next checkpoint.
        if (!checkpoints_.empty()) {
            scheduled_ = true;
            emit requestWaiting();
        }
    }
    if (!r.snapshot || !r.snapshot->fields || !r.train)
        return;
    const Snapshot& s = *r.snapshot;
    try {
        const RepresentationLayer layer =
            frozenLayer(s.settings, s.fields->weights, s.fields->thresholds);
        if (r.patch || r.image)
            reconstruct(r, layer);
        if (r.eval && r.validation) {
            EvalOptions options;
            options.seed = kEvalSeed;
            options.workers = kEvalWorkers;
            bool stale = false;
            options.progress = [this, &stale, generation = s.generation](double) {
                servePending();
                stale = newest_generation_.load() > generation;
                return !cancel_.load() && !stale;
            };
            try {
                const ReconstructionMetrics m = evaluate(layer, s.settings, *r.validation, options);
                evaluations_.push({m, s.images_progress, s.generation, checkpoint},
                                  [this] { emit evaluationsWaiting(); });
            } catch (const std::exception&) {
                if (stale)
                    stale_cancelled_.fetch_add(1);
                throw;
            }
        }
    } catch (const std::exception&) {
        // Cancelled, or a model the evaluator rejects: the views keep their last values.
    }
}

void AnalysisWorker::servePending() {
    // An evaluation of a slow layer on a busy machine takes minutes: between two of its images
    // the newest patch is reconstructed, so that the reconstruction view keeps up meanwhile.
    AnalysisRequest r;
    {
        std::lock_guard lock(mutex_);
        if (!pending_ || !pending_->snapshot)
            return;
        r = *pending_;
        r.eval = false;
        pending_->image = false;  // done here
        if (!pending_->eval)
            pending_.reset();  // nothing left for later
    }
    if (!r.snapshot->fields || !r.train)
        return;
    try {
        const Snapshot& s = *r.snapshot;
        reconstruct(r, frozenLayer(s.settings, s.fields->weights, s.fields->thresholds));
    } catch (const std::exception&) {
        // A model the reconstructor rejects: the view keeps its last picture.
    }
}

void AnalysisWorker::reconstruct(const AnalysisRequest& r, const RepresentationLayer& layer) {
    const Snapshot& s = *r.snapshot;
    auto out = std::make_shared<gui::ReconstructionSnapshot>();
    out->patch_size = s.settings.structure.patch_size;
    out->signed_values = s.settings.structure.onoff;
    if (s.settings.dynamics.amplitudeCoding()) {
        out->additive_gain = s.settings.dynamics.decoderGain();
        out->hurdle_added = s.settings.dynamics.decoder_hurdle > 0.0;
    }
    if (s.has_patch) {
        PatchReconstructor reconstructor(layer, s.settings);
        std::vector<float> counts;
        out->patch = s.patch_pixels;
        out->patch_spikes = reconstructor.run(s.patch_spikes, counts, out->patch_recon);
        out->patch_row = s.patch_row;
        out->patch_col = s.patch_col;
        out->image_index = s.image_index;
        out->image_in_data = s.image_in_data;
        out->presented = s.presented;
        if (r.image && s.image) {
            const int stride = reassemblyStride(s.image->rows, s.image->cols, s.settings);
            // A large photograph, or amplitude coding's slower read-out, takes seconds to
            // reassemble on a busy machine: the patch goes out first, beside the last image.
            if (stride > 1 || s.settings.dynamics.amplitudeCoding())
                send(withLastImage(*out, s), s.generation);
            LastReassembly::Entry made;
            made.generation = s.generation;
            made.steps = s.counters.steps;
            made.index = s.image_index;
            made.in_data = s.image_in_data;
            made.image = s.image;
            made.stride = stride;
            made.recon = std::make_shared<const Image>(
                reconstructImage(layer, s.settings, *s.image, kImageSeed, stride));
            last_image_->store(std::move(made));
        }
        out = withLastImage(*out, s);
    }
    send(std::move(out), s.generation);
}

void AnalysisWorker::send(std::shared_ptr<const gui::ReconstructionSnapshot> reconstruction,
                          std::uint64_t generation) {
    reconstructions_.push({std::move(reconstruction), generation},
                          [this] { emit reconstructionsWaiting(); });
}

std::shared_ptr<gui::ReconstructionSnapshot> AnalysisWorker::withLastImage(
    const gui::ReconstructionSnapshot& patch, const Snapshot& s) const {
    auto out = std::make_shared<gui::ReconstructionSnapshot>(patch);
    const LastReassembly::Entry last = last_image_->load();
    if (last.generation == s.generation && last.image && last.image->rows > 0 && last.recon) {
        out->image = *last.image;
        out->image_recon = *last.recon;
        out->reassembly_stride = last.stride;
        if (last.image != s.image) {
            out->image_index = last.index;
            out->image_in_data = last.in_data;
            out->patch_row = -1000;  // the patch is not on the image shown
        }
    } else if (s.image && s.image->rows > 0) {
        out->image = *s.image;  // the photograph now, its reassembly when it is ready
    }
    return out;
}

}  // namespace stdp::studio
