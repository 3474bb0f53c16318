#pragma once
// A trained model as a folder ("bundle"): model.json (settings, seed, theta, images and patches
// seen, format version, last metrics), weights.npy (D x K), thresholds.npy, filters.png. Saved
// atomically: readers see the old bundle or the new one, never a mix.

#include <optional>
#include <string>
#include <vector>

#include "analysis/Metrics.h"
#include "foundation/RunRecord.h"
#include "foundation/Settings.h"
#include "model/RepresentationLayer.h"

namespace stdp {

inline constexpr int kBundleFormatVersion = 1;
inline constexpr const char* kBundleFormatName = "stdp-studio-bundle";

struct ModelBundle {
    Settings settings;
    WeightMatrix weights;           // D x K
    std::vector<float> thresholds;  // 1 (global) or K values
    std::uint64_t images_seen = 0;
    // Patches presented in training: the clock of the learning-rate schedule (mu_decay).
    std::uint64_t patches_seen = 0;
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

// The JSON object of `eval --json`: rmse, nmse, activity, treves_rolls, active_per_patch,
// dead_fraction, silent_fraction, patches, units (+ theta when given).
std::string metricsToJson(const ReconstructionMetrics& m, std::optional<double> theta,
                          bool include_activity = true);

}  // namespace stdp
