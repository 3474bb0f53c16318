#pragma once
// The trained layer as a NIR graph (the Neuromorphic Intermediate Representation read by
// snnTorch, Norse, Nengo, Lava, Sinabs, Rockpool, SpiNNaker2): Input -> Affine -> LIF (presets
// with reset) or LI -> Threshold (presets without) -> Output, in NIR's HDF5 layout.
//
// NIR has no softmax: the exported neurons fire on a fixed voltage threshold, without lateral
// inhibition. The threshold is calibrated so that the exported layer fires as often as the
// softmax layer on the same patches, and compareExported() measures what the change costs in
// protocol A (docs/model.md, "Protocol A"). Refractoriness and input traces are not exported
// either; the metadata says so.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "analysis/Metrics.h"
#include "data/Dataset.h"
#include "foundation/Settings.h"
#include "model/RepresentationLayer.h"

namespace stdp {

// The graph before it is written: every array as NIR stores it.
struct NirGraph {
    int inputs = 0;
    int units = 0;
    std::vector<float> weight;  // Affine weight, [out = K, in = D] row-major: W transposed
    std::vector<float> bias;    // K: the distance bias -beta/2 |w_j|^2 per step, or 0
    bool reset = true;          // LIF (reset to 0 after a spike) or LI + Threshold (no reset)
    // The same for every neuron. Time is in seconds with one model step = kNirStepSeconds:
    // Euler's step of tau dv/dt = (v_leak - v) + r I with dt = one step is the model's
    // U <- d U + I exactly when tau = dt / (1 - d) and r = tau / dt.
    float tau = 0.0f;
    float r = 1.0f;
    float v_threshold = 0.0f;
    // Strings about the model: preset, theta, what is not exported.
    std::vector<std::pair<std::string, std::string>> metadata;
};

inline constexpr double kNirStepSeconds = 1e-3;

// The graph of `layer` with the exported neurons' threshold `v_threshold`.
NirGraph nirGraphOf(const RepresentationLayer& layer, const Settings& settings, float v_threshold,
                    const std::string& preset);

// Writes `graph` as a NIR HDF5 file, atomically (nothing is left at `path` on failure).
void writeNir(const std::string& path, const NirGraph& graph);

// Protocol A of the softmax layer and of its exported graph on the same patches and spikes.
struct ExportedComparison {
    ReconstructionMetrics native;
    ReconstructionMetrics exported;
    float v_threshold = 0.0f;  // calibrated: the exported layer spikes as often as the native
    std::size_t patches = 0;
};

// Calibrates the exported threshold on `data` (protocol A's patches with `seed`) and measures
// both networks there.
ExportedComparison compareExported(const RepresentationLayer& layer, const Settings& settings,
                                   const ImageSet& data, std::uint64_t seed);

}  // namespace stdp
