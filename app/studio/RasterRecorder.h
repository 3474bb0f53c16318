#pragma once
// The output spikes of the last steps, for the spike raster: a fixed ring written by the worker
// after each step (no allocation per step), copied into a snapshot on request.

#include <cstdint>
#include <span>
#include <vector>

#include "ViewData.h"
#include "model/RepresentationLayer.h"

namespace stdp::studio {

class RasterRecorder : public StepObserver {
  public:
    void resize(int window, int units);
    void clear();
    void onStep(const RepresentationLayer& layer, std::span<const std::int32_t> spikes) override;
    // Oldest step first.
    void fill(gui::RasterSnapshot& out) const;
    int window() const { return window_; }

  private:
    int window_ = 0;
    int units_ = 0;
    int head_ = 0;                           // next slot to write
    int count_ = 0;                          // filled slots
    std::vector<std::int32_t> fired_;        // window x units
    std::vector<std::int32_t> fired_count_;  // per slot
    std::vector<std::uint8_t> patch_start_;
};

}  // namespace stdp::studio
