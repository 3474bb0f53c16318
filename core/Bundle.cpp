#include "Bundle.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "FilterMosaic.h"
#include "NpyIO.h"

namespace stdp {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kModelFile = "model.json";
constexpr const char* kWeightsFile = "weights.npy";
constexpr const char* kThresholdsFile = "thresholds.npy";
constexpr const char* kFiltersFile = "filters.png";
constexpr int kMosaicScale = 8;

json settingsToJson(const Settings& s) {
    json out = json::object();
    for (const SettingInfo& info : settingInfos()) {
        const std::string v = settingValue(s, info.name);
        switch (info.kind) {
            case SettingKind::Bool:
                out[info.name] = (v == "true");
                break;
            case SettingKind::Int:
                out[info.name] = std::stoll(v);
                break;
            case SettingKind::Real:
                out[info.name] = std::stod(v);
                break;
            case SettingKind::Seed:
                out[info.name] = s.structure.seed;
                break;
            case SettingKind::Choice:
                out[info.name] = v;
                break;
        }
    }
    return out;
}

Settings settingsFromJson(const json& j, const std::string& where) {
    if (!j.is_object())
        throw UserError(where + ": 'settings' must be an object");
    Settings s;
    for (const auto& [key, value] : j.items()) {
        if (!findSetting(key))
            throw UserError(where + ": unknown setting '" + key + "'");
        std::string text;
        if (value.is_boolean())
            text = value.get<bool>() ? "true" : "false";
        else if (value.is_number_unsigned())
            text = std::to_string(value.get<std::uint64_t>());
        else if (value.is_number_integer())
            text = std::to_string(value.get<long long>());
        else if (value.is_number_float()) {
            std::ostringstream os;
            os.precision(17);
            os << value.get<double>();
            text = os.str();
        } else if (value.is_string())
            text = value.get<std::string>();
        else
            throw UserError(where + ": setting '" + key + "' has an invalid type");
        try {
            applySetting(s, key, text);
        } catch (const UserError& e) {
            throw UserError(where + ": " + e.what());
        }
    }
    validate(s);
    return s;
}

json metricsObject(const ReconstructionMetrics& m, bool include_activity) {
    json o;
    o["rmse"] = m.rmse;
    o["nmse"] = m.nmse;
    if (include_activity)
        o["activity"] = m.activity;
    o["treves_rolls"] = m.treves_rolls;
    o["active_per_patch"] = m.active_per_patch;
    o["dead_fraction"] = m.dead_fraction;
    o["silent_fraction"] = m.silent_fraction;
    o["patches"] = m.patches;
    o["units"] = m.units;
    return o;
}

ReconstructionMetrics metricsFromJson(const json& o) {
    ReconstructionMetrics m;
    m.rmse = o.value("rmse", 0.0);
    m.nmse = o.value("nmse", 0.0);
    m.activity = o.value("activity", 0.0);
    m.has_activity = o.contains("activity");
    m.treves_rolls = o.value("treves_rolls", 0.0);
    m.active_per_patch = o.value("active_per_patch", 0.0);
    m.dead_fraction = o.value("dead_fraction", 0.0);
    m.silent_fraction = o.value("silent_fraction", 0.0);
    m.patches = o.value("patches", std::size_t{0});
    m.units = o.value("units", 0);
    return m;
}

void syncFile(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0)
        return;
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0)
        throw UserError(path.string() + ": fsync failed (" + std::strerror(errno) + ")");
}

void writeText(const fs::path& path, const std::string& text) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f)
        throw UserError(path.string() + ": cannot write (" + std::strerror(errno) + ")");
    const bool ok =
        std::fwrite(text.data(), 1, text.size(), f) == text.size() && std::fflush(f) == 0;
    const bool closed = std::fclose(f) == 0;
    if (!ok || !closed)
        throw UserError(path.string() + ": write failed (disk full?)");
}

bool isBundle(const fs::path& dir) {
    return fs::exists(dir / kModelFile);
}

}  // namespace

std::string metricsToJson(const ReconstructionMetrics& m, std::optional<double> theta,
                          bool include_activity) {
    json o = metricsObject(m, include_activity);
    if (theta)
        o["theta"] = *theta;
    return o.dump();
}

ModelBundle bundleFromLayer(const RepresentationLayer& layer, const Settings& settings) {
    ModelBundle b;
    b.settings = settings;
    b.weights = layer.weights();
    b.thresholds = layer.thresholds();
    return b;
}

RepresentationLayer layerFromBundle(const ModelBundle& bundle) {
    RepresentationLayer layer(bundle.settings.structure, bundle.settings.dynamics);
    layer.setWeights(bundle.weights);
    layer.setThresholds(bundle.thresholds);
    return layer;
}

void saveBundle(const std::string& dir, const ModelBundle& b) {
    const fs::path target = fs::absolute(fs::path(dir)).lexically_normal();
    const fs::path parent = target.parent_path();
    std::error_code ec;
    if (!fs::is_directory(parent, ec))
        throw UserError(dir + ": the parent folder " + parent.string() + " does not exist");
    if (fs::exists(target, ec) &&
        (!fs::is_directory(target, ec) || (!fs::is_empty(target, ec) && !isBundle(target))))
        throw UserError(dir + ": exists and is not a model bundle; refusing to overwrite it");
    const int inputs = b.settings.structure.inputs();
    if (b.weights.rows() != inputs || b.weights.cols() != b.settings.structure.units)
        throw UserError(dir + ": weights do not match the settings' shape");

    // Build the whole bundle in a sibling folder, then swap it in with one rename.
    const fs::path tmp =
        parent / (".tmp-" + target.filename().string() + "-" + std::to_string(::getpid()));
    fs::remove_all(tmp, ec);
    if (!fs::create_directory(tmp, ec))
        throw UserError(dir + ": cannot create a temporary folder beside it (" + ec.message() +
                        ")");
    try {
        json m;
        m["format"] = kBundleFormatName;
        m["version"] = kBundleFormatVersion;
        m["created_by"] = b.created_by;
        m["preset"] = b.preset;
        m["data"] = b.data_source;
        m["images_seen"] = b.images_seen;
        m["inputs"] = inputs;
        m["units"] = b.settings.structure.units;
        m["seed"] = b.settings.structure.seed;
        m["theta"] = b.thresholds;
        m["settings"] = settingsToJson(b.settings);
        m["metrics"] = b.metrics ? metricsObject(*b.metrics, b.metrics->has_activity) : json();
        m["files"] = {
            {"weights", kWeightsFile}, {"thresholds", kThresholdsFile}, {"filters", kFiltersFile}};
        writeNpy((tmp / kWeightsFile).string(),
                 {static_cast<std::size_t>(b.weights.rows()),
                  static_cast<std::size_t>(b.weights.cols())},
                 b.weights.data(), NpyDtype::Float32);
        writeNpy((tmp / kThresholdsFile).string(), {b.thresholds.size()}, b.thresholds.data(),
                 NpyDtype::Float32);
        MosaicOptions mosaic;
        mosaic.scale = kMosaicScale;
        writePngAtomic((tmp / kFiltersFile).string(),
                       renderMosaic(b.weights, b.settings.structure.patch_size,
                                    b.settings.structure.onoff, mosaic));
        writeText(tmp / kModelFile, m.dump(2) + "\n");
        for (const char* f : {kWeightsFile, kThresholdsFile, kFiltersFile, kModelFile})
            syncFile(tmp / f);
        syncFile(tmp);

        if (fs::exists(target, ec)) {
            // RENAME_EXCHANGE swaps both names atomically: no moment without a complete bundle.
            if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0)
                throw UserError(dir + ": cannot replace the bundle (" + std::strerror(errno) + ")");
            fs::remove_all(tmp, ec);  // now holds the previous bundle
        } else {
            fs::rename(tmp, target, ec);
            if (ec)
                throw UserError(dir + ": cannot create the bundle (" + ec.message() + ")");
        }
        syncFile(parent);
    } catch (const UserError&) {
        fs::remove_all(tmp, ec);
        throw;
    } catch (const std::exception& e) {
        fs::remove_all(tmp, ec);
        throw UserError(dir + ": " + e.what());
    }
}

ModelBundle loadBundle(const std::string& dir) {
    const fs::path root(dir);
    std::error_code ec;
    if (!fs::is_directory(root, ec))
        throw UserError(dir + ": no such model folder");
    const fs::path model_path = root / kModelFile;
    std::ifstream in(model_path);
    if (!in)
        throw UserError(model_path.string() + ": missing (not a model bundle?)");
    json m;
    try {
        m = json::parse(in);
    } catch (const json::exception& e) {
        throw UserError(model_path.string() + ": not valid JSON (" + std::string(e.what()) + ")");
    }
    const std::string where = model_path.string();
    try {
        if (m.value("format", std::string()) != kBundleFormatName)
            throw UserError(where + ": not an STDP Studio bundle (format field)");
        const int version = m.value("version", 0);
        if (version < 1 || version > kBundleFormatVersion)
            throw UserError(where + ": unsupported format version " + std::to_string(version) +
                            " (this program reads 1.." + std::to_string(kBundleFormatVersion) +
                            ")");
        ModelBundle b;
        b.settings = settingsFromJson(m.at("settings"), where);
        b.images_seen = m.value("images_seen", std::uint64_t{0});
        b.data_source = m.value("data", std::string());
        b.preset = m.value("preset", std::string());
        b.created_by = m.value("created_by", std::string());
        if (m.contains("metrics") && m["metrics"].is_object())
            b.metrics = metricsFromJson(m["metrics"]);

        const std::size_t inputs = static_cast<std::size_t>(b.settings.structure.inputs());
        const std::size_t units = static_cast<std::size_t>(b.settings.structure.units);
        const NpyArray w = readNpy((root / kWeightsFile).string());
        if (w.shape.size() != 2 || w.shape[0] != inputs || w.shape[1] != units)
            throw UserError((root / kWeightsFile).string() +
                            ": shape does not match the settings "
                            "(expected (" +
                            std::to_string(inputs) + ", " + std::to_string(units) + "))");
        b.weights.resize(static_cast<Eigen::Index>(inputs), static_cast<Eigen::Index>(units));
        for (std::size_t k = 0; k < w.data.size(); ++k) {
            const double v = w.data[k];
            if (v < 0.0 || v > 1.0)
                throw UserError((root / kWeightsFile).string() + ": weights must lie in [0, 1]");
            b.weights.data()[k] = static_cast<float>(v);
        }
        const NpyArray t = readNpy((root / kThresholdsFile).string());
        const std::size_t expected =
            b.settings.structure.theta_mode == ThresholdMode::Global ? 1 : units;
        if (t.shape.size() != 1 || t.shape[0] != expected)
            throw UserError((root / kThresholdsFile).string() + ": expected " +
                            std::to_string(expected) + " value(s)");
        for (double v : t.data) {
            if (v < 0.0 || v > 1.0)
                throw UserError((root / kThresholdsFile).string() +
                                ": thresholds must lie in [0, 1]");
            b.thresholds.push_back(static_cast<float>(v));
        }
        return b;
    } catch (const json::exception& e) {
        throw UserError(where + ": " + std::string(e.what()));
    }
}

}  // namespace stdp
