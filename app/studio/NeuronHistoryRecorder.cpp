#include "NeuronHistoryRecorder.h"

#include <algorithm>

namespace stdp::studio {

NeuronHistoryRecorder::NeuronHistoryRecorder(std::size_t capacity)
    : capacity_(std::max<std::size_t>(capacity, 2)) {}

void NeuronHistoryRecorder::restart(const RepresentationLayer& layer, std::uint64_t images_seen) {
    units_ = layer.units();
    global_theta_ = layer.thresholds().size() == 1;
    interval_ = 1;
    images_.clear();
    theta_.clear();
    wins_.clear();
    const auto wins = layer.winCounts();
    wins_at_start_.assign(wins.begin(), wins.end());
    published_.reset();
    record(layer, images_seen);
    next_ = images_seen + interval_;
}

void NeuronHistoryRecorder::sample(const RepresentationLayer& layer, std::uint64_t images_seen) {
    if (images_seen < next_)
        return;
    const std::size_t thresholds = global_theta_ ? 1 : static_cast<std::size_t>(units_);
    if (units_ != layer.units() || layer.thresholds().size() != thresholds) {
        restart(layer, images_seen);  // another shape of network: its history starts here
        return;
    }
    if (images_.size() == capacity_)
        thin();
    record(layer, images_seen);
    // The next point on the grid start + k x interval, past this sample (a Step by image or a
    // short image may skip points).
    const std::uint64_t start = images_.front();
    next_ = start + ((images_seen - start) / interval_ + 1) * interval_;
}

void NeuronHistoryRecorder::record(const RepresentationLayer& layer, std::uint64_t images_seen) {
    images_.push_back(images_seen);
    const auto& theta = layer.thresholds();
    theta_.insert(theta_.end(), theta.begin(), theta.end());
    const auto wins = layer.winCounts();
    for (std::size_t j = 0; j < wins.size(); ++j)
        wins_.push_back(wins[j] - std::min(wins[j], wins_at_start_[j]));
    published_.reset();
}

void NeuronHistoryRecorder::thin() {
    const std::size_t per_theta = global_theta_ ? 1 : static_cast<std::size_t>(units_);
    const auto units = static_cast<std::size_t>(units_);
    std::size_t kept = 0;
    for (std::size_t s = 0; s < images_.size(); s += 2, ++kept) {
        images_[kept] = images_[s];
        std::copy_n(theta_.begin() + static_cast<std::ptrdiff_t>(s * per_theta), per_theta,
                    theta_.begin() + static_cast<std::ptrdiff_t>(kept * per_theta));
        std::copy_n(wins_.begin() + static_cast<std::ptrdiff_t>(s * units), units,
                    wins_.begin() + static_cast<std::ptrdiff_t>(kept * units));
    }
    images_.resize(kept);
    theta_.resize(kept * per_theta);
    wins_.resize(kept * units);
    interval_ *= 2;
}

std::shared_ptr<const gui::NeuronHistory> NeuronHistoryRecorder::history() {
    if (!published_) {
        auto h = std::make_shared<gui::NeuronHistory>();
        h->units = units_;
        h->global_theta = global_theta_;
        h->images.assign(images_.begin(), images_.end());
        h->theta = theta_;
        h->wins = wins_;
        published_ = std::move(h);
    }
    return published_;
}

}  // namespace stdp::studio
