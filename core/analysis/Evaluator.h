#pragma once
// Protocol A (docs/model.md §4): run the trained layer, frozen, on held-out images and measure how
// well its read-out (the spike-weighted mean of the winners' fields, or with amplitude coding the
// additive g sum_j c_j w_j) reconstructs each patch. Never changes the model.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "analysis/Metrics.h"
#include "data/Dataset.h"
#include "foundation/Settings.h"
#include "model/FieldGrey.h"
#include "model/ProtocolPatches.h"
#include "model/RepresentationLayer.h"
#include "model/SpikeEncoder.h"

namespace stdp {

struct EvalOptions {
    std::uint64_t seed = 1;
    int workers = 0;                                // 0 = all cores; results do not depend on it
    std::function<bool(double fraction)> progress;  // return false to cancel (throws UserError)
};

// A trained network as evaluation runs it: its settings, weights and thresholds, with STDP and
// threshold adaptation off (frozenDynamics). Throws UserError when the weights or thresholds do
// not fit.
RepresentationLayer frozenLayer(const Settings& settings, const WeightMatrix& weights,
                                const std::vector<float>& thresholds);

// The frozen layer's response to one patch: spike counts and reconstruction.
class PatchReconstructor {
  public:
    PatchReconstructor(const RepresentationLayer& trained, const Settings& settings);
    // Runs T steps on `spikes`; fills counts (K) and xhat (p^2). Returns total spikes.
    int run(const PatchSpikes& spikes, std::vector<float>& counts, std::vector<float>& xhat);
    RepresentationLayer& layer() { return layer_; }

  private:
    // The coefficients the additive read-out weighs the fields with: the counts, plus with
    // decoder_hurdle the hurdle each active neuron paid (joined[j]: the neurons active in the
    // patch before j's first spike).
    void addHurdles(const std::vector<float>& counts, const std::vector<int>& joined);

    RepresentationLayer layer_;
    Eigen::MatrixXf filters_;
    // decoder_hurdle lambda_h: lambda_h h theta_j / (q |w_j|^2) and lambda_h h2 theta_j / (q
    // |w_j|^2), neuron j's hurdle and one recruitment charge in spikes of its quantum (empty when
    // off).
    std::vector<float> hurdle_spikes_;
    std::vector<float> recruit_spikes_;
    std::vector<int> joined_;
    std::vector<float> code_;
};

// The read-out protocol A applies: "mean of winners" (x^ = sum_j c_j w_j / sum_j c_j) or, with
// amplitude coding, "additive, g = ..." (x^ = g sum_j c_j w_j), and with decoder_hurdle
// "additive, g = ..., hurdle added back (lambda_h = ...)" (x^ = g sum_j a_j w_j,
// a_j = c_j + lambda_h (h + n_j h2) theta_j / (q |w_j|^2) for each neuron that fired, n_j the
// neurons that fired before j's first spike).
std::string decoderName(const DynamicsSettings& d);

ReconstructionMetrics evaluate(const RepresentationLayer& trained, const Settings& settings,
                               const ImageSet& data, const EvalOptions& options = {});

// The evaluation patches of protocol A in pixel space (N x p^2, or N x 2p^2 as ON/OFF rates for
// `rates`), the same ones evaluate() uses, for the baselines.
struct PatchSet {
    std::vector<float> values;  // row-major N x dim
    int dim = 0;
    std::size_t count() const { return dim ? values.size() / dim : 0; }
};
PatchSet protocolPatches(const Settings& settings, const ImageSet& data, std::uint64_t seed);

// A whole image reassembled from its patches' reconstructions (each pixel = mean over the patches
// covering it); for the studio's image view. Deterministic for a given seed. Stride 1: every
// overlapping patch (each pixel covered p^2 times); stride n: the patches at every n-th position
// in each direction and the last (forEachOverlappingPatch), n^2 times fewer, each pixel still
// covered while n <= p. A patch's spikes do not depend on the stride.
Image reconstructImage(const RepresentationLayer& trained, const Settings& settings,
                       const Image& image, std::uint64_t seed, int stride = 1);

// The frozen layer's answer to one image (a drawn digit, a loaded photograph), patch by patch
// and as a whole: what `evaluate` measures of the same image with the same seed, kept in full.
struct ImageResponse {
    struct Patch {
        PatchPosition at;           // top-left in image coordinates (may be negative: zero padding)
        std::vector<float> counts;  // spikes per neuron (K)
        std::vector<float> pixels;  // the patch (p^2, signed pixel space)
        std::vector<float> xhat;    // its reconstruction (p^2)
    };
    std::vector<Patch> patches;
    std::vector<double> counts;  // spikes per neuron over the whole image (K)
    double spikes = 0.0;         // all spikes
    Image reconstruction;        // each pixel: mean over the patches covering it
};
ImageResponse respondToImage(const RepresentationLayer& trained, const Settings& settings,
                             const Image& image, std::uint64_t seed);

}  // namespace stdp
