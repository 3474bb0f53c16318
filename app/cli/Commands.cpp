#include "Commands.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "ProgressBar.h"
#include "analysis/Baselines.h"
#include "analysis/Evaluator.h"
#include "data/Dataset.h"
#include "io/Bundle.h"
#include "io/FilterMosaic.h"
#include "io/NirExport.h"
#include "io/NpyIO.h"
#include "model/Experiment.h"
#include "model/Presets.h"
#include "model/TrainingSession.h"

namespace stdp::cli {

namespace {

constexpr const char* kProgram = "stdp-cli " STDP_VERSION;

Settings buildSettings(const std::string& preset, const std::vector<std::string>& sets,
                       std::optional<std::uint64_t> seed) {
    Settings s = presetSettings(preset);
    for (const auto& a : sets)
        applyAssignment(s, a);
    if (seed)
        s.structure.seed = *seed;
    validate(s);
    return s;
}

ImageSet loadSelection(const DataSelection& d, const DataSettings& data) {
    return loadDataSpec(d.spec, data, d.offset, d.images);
}

void printMetrics(const ReconstructionMetrics& m, std::optional<double> theta) {
    std::printf("patches           %zu\n", m.patches);
    std::printf("units             %d\n", m.units);
    std::printf("rmse              %.6f\n", m.rmse);
    std::printf("nmse              %.6f\n", m.nmse);
    if (m.has_activity)
        std::printf("activity          %.6f spikes/neuron/step\n", m.activity);
    std::printf("treves_rolls      %.6f\n", m.treves_rolls);
    std::printf("active_per_patch  %.4f\n", m.active_per_patch);
    std::printf("dead_fraction     %.4f\n", m.dead_fraction);
    std::printf("silent_fraction   %.4f\n", m.silent_fraction);
    if (theta)
        std::printf("theta             %.6f\n", *theta);
}

ReconstructionMetrics evaluateWithBar(const RepresentationLayer& layer, const Settings& s,
                                      const ImageSet& data, std::uint64_t seed) {
    ProgressBar bar("eval ", data.size());
    EvalOptions o;
    o.seed = seed;
    o.progress = [&](double f) {
        bar.update(static_cast<std::uint64_t>(f * static_cast<double>(data.size())));
        return true;
    };
    return evaluate(layer, s, data, o);
}

PatchMatrix toMatrix(const PatchSet& set) {
    PatchMatrix m(static_cast<Eigen::Index>(set.count()), set.dim);
    std::copy(set.values.begin(), set.values.end(), m.data());
    return m;
}

}  // namespace

int runTrain(const TrainArgs& a) {
    std::optional<Experiment> config;
    if (!a.config.empty())
        config = loadConfig(a.config);
    Settings s = config ? config->settings : presetSettings(a.preset);
    for (const auto& assignment : a.sets)
        applyAssignment(s, assignment);
    if (a.seed)
        s.structure.seed = *a.seed;
    validate(s);
    DataSelection selection = a.data;
    if (selection.spec.empty()) {
        if (!config || config->data_spec.empty())
            throw UserError(
                "train: --data is required (or --config with an experiment that names "
                "its data)");
        selection.spec = config->data_spec;
        selection.offset = config->offset;
        if (config->images > 0)
            selection.images = config->images;
    }
    // Check the output folder before spending time on training.
    checkBundleDestination(a.out);
    auto data = std::make_shared<const ImageSet>(loadSelection(selection, s.data));
    std::optional<ImageSet> eval_data;
    if (a.eval)
        eval_data = loadSelection(*a.eval, s.data);

    TrainingSession session(s, data);
    const std::uint64_t total = data->size() * static_cast<std::uint64_t>(s.data.epochs);
    ProgressBar bar("train", total);
    const auto start = std::chrono::steady_clock::now();
    const auto progress = [&](std::uint64_t done) {
        bar.update(done);
        return true;
    };
    if (config && (config->steps > 0 || !config->changes.empty()))
        trainWithChanges(session, config->steps, config->changes, progress);  // a replay
    else
        session.trainImages(total, progress);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    bar.finish();

    ModelBundle b = bundleFromLayer(session.layer(), s);
    b.images_seen = session.counters().images;
    b.data_source = data->source;
    b.preset = config ? config->preset : a.preset;
    b.created_by = kProgram;
    if (eval_data)
        b.metrics = evaluateWithBar(session.layer(), s, *eval_data, s.structure.seed);
    saveBundle(a.out, b);
    std::fprintf(stderr,
                 "trained on %llu images (%llu patches, %llu output spikes), theta = %.6f, "
                 "in %.3f s (%.1f images/s); saved %s\n",
                 static_cast<unsigned long long>(session.counters().images),
                 static_cast<unsigned long long>(session.counters().patches),
                 static_cast<unsigned long long>(session.counters().spikes),
                 static_cast<double>(session.layer().meanThreshold()), seconds,
                 static_cast<double>(session.counters().images) / std::max(seconds, 1e-9),
                 a.out.c_str());
    if (b.metrics)
        printMetrics(*b.metrics, session.layer().meanThreshold());
    return 0;
}

int runEval(const EvalArgs& a) {
    const ModelBundle b = loadBundle(a.model);
    const RepresentationLayer layer = layerFromBundle(b);
    const ImageSet data = loadSelection(a.data, b.settings.data);
    const std::uint64_t seed = a.seed.value_or(b.settings.structure.seed);
    const ReconstructionMetrics m = evaluateWithBar(layer, b.settings, data, seed);
    const double theta = layer.meanThreshold();
    if (a.json)
        std::printf("%s\n", metricsToJson(m, theta).c_str());
    else
        printMetrics(m, theta);
    return 0;
}

int runImport(const ImportArgs& a) {
    Settings s = buildSettings(a.preset, a.sets, std::nullopt);
    const NpyArray w = readNpy(a.weights);
    if (w.shape.size() != 2)
        throw UserError(a.weights + ": expected a 2-D (D, K) array, got " +
                        std::to_string(w.shape.size()) + " dimension(s)");
    const auto inputs = static_cast<std::size_t>(s.structure.inputs());
    if (w.shape[0] != inputs)
        throw UserError(a.weights + ": has D = " + std::to_string(w.shape[0]) +
                        " rows but preset '" + a.preset + "' needs D = " + std::to_string(inputs) +
                        " (patch_size " + std::to_string(s.structure.patch_size) +
                        (s.structure.onoff ? ", ON/OFF" : "") + ")");
    s.structure.units = static_cast<int>(w.shape[1]);
    validate(s);
    WeightMatrix weights(static_cast<Eigen::Index>(w.shape[0]),
                         static_cast<Eigen::Index>(w.shape[1]));
    for (std::size_t k = 0; k < w.data.size(); ++k) {
        if (w.data[k] < 0.0 || w.data[k] > 1.0)
            throw UserError(a.weights + ": values must lie in [0, 1] (found " +
                            std::to_string(w.data[k]) + ")");
        weights.data()[k] = static_cast<float>(w.data[k]);
    }
    RepresentationLayer layer(s.structure, s.dynamics);
    layer.setWeights(weights);
    ModelBundle b = bundleFromLayer(layer, s);
    b.preset = a.preset;
    b.data_source = "import:" + a.weights;
    b.created_by = kProgram;
    saveBundle(a.out, b);
    std::fprintf(stderr, "imported (%zu, %zu) weights into %s\n", w.shape[0], w.shape[1],
                 a.out.c_str());
    return 0;
}

int runBaseline(const BaselineArgs& a) {
    const Settings s = buildSettings(a.preset, a.sets, a.seed);
    BaselineOptions o;
    o.method = parseBaselineMethod(a.method);
    o.units = a.units;
    o.active = a.active;
    o.seed = s.structure.seed;
    const ImageSet eval_data = loadSelection(a.data, s.data);
    const ImageSet train_data = loadSelection(a.train.value_or(a.data), s.data);
    const PatchMatrix train =
        toMatrix(protocolPatches(s, train_data, Rng::mix(s.structure.seed, 7)));
    const PatchMatrix test = toMatrix(protocolPatches(s, eval_data, s.structure.seed));
    ProgressBar bar("fit  ", 1000);
    o.progress = [&](double f) {
        bar.update(static_cast<std::uint64_t>(f * 1000));
        return true;
    };
    const BaselineModel model = fitBaseline(train, o);
    bar.finish();
    const ReconstructionMetrics m = evaluateBaseline(model, test);
    if (a.json)
        std::printf("%s\n", metricsToJson(m, std::nullopt, false).c_str());
    else
        printMetrics(m, std::nullopt);
    return 0;
}

namespace {
// The images a NIR export is calibrated and measured on: --data, or data the preset's training
// did not use (the built-in digits' last 200, the held-out photographs).
ImageSet nirCalibrationData(const ExportArgs& a, const ModelBundle& b) {
    std::string spec = a.data;
    std::uint64_t offset = 0;
    if (spec.empty()) {
        spec = b.data_source.empty() ? std::string("builtin:mnist") : b.data_source;
        if (spec == "builtin:mnist")
            offset = 1800;
        else if (spec == "builtin:natural")
            spec = "builtin:natural-eval";
    }
    return loadDataSpec(spec, b.settings.data, offset, a.eval_images);
}

void exportNir(const ExportArgs& a, const ModelBundle& b) {
    // A folder that is not there fails now, not after the calibration.
    const std::filesystem::path folder = std::filesystem::path(a.nir).parent_path();
    std::error_code ec;
    if (!folder.empty() && !std::filesystem::is_directory(folder, ec))
        throw UserError(a.nir + ": the folder " + folder.string() + " does not exist");
    const ImageSet data = nirCalibrationData(a, b);
    const RepresentationLayer layer = layerFromBundle(b);
    const ExportedComparison c =
        compareExported(layer, b.settings, data, b.settings.structure.seed);
    writeNir(a.nir, nirGraphOf(layer, b.settings, c.v_threshold, b.preset));
    std::printf("nir               %s\n", a.nir.c_str());
    std::printf("graph             Input(%d) -> Affine -> %s -> Output(%d)\n", layer.inputs(),
                b.settings.dynamics.reset ? "LIF" : "LI -> Threshold", layer.units());
    std::printf(
        "v_threshold       %.6g (calibrated on %zu patches of %s: as many spikes as the "
        "softmax layer)\n",
        static_cast<double>(c.v_threshold), c.patches, data.source.c_str());
    std::printf("rmse              %.6f softmax layer, %.6f exported graph\n", c.native.rmse,
                c.exported.rmse);
    std::printf("nmse              %.6f softmax layer, %.6f exported graph\n", c.native.nmse,
                c.exported.nmse);
    std::printf("active_per_patch  %.4f softmax layer, %.4f exported graph\n",
                c.native.active_per_patch, c.exported.active_per_patch);
    std::printf("silent_fraction   %.4f softmax layer, %.4f exported graph\n",
                c.native.silent_fraction, c.exported.silent_fraction);
}
}  // namespace

int runExport(const ExportArgs& a) {
    if (a.filters.empty() && a.nir.empty())
        throw UserError("export: say what to write: --filters FILE.png and/or --nir FILE.nir");
    const ModelBundle b = loadBundle(a.model);
    if (!a.nir.empty())
        exportNir(a, b);
    if (a.filters.empty())
        return 0;
    MosaicOptions o;
    o.scale = a.scale;
    if (a.contrast == "shared")
        o.contrast = MosaicContrast::Shared;
    else if (a.contrast == "per-neuron")
        o.contrast = MosaicContrast::PerNeuron;
    else
        throw UserError("--contrast: must be 'shared' or 'per-neuron'");
    const int p = b.settings.structure.patch_size;
    const bool onoff = b.settings.structure.onoff;
    writePngAtomic(a.filters, renderMosaic(b.weights, p, onoff, o));
    if (!a.neurons_dir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(a.neurons_dir, ec);
        if (ec || !std::filesystem::is_directory(a.neurons_dir, ec))
            throw UserError(a.neurons_dir + ": cannot create the folder (" +
                            (ec ? ec.message() : std::string("a file has that name")) + ")");
        for (int j = 0; j < b.settings.structure.units; ++j) {
            char name[32];
            std::snprintf(name, sizeof name, "neuron-%04d.png", j);
            writePngAtomic((std::filesystem::path(a.neurons_dir) / name).string(),
                           renderField(b.weights, j, p, onoff, a.scale, o.contrast));
        }
    }
    return 0;
}

int runPresets(const std::string& name) {
    if (name.empty()) {
        for (const Preset& p : presets())
            std::printf("%-14s %s\n", p.name.c_str(), p.description.c_str());
        return 0;
    }
    const Preset& p = findPreset(name);
    std::printf("# %s: %s\n", p.name.c_str(), p.description.c_str());
    std::printf("%-24s %-14s %s\n", "setting", "value", "source");
    for (const PresetValue& v : describePreset(name))
        std::printf("%-24s %-14s %s\n", v.key.c_str(), v.value.c_str(), provenanceName(v.source));
    return 0;
}

}  // namespace stdp::cli
