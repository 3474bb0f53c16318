#include "io/NirExport.h"

#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/Evaluator.h"
#include "foundation/FileBytes.h"

namespace stdp {

namespace {

float membraneDecay(const DynamicsSettings& d) {
    return d.tau_m > 0.0 ? static_cast<float>(std::exp(-1.0 / d.tau_m)) : 0.0f;
}

// ---- Writing HDF5 ------------------------------------------------------------------------------

// An HDF5 handle closed on every path out, so that a failed write leaks nothing.
class Handle {
  public:
    Handle(hid_t id, herr_t (*close)(hid_t), const char* what) : id_(id), close_(close) {
        if (id_ < 0)
            throw UserError(std::string("NIR file: HDF5 could not create ") + what);
    }
    ~Handle() {
        if (id_ >= 0)
            close_(id_);
    }
    Handle(Handle&& other) noexcept : id_(other.id_), close_(other.close_) { other.id_ = -1; }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    Handle& operator=(Handle&&) = delete;
    hid_t get() const { return id_; }

  private:
    hid_t id_;
    herr_t (*close_)(hid_t);
};

void check(herr_t status, const char* what) {
    if (status < 0)
        throw UserError(std::string("NIR file: HDF5 could not write ") + what);
}

Handle group(hid_t parent, const std::string& name) {
    return {H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
            "a group"};
}

// Variable-length UTF-8 strings, as h5py writes Python str (h5py.string_dtype()).
Handle stringType() {
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "a string type");
    check(H5Tset_size(type.get(), H5T_VARIABLE), "a string type");
    check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "a string type");
    return type;
}

void writeStrings(hid_t parent, const std::string& name, const std::vector<const char*>& values,
                  const std::vector<hsize_t>& dims) {
    const Handle type = stringType();
    const Handle space(dims.empty()
                           ? H5Screate(H5S_SCALAR)
                           : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                       H5Sclose, "a dataspace");
    const Handle set(H5Dcreate2(parent, name.c_str(), type.get(), space.get(), H5P_DEFAULT,
                                H5P_DEFAULT, H5P_DEFAULT),
                     H5Dclose, name.c_str());
    check(H5Dwrite(set.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          name.c_str());
}

void writeString(hid_t parent, const std::string& name, const std::string& value) {
    writeStrings(parent, name, {value.c_str()}, {});
}

void writeFloats(hid_t parent, const std::string& name, const std::vector<float>& values,
                 const std::vector<hsize_t>& dims) {
    const Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                       H5Sclose, "a dataspace");
    const Handle set(H5Dcreate2(parent, name.c_str(), H5T_IEEE_F32LE, space.get(), H5P_DEFAULT,
                                H5P_DEFAULT, H5P_DEFAULT),
                     H5Dclose, name.c_str());
    check(H5Dwrite(set.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          name.c_str());
}

void writeShape(hid_t parent, std::int64_t size) {
    const hsize_t one = 1;
    const Handle space(H5Screate_simple(1, &one, nullptr), H5Sclose, "a dataspace");
    const Handle set(H5Dcreate2(parent, "shape", H5T_STD_I64LE, space.get(), H5P_DEFAULT,
                                H5P_DEFAULT, H5P_DEFAULT),
                     H5Dclose, "shape");
    check(H5Dwrite(set.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, &size), "shape");
}

// One NIR node: a group with its `type` and its parameters.
Handle node(hid_t nodes, const std::string& name, const std::string& type) {
    Handle g = group(nodes, name);
    writeString(g.get(), "type", type);
    return g;
}

// The file is built in memory (HDF5's core driver, no backing store) and then written with the
// project's atomic writer: a full disk or a bad folder leaves nothing half-written.
std::vector<std::uint8_t> nirFileImage(const NirGraph& g) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions, not stderr noise
    const Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "file access properties");
    check(H5Pset_fapl_core(access.get(), 1 << 20, 0), "an in-memory file");
    std::vector<std::uint8_t> image;
    {
        const Handle file(
            H5Fcreate("stdp-nir-in-memory.h5", H5F_ACC_TRUNC, H5P_DEFAULT, access.get()), H5Fclose,
            "the file");
        const hid_t f = file.get();
        // The NIR version whose layout this follows (nir.serialization.write).
        writeString(f, "version", "1.0.7");
        const Handle graph = group(f, "node");
        writeString(graph.get(), "type", "NIRGraph");
        const Handle nodes = group(graph.get(), "nodes");
        const auto K = static_cast<hsize_t>(g.units);
        const auto D = static_cast<hsize_t>(g.inputs);
        {
            const Handle input = node(nodes.get(), "input", "Input");
            writeShape(input.get(), g.inputs);
        }
        {
            const Handle affine = node(nodes.get(), "affine", "Affine");
            writeFloats(affine.get(), "weight", g.weight, {K, D});
            writeFloats(affine.get(), "bias", g.bias, {K});
        }
        const std::vector<float> tau(K, g.tau), r(K, g.r), zero(K, 0.0f), theta(K, g.v_threshold);
        std::vector<std::pair<std::string, std::string>> edges = {{"input", "affine"}};
        if (g.reset) {
            const Handle lif = node(nodes.get(), "lif", "LIF");
            writeFloats(lif.get(), "tau", tau, {K});
            writeFloats(lif.get(), "r", r, {K});
            writeFloats(lif.get(), "v_leak", zero, {K});
            writeFloats(lif.get(), "v_reset", zero, {K});
            writeFloats(lif.get(), "v_threshold", theta, {K});
            edges.insert(edges.end(), {{"affine", "lif"}, {"lif", "output"}});
        } else {
            const Handle li = node(nodes.get(), "li", "LI");
            writeFloats(li.get(), "tau", tau, {K});
            writeFloats(li.get(), "r", r, {K});
            writeFloats(li.get(), "v_leak", zero, {K});
            const Handle threshold = node(nodes.get(), "threshold", "Threshold");
            writeFloats(threshold.get(), "threshold", theta, {K});
            edges.insert(edges.end(),
                         {{"affine", "li"}, {"li", "threshold"}, {"threshold", "output"}});
        }
        {
            const Handle output = node(nodes.get(), "output", "Output");
            writeShape(output.get(), g.units);
        }
        std::vector<const char*> names;
        for (const auto& [from, to] : edges) {
            names.push_back(from.c_str());
            names.push_back(to.c_str());
        }
        writeStrings(graph.get(), "edges", names, {edges.size(), 2});
        if (!g.metadata.empty()) {
            const Handle metadata = group(graph.get(), "metadata");
            for (const auto& [key, value] : g.metadata)
                writeString(metadata.get(), key, value);
        }
        check(H5Fflush(f, H5F_SCOPE_GLOBAL), "the file");
        const ssize_t size = H5Fget_file_image(f, nullptr, 0);
        if (size <= 0)
            throw UserError("NIR file: HDF5 could not produce the file");
        image.resize(static_cast<std::size_t>(size));
        if (H5Fget_file_image(f, image.data(), image.size()) != size)
            throw UserError("NIR file: HDF5 could not produce the file");
    }
    return image;
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

}  // namespace

NirGraph nirGraphOf(const RepresentationLayer& layer, const Settings& settings, float v_threshold,
                    const std::string& preset) {
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
    const std::vector<std::uint8_t> image = nirFileImage(graph);
    detail::writeFileAtomic(path, image.data(), image.size());
}

ExportedComparison compareExported(const RepresentationLayer& layer, const Settings& settings,
                                   const ImageSet& data, std::uint64_t seed) {
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
