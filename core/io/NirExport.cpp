#include "io/NirExport.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "analysis/Evaluator.h"
#include "foundation/FileBytes.h"
#include "foundation/Plugin.h"

namespace stdp {

namespace {

constexpr std::size_t kPluginErrorBytes = 512;

float membraneDecay(const DynamicsSettings& d) {
    return d.tau_m > 0.0 ? static_cast<float>(std::exp(-1.0 / d.tau_m)) : 0.0f;
}

// ---- The exported graph, simulated -------------------------------------------------------------

// Runs the exported graph in discrete time: U <- d U + W^T x(t) + b; a neuron spikes when
// U > v_threshold (NIR's strict inequality) and, with reset, U returns to 0. No inhibition.
class ExportedLayer {
  public:
    ExportedLayer(const RepresentationLayer& layer, const Settings& s)
        : w_(layer.weights()),
          filters_(pixelFilters(w_, s.structure.patch_size, s.structure.onoff)),
          bias_(static_cast<std::size_t>(layer.units()), 0.0f),
          decay_(membraneDecay(s.dynamics)),
          reset_(s.dynamics.reset),
          u_(bias_.size()) {
        if (s.dynamics.distance_bias != 0.0)
            for (int j = 0; j < layer.units(); ++j)
                bias_[static_cast<std::size_t>(j)] =
                    static_cast<float>(-0.5 * s.dynamics.distance_bias * w_.col(j).squaredNorm());
    }
    const std::vector<float>& bias() const { return bias_; }
    const Eigen::MatrixXf& filters() const { return filters_; }

    // Spikes per neuron into `counts`; returns all spikes. Tracks the potentials' range.
    std::uint64_t run(const PatchSpikes& spikes, float v_threshold, std::vector<float>& counts) {
        const std::size_t K = bias_.size();
        counts.assign(K, 0.0f);
        std::fill(u_.begin(), u_.end(), 0.0f);
        std::uint64_t total = 0;
        for (int t = 0; t < spikes.steps; ++t) {
            for (std::size_t j = 0; j < K; ++j)
                u_[j] = decay_ * u_[j] + bias_[j];
            for (std::int32_t i : spikes.at(t)) {
                const float* row = w_.data() + static_cast<std::size_t>(i) * K;
                for (std::size_t j = 0; j < K; ++j)
                    u_[j] += row[j];
            }
            for (std::size_t j = 0; j < K; ++j) {
                lowest_ = std::min(lowest_, u_[j]);
                highest_ = std::max(highest_, u_[j]);
                if (u_[j] > v_threshold) {
                    counts[j] += 1.0f;
                    ++total;
                    if (reset_)
                        u_[j] = 0.0f;
                }
            }
        }
        return total;
    }
    float lowest() const { return lowest_; }
    float highest() const { return highest_; }

  private:
    WeightMatrix w_;
    Eigen::MatrixXf filters_;
    std::vector<float> bias_;
    float decay_;
    bool reset_;
    std::vector<float> u_;
    float lowest_ = std::numeric_limits<float>::max();
    float highest_ = std::numeric_limits<float>::lowest();
};

// NIR has no lateral connection whose weight is the overlap of two fields, nor reset by
// subtraction of a per-neuron threshold: an amplitude-coding layer cannot be exported faithfully.
void refuseAmplitudeCoding(const Settings& settings) {
    if (settings.dynamics.amplitudeCoding())
        throw UserError(
            "NIR export: amplitude coding (spike_quantum > 0) inhibits by the overlap of fields, "
            "which a NIR graph cannot express; set spike_quantum=0 or export the fields instead");
}

}  // namespace

NirGraph nirGraphOf(const RepresentationLayer& layer, const Settings& settings, float v_threshold,
                    const std::string& preset) {
    refuseAmplitudeCoding(settings);
    const DynamicsSettings& d = settings.dynamics;
    NirGraph g;
    g.inputs = layer.inputs();
    g.units = layer.units();
    const WeightMatrix w = layer.weights();  // D x K
    g.weight.resize(static_cast<std::size_t>(g.inputs) * g.units);
    for (int j = 0; j < g.units; ++j)
        for (int i = 0; i < g.inputs; ++i)
            g.weight[static_cast<std::size_t>(j) * g.inputs + i] = w(i, j);
    g.bias.assign(static_cast<std::size_t>(g.units), 0.0f);
    if (d.distance_bias != 0.0)
        for (int j = 0; j < g.units; ++j)
            g.bias[static_cast<std::size_t>(j)] =
                static_cast<float>(-0.5 * d.distance_bias * w.col(j).squaredNorm());
    g.reset = d.reset;
    const double decay = membraneDecay(d);
    g.tau = static_cast<float>(kNirStepSeconds / (1.0 - decay));
    g.r = static_cast<float>(1.0 / (1.0 - decay));
    g.v_threshold = v_threshold;
    auto number = [](double v) {
        char text[32];
        std::snprintf(text, sizeof text, "%.9g", v);
        return std::string(text);
    };
    g.metadata = {
        {"source", "STDP Studio"},
        {"preset", preset},
        {"time_step_seconds", number(kNirStepSeconds)},
        {"inputs", settings.structure.onoff
                       ? "ON/OFF rate-coded pixels: p*p ON channels, then p*p OFF channels"
                       : "rate-coded pixels, row-major p*p"},
        {"patch_size", std::to_string(settings.structure.patch_size)},
        {"softmax_theta", number(layer.meanThreshold())},
        {"softmax_temperature", number(d.temperature)},
        {"inhibition",
         "not exported: the trained layer fires when softmax_j(U / temperature) >= theta_j (a "
         "soft winner-take-all); this graph fires on the fixed v_threshold, calibrated so that "
         "it spikes as often as the softmax layer on protocol-A patches"},
    };
    if (d.refractory > 0)
        g.metadata.push_back({"refractory_steps", "not exported: " + std::to_string(d.refractory)});
    if (d.trace_tau > 0.0)
        g.metadata.push_back({"input_trace_tau_steps", "not exported: " + number(d.trace_tau)});
    return g;
}

void writeNir(const std::string& path, const NirGraph& graph) {
    auto* write = reinterpret_cast<NirFileImageFunction*>(
        detail::pluginSymbol("libstdp_nir_hdf5.so", kNirFileImageSymbol, path + ": writing NIR"));
    std::vector<std::uint8_t> image;
    std::array<char, kPluginErrorBytes> error{};
    if (write(&graph, &image, error.data(), error.size()) != 0)
        throw UserError(path + ": " + std::string(error.data()));
    detail::writeFileAtomic(path, image.data(), image.size());
}

ExportedComparison compareExported(const RepresentationLayer& layer, const Settings& settings,
                                   const ImageSet& data, std::uint64_t seed) {
    refuseAmplitudeCoding(settings);
    EvalOptions options;
    options.seed = seed;
    ExportedComparison out;
    out.native = evaluate(layer, settings, data, options);
    std::vector<ProtocolPatch> patches;
    for (std::size_t i = 0; i < data.size(); ++i) {
        auto some = protocolPatchesOf(settings, data.images[i], seed, i);
        std::move(some.begin(), some.end(), std::back_inserter(patches));
    }
    out.patches = patches.size();
    const int K = layer.units();
    const int T = settings.dynamics.steps;
    const double neuron_steps = static_cast<double>(patches.size()) * K * T;
    const double target = std::round(out.native.activity * neuron_steps);

    ExportedLayer exported(layer, settings);
    std::vector<float> counts;
    auto spikesAt = [&](float v) {
        std::uint64_t all = 0;
        for (const ProtocolPatch& p : patches)
            all += exported.run(p.spikes, v, counts);
        return static_cast<double>(all);
    };
    // Every potential the graph can reach lies in [lowest, highest] of a run without spikes.
    spikesAt(std::numeric_limits<float>::max());
    float lo = exported.lowest() - 1.0f;   // every neuron spikes at every step
    float hi = exported.highest() + 1.0f;  // none ever does
    for (int k = 0; k < 40 && hi - lo > 1e-6f * std::max(1.0f, std::abs(hi)); ++k) {
        const float mid = 0.5f * (lo + hi);
        (spikesAt(mid) > target ? lo : hi) = mid;
    }
    out.v_threshold = hi;  // the lowest threshold found with no more spikes than the native layer

    ReconstructionAccumulator acc(K);
    std::vector<float> xhat;
    for (const ProtocolPatch& p : patches) {
        const std::uint64_t total = exported.run(p.spikes, out.v_threshold, counts);
        xhat.assign(static_cast<std::size_t>(exported.filters().rows()), 0.0f);
        if (total > 0) {
            Eigen::Map<const Eigen::VectorXf> c(counts.data(), K);
            Eigen::Map<Eigen::VectorXf>(xhat.data(), exported.filters().rows()) =
                exported.filters() * c / static_cast<float>(total);
        }
        acc.add(p.pixels.data(), xhat.data(), static_cast<int>(xhat.size()), counts.data(), K);
        acc.addSpikes(total, static_cast<std::uint64_t>(K) * static_cast<std::uint64_t>(T));
    }
    out.exported = acc.result();
    return out;
}

}  // namespace stdp
