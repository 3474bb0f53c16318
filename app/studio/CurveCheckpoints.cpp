#include "CurveCheckpoints.h"

#include <algorithm>
#include <cmath>

namespace stdp::studio {

void CurveCheckpoints::offer(const SnapshotPtr& snapshot) {
    if (!snapshot)
        return;
    const double images = snapshot->images_progress;
    if (!kept_.empty() && images - kept_.back()->images_progress < spacing_)
        return;
    kept_.push_back(snapshot);
    if (kept_.size() <= kMost)
        return;
    // Every other one, the newest kept: the spacing at least doubles.
    std::vector<SnapshotPtr> thinned;
    thinned.reserve(kept_.size() / 2 + 1);
    for (std::size_t i = 0; i < kept_.size(); i += 2)
        thinned.push_back(kept_[i]);
    if (thinned.back() != kept_.back())
        thinned.back() = kept_.back();
    kept_ = std::move(thinned);
    spacing_ = std::max(2.0 * spacing_, kept_[1]->images_progress - kept_[0]->images_progress);
}

void CurveCheckpoints::evaluated(double images) {
    evaluated_.push_back(images);
}

std::vector<SnapshotPtr> CurveCheckpoints::takeUnevaluated() {
    // Near an evaluated point (within half the spacing, or of the kept states' mean gap while
    // none was dropped yet) a checkpoint would add a point on top of one the curve has.
    double gap = spacing_;
    if (kept_.size() >= 2)
        gap = std::max(gap, (kept_.back()->images_progress - kept_.front()->images_progress) /
                                static_cast<double>(kept_.size() - 1));
    const double near = gap / 2.0;
    std::vector<SnapshotPtr> out;
    for (const SnapshotPtr& s : kept_) {
        const double x = s->images_progress;
        const bool covered = std::any_of(evaluated_.begin(), evaluated_.end(),
                                         [&](double e) { return std::abs(e - x) <= near; });
        if (!covered)
            out.push_back(s);
    }
    kept_.clear();
    evaluated_.clear();
    return out;
}

void CurveCheckpoints::clear() {
    kept_.clear();
    evaluated_.clear();
    spacing_ = 0.0;
}

}  // namespace stdp::studio
