#include "model/Experiment.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>

#include "foundation/FileBytes.h"
#include "foundation/RunRecord.h"
#include "foundation/SettingsJson.h"
#include "model/Presets.h"
#include "model/TrainingSession.h"

namespace stdp {

using nlohmann::json;

namespace {
constexpr std::uint64_t kMaxExperimentBytes = std::uint64_t{16} << 20;
constexpr std::uint64_t kMaxCount = std::numeric_limits<std::uint64_t>::max();
// Progress is reported after at most this many steps (a few milliseconds of training).
constexpr std::uint64_t kProgressSteps = 20000;
// The first experiment version whose mu_decay counts patches, and the setting's upper bound.
constexpr std::uint64_t kFirstPatchClockVersion = 2;
constexpr double kMaxMuDecay = 1000.0;
}  // namespace

std::string experimentToJson(const Experiment& e) {
    json j;
    j["format"] = kExperimentFormat;
    j["version"] = kExperimentVersion;
    j["preset"] = e.preset;
    j["settings"] = settingsToJson(e.settings);
    j["data"] = {{"spec", e.data_spec}, {"offset", e.offset}, {"images", e.images}};
    j["steps"] = e.steps;
    json changes = json::array();
    for (const LiveChange& c : e.changes)
        changes.push_back(
            {{"step", c.step}, {"images", c.images}, {"setting", c.setting}, {"value", c.value}});
    j["changes"] = changes;
    return j.dump(2) + "\n";
}

bool looksLikeExperiment(const std::string& text) {
    const json j = json::parse(text, nullptr, false);
    return j.is_object() && j.contains("format") && j["format"] == kExperimentFormat;
}

std::optional<double> applyChange(Settings& settings, const LiveChange& change) {
    if (change.setting == kThetaNow) {
        const std::optional<double> theta = parseRealNumber(change.value);
        if (!theta || !(*theta > 0.0 && *theta < 1.0))
            throw UserError("the threshold 'theta' must be a number in (0, 1) (got '" +
                            change.value + "')");
        return theta;
    }
    const SettingInfo* info = findSetting(change.setting);
    if (!info)
        throw UserError("unknown setting '" + change.setting + "'");
    if (!info->live)
        throw UserError("setting '" + change.setting +
                        "' cannot change while the network learns (it needs a reset)");
    applySetting(settings, change.setting, change.value);
    validate(settings);
    return std::nullopt;
}

void applyChange(TrainingSession& session, Settings& live, const LiveChange& change) {
    if (const std::optional<double> theta = applyChange(live, change)) {
        std::vector<float> t = session.layer().thresholds();
        std::fill(t.begin(), t.end(), static_cast<float>(*theta));
        session.layer().setThresholds(t);
    } else {
        session.setDynamics(live.dynamics);
    }
}

Experiment experimentFromJson(const std::string& text, const std::string& where) {
    const json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        throw UserError(where + ": not an experiment file (not a JSON object)");
    if (!looksLikeExperiment(text))
        throw UserError(where + ": not an experiment file ('format' is not '" +
                        std::string(kExperimentFormat) + "')");
    const std::uint64_t version = unsignedAt(j, "version", where, 1000000);
    if (version < kFirstPatchClockVersion - 1 ||
        version > static_cast<std::uint64_t>(kExperimentVersion))
        throw UserError(where + ": experiment version " + std::to_string(version) +
                        " is not supported (this program reads versions " +
                        std::to_string(kFirstPatchClockVersion - 1) + " to " +
                        std::to_string(kExperimentVersion) + ")");
    // Version 1 was written when mu_decay counted images: read with the value that means the
    // same in patches (foundation/Settings.h), in the settings and in every live change.
    const bool images_clock = version < kFirstPatchClockVersion;
    static const char* const kKeys[] = {"format", "version", "preset", "settings",
                                        "data",   "steps",   "changes"};
    for (const auto& [key, value] : j.items())
        if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys))
            throw UserError(where + ": unknown key '" + key + "'");
    Experiment e;
    e.preset = stringAt(j, "preset", where);
    if (!j.contains("settings"))
        throw UserError(where + ": 'settings' is missing");
    e.settings = settingsFromJson(j["settings"], where);
    if (images_clock)
        e.settings.dynamics.mu_decay = std::min(
            muDecayFromImageUnits(e.settings.dynamics.mu_decay, e.settings.data), kMaxMuDecay);
    if (!j.contains("data") || !j["data"].is_object())
        throw UserError(where + ": 'data' must be an object with spec, offset and images");
    const json& d = j["data"];
    e.data_spec = stringAt(d, "spec", where + ": data");
    if (e.data_spec.empty())
        throw UserError(where + ": data: 'spec' is empty");
    e.offset = unsignedAt(d, "offset", where + ": data", kMaxCount);
    e.images = unsignedAt(d, "images", where + ": data", kMaxCount);
    e.steps = unsignedAt(j, "steps", where, kMaxCount);
    if (!j.contains("changes") || !j["changes"].is_array())
        throw UserError(where + ": 'changes' must be an array");
    Settings live = e.settings;
    for (std::size_t n = 0; n < j["changes"].size(); ++n) {
        const json& c = j["changes"][n];
        const std::string at = where + ": change " + std::to_string(n + 1);
        if (!c.is_object())
            throw UserError(at + ": must be an object");
        LiveChange change;
        change.step = unsignedAt(c, "step", at, kMaxCount);
        change.images = unsignedAt(c, "images", at, kMaxCount);
        change.setting = stringAt(c, "setting", at);
        change.value = stringAt(c, "value", at);
        if (images_clock && change.setting == "mu_decay") {
            const std::optional<double> v = parseRealNumber(change.value);
            if (v)
                change.value = numberText(
                    "mu_decay", std::min(muDecayFromImageUnits(*v, e.settings.data), kMaxMuDecay));
        }
        if (!e.changes.empty() && change.step < e.changes.back().step)
            throw UserError(at + ": step " + std::to_string(change.step) +
                            " comes before the previous change's");
        if (e.steps > 0 && change.step > e.steps)
            throw UserError(at + ": step " + std::to_string(change.step) +
                            " is after the end of the run (" + std::to_string(e.steps) + " steps)");
        try {
            applyChange(live, change);
        } catch (const UserError& err) {
            throw UserError(at + ": " + err.what());
        }
        e.changes.push_back(std::move(change));
    }
    return e;
}

Experiment loadExperiment(const std::string& path) {
    const std::vector<std::uint8_t> bytes =
        detail::readFileBytes(path, "experiment file", kMaxExperimentBytes);
    return experimentFromJson(std::string(bytes.begin(), bytes.end()), path);
}

Experiment loadConfig(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const std::string file =
        fs::is_directory(path, ec) ? (fs::path(path) / "model.json").string() : path;
    const std::vector<std::uint8_t> bytes =
        detail::readFileBytes(file, "configuration", kMaxExperimentBytes);
    const std::string text(bytes.begin(), bytes.end());
    if (looksLikeExperiment(text))
        return experimentFromJson(text, file);
    const json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("settings"))
        throw UserError(file +
                        ": neither an experiment file nor a bundle's model.json (no "
                        "'format' of an experiment, no 'settings')");
    Experiment e;
    e.settings = settingsFromJson(j["settings"], file);
    if (j.contains("preset") && j["preset"].is_string())
        e.preset = j["preset"].get<std::string>();
    if (j.contains("data") && j["data"].is_string())
        e.data_spec = j["data"].get<std::string>();  // the SPEC it was trained on
    // A bundle that records which images it read reruns on the same ones.
    if (j.contains("provenance")) {
        const RunRecord p = provenanceFromJson(j["provenance"], file);
        e.data_spec = p.data.spec;
        e.offset = p.data.offset;
        e.images = p.data.images.value_or(0);
    }
    return e;
}

void saveExperiment(const std::string& path, const Experiment& e) {
    const std::string text = experimentToJson(e);
    detail::writeFileAtomic(path, text.data(), text.size());
}

std::uint64_t trainWithChanges(TrainingSession& session, std::uint64_t steps,
                               const std::vector<LiveChange>& changes,
                               const std::function<bool(std::uint64_t)>& progress) {
    const std::uint64_t first = session.counters().steps;
    const std::uint64_t end = steps > 0 ? first + steps : kMaxCount;
    std::size_t next = 0;
    Settings live = session.settings();
    bool more = true;
    while (more && session.counters().steps < end) {
        // Changes due now take effect before the next step, as a live change in the studio.
        while (next < changes.size() && changes[next].step <= session.counters().steps)
            applyChange(session, live, changes[next++]);
        std::uint64_t until = end;
        if (next < changes.size())
            until = std::min(until, changes[next].step);
        const std::uint64_t chunk =
            std::min<std::uint64_t>(until - session.counters().steps, kProgressSteps);
        const std::uint64_t before = session.counters().steps;
        more = session.advance(StepUnit::Step, chunk);
        if (!more && steps > 0 && session.counters().steps < end &&
            session.counters().steps > before) {
            // The recorded run went on past the data: the studio's Loop, one more pass.
            session.addEpoch();
            more = true;
        }
        if (progress && !progress(session.counters().images))
            break;
    }
    // Changes made after the last step (the run paused, then edited) are part of its state.
    while (next < changes.size() && changes[next].step <= session.counters().steps)
        applyChange(session, live, changes[next++]);
    return session.counters().steps - first;
}

std::string shellQuote(const std::string& s) {
    const bool plain = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) ||
               std::string_view("-_=.,:/+@%").find(c) != std::string_view::npos;
    });
    if (plain)
        return s;
    std::string q = "'";
    for (char c : s)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

std::string trainCommand(const Experiment& e, const std::string& out_dir, bool* changes_omitted) {
    const auto quote = shellQuote;
    std::string cmd = "stdp-cli train --preset " + quote(e.preset);
    Settings base;
    bool known_preset = true;
    try {
        base = presetSettings(e.preset);
    } catch (const UserError&) {
        known_preset = false;
    }
    for (const SettingInfo& info : settingInfos()) {
        const std::string v = settingValue(e.settings, info.name);
        if (!known_preset || settingValue(base, info.name) != v)
            cmd += " --set " + quote(info.name + "=" + v);
    }
    cmd += " --data " + quote(e.data_spec);
    if (e.offset > 0)
        cmd += " --offset " + std::to_string(e.offset);
    if (e.images > 0)
        cmd += " --images " + std::to_string(e.images);
    cmd += " --out " + quote(out_dir);
    if (changes_omitted)
        *changes_omitted = !e.changes.empty() || e.steps > 0;
    return cmd;
}

}  // namespace stdp
