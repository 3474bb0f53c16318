#include "io/Bundle.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "foundation/FileBytes.h"
#include "foundation/SettingsJson.h"
#include "io/FilterMosaic.h"
#include "io/NpyIO.h"

namespace stdp {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kModelFile = "model.json";
constexpr const char* kWeightsFile = "weights.npy";
constexpr const char* kThresholdsFile = "thresholds.npy";
constexpr const char* kFiltersFile = "filters.png";
constexpr int kMosaicScale = 8;
// Bounds of model.json numbers: a version beyond any this program will write, and units or
// inputs beyond any layer (the settings table caps units at 4096, inputs at 2 x 32 x 32).
constexpr std::uint64_t kMaxVersionNumber = 1000000;
constexpr std::uint64_t kMaxUnits = 1000000;
// model.json holds settings, metrics and up to 4096 thresholds: a few hundred KiB at most.
constexpr std::uint64_t kMaxModelJsonBytes = std::uint64_t{16} << 20;

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
    if (!m.decoder.empty())
        o["decoder"] = m.decoder;
    return o;
}

ReconstructionMetrics metricsFromJson(const json& o, const std::string& where) {
    const std::string w = where + " (metrics)";
    constexpr std::uint64_t kMaxPatches = std::uint64_t{1} << 53;  // exact in a double
    ReconstructionMetrics m;
    m.rmse = finiteAt(o, "rmse", w);
    m.nmse = finiteAt(o, "nmse", w);
    m.has_activity = o.contains("activity");
    if (o.contains("decoder") && o["decoder"].is_string())
        m.decoder = o["decoder"].get<std::string>();
    if (m.has_activity)
        m.activity = finiteAt(o, "activity", w);
    m.treves_rolls = finiteAt(o, "treves_rolls", w);
    m.active_per_patch = finiteAt(o, "active_per_patch", w);
    m.dead_fraction = finiteAt(o, "dead_fraction", w);
    m.silent_fraction = finiteAt(o, "silent_fraction", w);
    m.patches = static_cast<std::size_t>(unsignedAt(o, "patches", w, kMaxPatches));
    m.units = static_cast<int>(unsignedAt(o, "units", w, kMaxUnits));
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
    detail::writeFileBytes(path.string(), text.data(), text.size());
}

// A save killed half-way (kill -9, power loss) leaves its temporary folder behind: the next save
// of the same bundle removes those whose process is gone. A live process's folder is left alone.
void removeAbandonedTemporaries(const fs::path& parent, const std::string& prefix) {
    std::error_code ec;
    for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (!name.starts_with(prefix))
            continue;
        const std::string pid_text = name.substr(prefix.size());
        pid_t pid = 0;
        const auto [p, err] =
            std::from_chars(pid_text.data(), pid_text.data() + pid_text.size(), pid);
        if (err != std::errc() || p != pid_text.data() + pid_text.size() || pid <= 0)
            continue;
        if (::kill(pid, 0) == 0 || errno != ESRCH)
            continue;
        std::error_code remove_ec;
        fs::remove_all(it->path(), remove_ec);
    }
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

std::string checkBundleDestination(const std::string& dir) {
    if (dir.empty())
        throw UserError("the bundle folder name is empty");
    std::error_code ec;
    fs::path target = fs::absolute(fs::path(dir), ec).lexically_normal();
    if (ec)
        throw UserError(dir + ": " + ec.message());
    // "runs/m/" names the folder m, not an empty name inside it.
    if (target.filename().empty())
        target = target.parent_path();
    if (target.filename().empty() || target == target.root_path())
        throw UserError(dir + ": not a folder name a bundle can take");
    const fs::path parent = target.parent_path();
    if (!fs::is_directory(parent, ec))
        throw UserError(dir + ": the parent folder " + parent.string() + " does not exist");
    if (::access(parent.c_str(), W_OK | X_OK) != 0)
        throw UserError(dir + ": cannot write in " + parent.string() + " (" +
                        detail::fileProblem(errno) + ")");
    if (fs::exists(target, ec) &&
        (!fs::is_directory(target, ec) || (!fs::is_empty(target, ec) && !isBundle(target))))
        throw UserError(dir + ": exists and is not a model bundle; refusing to overwrite it");
    return target.string();
}

void saveBundle(const std::string& dir, const ModelBundle& b) {
    const fs::path target = checkBundleDestination(dir);
    const fs::path parent = target.parent_path();
    std::error_code ec;
    const int inputs = b.settings.structure.inputs();
    if (b.weights.rows() != inputs || b.weights.cols() != b.settings.structure.units)
        throw UserError(dir + ": weights do not match the settings' shape");

    // Build the whole bundle in a sibling folder, then swap it in with one rename.
    const std::string tmp_prefix = ".tmp-" + target.filename().string() + "-";
    removeAbandonedTemporaries(parent, tmp_prefix);
    const fs::path tmp = parent / (tmp_prefix + std::to_string(::getpid()));
    fs::remove_all(tmp, ec);
    if (::mkdir(tmp.c_str(), 0755) != 0)
        throw UserError(dir + ": cannot create a temporary folder beside it (" +
                        detail::fileProblem(errno) + ")");
    try {
        json m;
        m["format"] = kBundleFormatName;
        m["version"] = kBundleFormatVersion;
        m["created_by"] = b.created_by;
        m["preset"] = b.preset;
        m["data"] = b.data_source;
        m["images_seen"] = b.images_seen;
        m["patches_seen"] = b.patches_seen;
        m["inputs"] = inputs;
        m["units"] = b.settings.structure.units;
        m["seed"] = b.settings.structure.seed;
        m["theta"] = b.thresholds;
        m["settings"] = settingsToJson(b.settings);
        m["metrics"] = b.metrics ? metricsObject(*b.metrics, b.metrics->has_activity) : json();
        if (b.provenance)
            m["provenance"] = provenanceToJson(*b.provenance);
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
        syncFile(tmp);  // the files are synced as they are written

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
    } catch (const UserError& e) {
        fs::remove_all(tmp, ec);
        // The temporary folder is gone and was never the user's: name the bundle instead.
        std::string message = e.what();
        if (const auto at = message.find(tmp.string()); at != std::string::npos)
            message.replace(at, tmp.string().size(), target.string());
        throw UserError(message);
    } catch (const std::exception& e) {
        fs::remove_all(tmp, ec);
        throw UserError(dir + ": " + e.what());
    }
}

WeightMatrix readWeightsNpy(const std::string& path, std::size_t inputs, std::size_t units) {
    const NpyArray w = readNpy(path);
    if (w.shape.size() != 2 || w.shape[0] != inputs || w.shape[1] != units) {
        std::string shape;
        for (std::size_t d : w.shape)
            shape += (shape.empty() ? "" : ", ") + std::to_string(d);
        throw UserError(path + ": shape (" + shape +
                        ") does not match the settings "
                        "(expected (" +
                        std::to_string(inputs) + ", " + std::to_string(units) +
                        "): inputs D x units K)");
    }
    WeightMatrix weights(static_cast<Eigen::Index>(inputs), static_cast<Eigen::Index>(units));
    for (std::size_t k = 0; k < w.data.size(); ++k) {
        const double v = w.data[k];
        if (v < 0.0 || v > 1.0)
            throw UserError(path + ": weights must lie in [0, 1]");
        weights.data()[k] = static_cast<float>(v);
    }
    return weights;
}

ModelBundle loadBundle(const std::string& dir) {
    const fs::path root(dir);
    std::error_code ec;
    if (!fs::is_directory(root, ec))
        throw UserError(dir + ": no such model folder");
    const fs::path model_path = root / kModelFile;
    if (!fs::exists(fs::symlink_status(model_path, ec)))
        throw UserError(model_path.string() + ": missing (not a model bundle?)");
    const std::vector<std::uint8_t> text =
        detail::readFileBytes(model_path.string(), "a model.json file", kMaxModelJsonBytes);
    json m;
    try {
        m = json::parse(text.begin(), text.end());
    } catch (const json::exception& e) {
        throw UserError(model_path.string() + ": not valid JSON (" + std::string(e.what()) + ")");
    }
    const std::string where = model_path.string();
    try {
        if (!m.is_object() || !m.contains("format") || m["format"] != kBundleFormatName)
            throw UserError(where + ": not an STDP Studio bundle (format field)");
        const std::uint64_t version = unsignedAt(m, "version", where, kMaxVersionNumber);
        if (version < 1 || version > kBundleFormatVersion)
            throw UserError(where + ": unsupported format version " + std::to_string(version) +
                            " (this program reads 1.." + std::to_string(kBundleFormatVersion) +
                            ")");
        ModelBundle b;
        if (!m.contains("settings"))
            throw UserError(where + ": 'settings' is missing");
        b.settings = settingsFromJson(m["settings"], where);
        b.images_seen =
            unsignedAt(m, "images_seen", where, std::numeric_limits<std::uint64_t>::max());
        if (m.contains("patches_seen")) {
            b.patches_seen =
                unsignedAt(m, "patches_seen", where, std::numeric_limits<std::uint64_t>::max());
        } else {
            // Written when mu_decay counted images: the same schedule, counted in patches.
            const double per_image = legacyPatchesPerImage(b.settings.data);
            b.patches_seen = static_cast<std::uint64_t>(
                std::llround(std::min(static_cast<double>(b.images_seen) * per_image, 9.0e18)));
            b.settings.dynamics.mu_decay = std::min(
                muDecayFromImageUnits(b.settings.dynamics.mu_decay, b.settings.data), 1000.0);
        }
        b.data_source = stringAt(m, "data", where);
        b.preset = stringAt(m, "preset", where);
        b.created_by = m.contains("created_by") ? stringAt(m, "created_by", where) : "";
        if (m.contains("metrics") && !m["metrics"].is_null()) {
            if (!m["metrics"].is_object())
                badKey(where, "metrics", "an object or null", m["metrics"]);
            b.metrics = metricsFromJson(m["metrics"], where);
        }
        // Bundles written before provenance was recorded have none and load as before.
        if (m.contains("provenance"))
            b.provenance = provenanceFromJson(m["provenance"], where);
        for (const char* key : {"inputs", "units"}) {
            const std::uint64_t expected =
                key[0] == 'i' ? b.settings.structure.inputs() : b.settings.structure.units;
            if (m.contains(key) && unsignedAt(m, key, where, kMaxUnits) != expected)
                throw UserError(where + ": '" + key + "' (" + m[key].dump() +
                                ") does not match the settings (" + std::to_string(expected) + ")");
        }

        const std::size_t inputs = static_cast<std::size_t>(b.settings.structure.inputs());
        const std::size_t units = static_cast<std::size_t>(b.settings.structure.units);
        b.weights = readWeightsNpy((root / kWeightsFile).string(), inputs, units);
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
