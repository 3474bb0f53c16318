#pragma once
// A trained model as a folder ("bundle"): model.json (settings, seed, theta, images seen, format
// version, last metrics), weights.npy (D x K), thresholds.npy, filters.png. Saved atomically:
// readers see the old bundle or the new one, never a mix.

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "Metrics.h"
#include "RepresentationLayer.h"
#include "Settings.h"

namespace stdp {

inline constexpr int kBundleFormatVersion = 1;
inline constexpr const char* kBundleFormatName = "stdp-studio-bundle";

// Which images a run read: the SPEC, the images skipped first, the limit asked for (none: all)
// and how many there were.
struct DataRecord {
    std::string spec;
    std::uint64_t offset = 0;
    std::optional<std::uint64_t> images;
    std::uint64_t count = 0;
};

// Where a bundle came from, enough to find and rerun it later. Bundles written before it was
// recorded have none; a bundle with it is read as strictly as the rest of model.json.
struct RunRecord {
    DataRecord data;
    std::optional<DataRecord> eval;
    int epochs = 1;
    std::string program;     // "stdp-cli"
    std::string version;     // of the program
    std::string git_commit;  // of its source; "-dirty" when it had uncommitted changes
    std::string build_type;  // Release, Debug...
    std::string created;     // UTC, ISO 8601
    std::vector<std::string> command_line;
    std::string working_directory;  // the command line's relative paths start here
    double train_seconds = 0;
    double eval_seconds = 0;
};

struct ModelBundle {
    Settings settings;
    WeightMatrix weights;           // D x K
    std::vector<float> thresholds;  // 1 (global) or K values
    std::uint64_t images_seen = 0;
    std::string data_source;  // SPEC trained on
    std::string preset;       // preset the settings started from
    std::optional<ReconstructionMetrics> metrics;
    std::string created_by;  // program and version
    std::optional<RunRecord> provenance;
};

ModelBundle bundleFromLayer(const RepresentationLayer& layer, const Settings& settings);
// Builds a layer with the bundle's settings, weights and thresholds.
RepresentationLayer layerFromBundle(const ModelBundle& bundle);

// Throws UserError naming the folder or file and the problem; on error nothing is changed.
void saveBundle(const std::string& dir, const ModelBundle& bundle);
// The checks saveBundle makes before writing (a usable name, an existing writable parent, not
// overwriting anything but a bundle), for callers that want to fail before long work. Returns
// the absolute folder path; throws UserError.
std::string checkBundleDestination(const std::string& dir);
ModelBundle loadBundle(const std::string& dir);
// A D x K weight array (.npy) as bundles and `stdp-cli export` write it, checked against the
// shape the settings give and the range [0, 1]. Throws UserError naming the file.
WeightMatrix readWeightsNpy(const std::string& path, std::size_t inputs, std::size_t units);

// model.json's "provenance" object.
nlohmann::json provenanceToJson(const RunRecord& p);
// Throws UserError naming `where` and the key when a field is missing or of the wrong type.
RunRecord provenanceFromJson(const nlohmann::json& j, const std::string& where);

// The JSON object of `eval --json`: rmse, nmse, activity, treves_rolls, active_per_patch,
// dead_fraction, silent_fraction, patches, units (+ theta when given).
std::string metricsToJson(const ReconstructionMetrics& m, std::optional<double> theta,
                          bool include_activity = true);

}  // namespace stdp
