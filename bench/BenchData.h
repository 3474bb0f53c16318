#pragma once
// Data shared by the benchmark suites: the built-in digits, synthetic natural-like images and
// pre-cut patch lists. Everything is deterministic (fixed seeds), so runs are comparable.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <numbers>
#include <vector>

#include <opencv2/core.hpp>

#include "data/Dataset.h"
#include "foundation/Random.h"
#include "model/RepresentationLayer.h"
#include "model/SpikeEncoder.h"

namespace stdp::bench {

// The first `count` built-in digits (training set of the training benchmarks).
inline std::shared_ptr<const ImageSet> digits(std::size_t first, std::size_t count) {
    return std::make_shared<const ImageSet>(loadDataSpec("builtin:mnist", {}, first, count));
}

// Natural-image stand-ins: Gaussian noise with a 1/f amplitude spectrum (the second-order
// statistics of natural scenes), then the project's own whitening (Olshausen-Field filter, unit
// variance) and ON/OFF scaling exactly as for an image folder (divide by onoff_scale, clip to
// [-1, 1]). Real photographs would give the same per-step cost for the same spike rate; what
// matters for speed is the rate, which this reproduces (|x| / 3 after whitening).
inline std::shared_ptr<const ImageSet> pinkNoiseImages(int count, int size, double f0 = 0.4,
                                                       double onoff_scale = 3.0) {
    auto set = std::make_shared<ImageSet>();
    set->source = "synthetic:1/f-noise";
    set->signed_values = true;
    Rng rng(Rng::mix(12345, 0));
    for (int n = 0; n < count; ++n) {
        // Random phase, amplitude 1/f: the inverse DFT's real part is a 1/f noise image.
        cv::Mat spectrum(size, size, CV_64FC2);
        for (int u = 0; u < size; ++u) {
            const double fy = (u <= size / 2 ? u : u - size) / double(size);
            for (int v = 0; v < size; ++v) {
                const double fx = (v <= size / 2 ? v : v - size) / double(size);
                const double f = std::hypot(fx, fy);
                const double amp = f > 0.0 ? 1.0 / f : 0.0;
                const double phase = 2.0 * std::numbers::pi * rng.uniform();
                spectrum.at<cv::Vec2d>(u, v) = {amp * std::cos(phase), amp * std::sin(phase)};
            }
        }
        cv::Mat y;
        cv::dft(spectrum, y, cv::DFT_INVERSE | cv::DFT_SCALE | cv::DFT_REAL_OUTPUT);
        Image raw;
        raw.rows = size;
        raw.cols = size;
        raw.pixels.resize(static_cast<std::size_t>(size) * size);
        for (int r = 0; r < size; ++r)
            for (int c = 0; c < size; ++c)
                raw.pixels[static_cast<std::size_t>(r) * size + c] =
                    static_cast<float>(y.at<double>(r, c));
        Image w = whitenImage(raw, f0);
        const auto scale = static_cast<float>(1.0 / onoff_scale);
        for (float& v : w.pixels)
            v = std::clamp(v * scale, -1.0f, 1.0f);
        set->images.push_back(std::move(w));
    }
    return set;
}

// Every `stride`-th non-empty overlapping patch (zero padding p/2) of the given images, encoded
// with the same SpikeEncoder as training; used to time the layer step alone.
inline std::vector<PatchSpikes> cutPatches(const ImageSet& images, int p, int steps, bool onoff,
                                           int stride, std::uint64_t seed = 1) {
    std::vector<PatchSpikes> out;
    Rng rng(seed);
    SpikeImage spike_image;
    const int pad = p / 2;
    int counter = 0;
    for (const Image& im : images.images) {
        spike_image.encode(im, onoff, steps, pad, rng);
        const int rows = patchPositions(im.rows, p, pad);
        const int cols = patchPositions(im.cols, p, pad);
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < cols; ++c) {
                if (!spike_image.anySpike({r, c}, p) || counter++ % stride != 0)
                    continue;
                out.emplace_back();
                spike_image.cutPatch({r, c}, p, out.back());
            }
    }
    return out;
}

// Totals for the normalised counters: input spikes (events) over all steps of a patch list.
inline std::uint64_t totalInputSpikes(const std::vector<PatchSpikes>& patches) {
    std::uint64_t n = 0;
    for (const PatchSpikes& ps : patches)
        n += ps.total();
    return n;
}

// Counts what the layer sees, for the per-step work estimate (input events, output spikes).
class CountingObserver : public StepObserver {
  public:
    void onStep(const RepresentationLayer& layer, std::span<const std::int32_t> spikes) override {
        ++steps;
        inputs += spikes.size();
        fired += layer.fired().size();
        if (!spikes.empty())
            ++nonempty_steps;
    }
    std::uint64_t steps = 0;
    std::uint64_t nonempty_steps = 0;
    std::uint64_t inputs = 0;
    std::uint64_t fired = 0;
};

}  // namespace stdp::bench
