#pragma once
// Every neuron's threshold and wins over the whole run, for the neuron inspector: one sample each
// time a fixed number of images has been completed. Memory is bounded whatever the run's length:
// when the ring is full, every other sample is dropped and the interval doubles, so the history
// always spans the whole run at a resolution that halves as it grows.

#include <cstdint>
#include <memory>
#include <vector>

#include "ViewData.h"
#include "model/RepresentationLayer.h"

namespace stdp::studio {

class NeuronHistoryRecorder {
  public:
    static constexpr std::size_t kDefaultCapacity = 256;  // samples: 256 x K x 12 bytes at most

    explicit NeuronHistoryRecorder(std::size_t capacity = kDefaultCapacity);

    // A new network (reset, preset, data, an opened bundle): the history starts at `images_seen`
    // with the layer's thresholds as they are now, one image per sample.
    void restart(const RepresentationLayer& layer, std::uint64_t images_seen);
    // Takes a sample if `images_seen` reached the next sampling point (cheap otherwise: one
    // comparison, so it can be called after every batch of steps).
    void sample(const RepresentationLayer& layer, std::uint64_t images_seen);

    // An immutable copy for the snapshot, made again only when a sample was added since.
    std::shared_ptr<const gui::NeuronHistory> history();

    std::size_t size() const { return images_.size(); }
    std::size_t capacity() const { return capacity_; }
    std::uint64_t interval() const { return interval_; }  // images between samples

  private:
    void record(const RepresentationLayer& layer, std::uint64_t images_seen);
    void thin();  // keeps every other sample, doubles the interval

    std::size_t capacity_;
    int units_ = 0;
    bool global_theta_ = false;
    std::uint64_t interval_ = 1;
    std::uint64_t next_ = 0;  // images seen at which the next sample is due
    std::vector<std::uint64_t> images_;
    std::vector<float> theta_;
    std::vector<std::uint64_t> wins_;           // cumulative since restart
    std::vector<std::uint64_t> wins_at_start_;  // the layer's counts at restart
    std::shared_ptr<const gui::NeuronHistory> published_;
};

}  // namespace stdp::studio
