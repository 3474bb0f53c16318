#pragma once
// An experiment anyone can rerun: the settings it started from (complete, and the preset they came
// from), the data and which of its images, and the live changes made while it learned, each with
// the time step at which it took effect. `stdp-cli train --config FILE` and the studio replay it
// to the same bits; the file is small JSON meant to be mailed, diffed and kept with a paper.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "foundation/Settings.h"

namespace stdp {

class TrainingSession;

// A live change may also set the threshold itself (every θ_j to one value), as the studio's
// "θ now" control does: not a setting (θ adapts), so it has this reserved name.
constexpr const char* kThetaNow = "theta";

// One live change: `setting` took `value` (as --set reads it) before step `step` of the session
// (steps counted from the session's start, 0-based), when `images` images had been completed.
struct LiveChange {
    std::uint64_t step = 0;
    std::uint64_t images = 0;
    std::string setting;
    std::string value;
};

struct Experiment {
    std::string preset;  // provenance: `settings` are complete and win over the preset's values
    Settings settings;   // at the start
    std::string data_spec;
    std::uint64_t offset = 0;  // images skipped at the start of the data
    std::uint64_t images = 0;  // images used (after offset); 0 = all
    // How long it learned, in time steps (exact: the studio stops between two steps, anywhere in
    // an image); 0 = every image of every epoch.
    std::uint64_t steps = 0;
    std::vector<LiveChange> changes;  // in order of step
};

constexpr const char* kExperimentFormat = "stdp-studio-experiment";
// Version 2: mu_decay counts patches (version 1 files are read with the equivalent value).
constexpr int kExperimentVersion = 2;

std::string experimentToJson(const Experiment& e);
// Refuses anything but a complete, valid experiment: every setting present and typed, changes in
// order, only live settings changed live, each change valid where it applies. `where` names the
// file.
Experiment experimentFromJson(const std::string& text, const std::string& where);
// True if `text` is JSON whose "format" is an experiment's (else it may be a bundle's model.json).
bool looksLikeExperiment(const std::string& text);
Experiment loadExperiment(const std::string& path);
void saveExperiment(const std::string& path, const Experiment& e);  // atomic

// A run's starting point from a file: an experiment file, a bundle's model.json or a bundle
// folder (its settings, preset and data; no live changes). Errors name the path.
Experiment loadConfig(const std::string& path);

// Applies one change to `settings` (range and cross-setting rules checked); throws UserError.
// A kThetaNow change leaves the settings alone and returns its value, checked to be in (0, 1).
std::optional<double> applyChange(Settings& settings, const LiveChange& change);
// Applies it to a running session: the dynamics, or every threshold.
void applyChange(TrainingSession& session, Settings& live, const LiveChange& change);

// Trains `session` for `steps` time steps (0: until the data are exhausted), applying each change
// when the session's step count reaches its step, as the studio did. A run longer than the data
// goes on with another pass, as the studio's Loop does (TrainingSession::addEpoch).
// `progress(images_done)` is called now and then and may return false to stop. Returns the steps
// made.
std::uint64_t trainWithChanges(TrainingSession& session, std::uint64_t steps,
                               const std::vector<LiveChange>& changes,
                               const std::function<bool(std::uint64_t)>& progress = {});

// `s` as one word for a POSIX shell: unchanged when plain, else in single quotes.
std::string shellQuote(const std::string& s);

// The `stdp-cli train` command that starts the same run: preset, every setting that differs from
// it, data, images. Live changes cannot be said in a command line: `changes_omitted` tells.
std::string trainCommand(const Experiment& e, const std::string& out_dir, bool* changes_omitted);

}  // namespace stdp
