#include "foundation/SettingsJson.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string_view>

namespace stdp {

using nlohmann::json;

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
                out[info.name] = numericValue(s, info.name);
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

[[noreturn]] void badKey(const std::string& where, const std::string& key, const std::string& need,
                         const json& got) {
    std::string text = got.dump();
    constexpr std::size_t kMaxShown = 40;
    if (text.size() > kMaxShown)
        text = text.substr(0, kMaxShown) + "...";
    throw UserError(where + ": '" + key + "' must be " + need + " (got " + text + ")");
}

std::uint64_t unsignedAt(const json& o, const std::string& key, const std::string& where,
                         std::uint64_t max) {
    if (!o.contains(key))
        throw UserError(where + ": '" + key + "' is missing");
    const json& v = o[key];
    const std::string need = "an integer in [0, " + std::to_string(max) + "]";
    if (!v.is_number_integer())
        badKey(where, key, need, v);
    if (v.is_number_unsigned()) {
        if (v.get<std::uint64_t>() > max)
            badKey(where, key, need, v);
        return v.get<std::uint64_t>();
    }
    const auto i = v.get<std::int64_t>();
    if (i < 0 || static_cast<std::uint64_t>(i) > max)
        badKey(where, key, need, v);
    return static_cast<std::uint64_t>(i);
}

double finiteAt(const json& o, const std::string& key, const std::string& where) {
    if (!o.contains(key))
        throw UserError(where + ": '" + key + "' is missing");
    const json& v = o[key];
    if (!v.is_number() || !std::isfinite(v.get<double>()))
        badKey(where, key, "a finite number", v);
    return v.get<double>();
}

std::string stringAt(const json& o, const std::string& key, const std::string& where) {
    if (!o.contains(key))
        throw UserError(where + ": '" + key + "' is missing");
    if (!o[key].is_string())
        badKey(where, key, "a string", o[key]);
    return o[key].get<std::string>();
}

namespace {

// Settings of mechanisms added after bundles and experiment files were first written. A file
// without one was written by a program that did not have the mechanism, so it trained with it
// off: the default, which turns it off (spike_quantum 0 = no amplitude coding, under which the
// next five do nothing; the STDP rule; no ON/OFF opponency; no recruitment hurdle; a read-out
// that adds no hurdle back; inhibition by the quantum alone). test_bundle
// loads a bundle written before them and checks that it evaluates as its program did.
constexpr std::string_view kAddedLater[] = {
    "spike_quantum",  "overlap_inhibition", "hurdle",
    "target_rate",    "decoder_gain",       "learning_rule",
    "residual_decay", "onoff_opponency",    "recruit_hurdle",
    "decoder_hurdle", "hurdle_inhibition",
};

bool addedLater(const std::string& name) {
    return std::ranges::find(kAddedLater, name) != std::end(kAddedLater);
}

}  // namespace

// Every setting must be present, with the JSON type of its kind: a bundle that lacks one would
// otherwise load silently with this program's default, which may not be what was trained. The
// exceptions are the mechanisms added later, whose default is what an older file trained with.
Settings settingsFromJson(const json& j, const std::string& where) {
    if (!j.is_object())
        throw UserError(where + ": 'settings' must be an object");
    Settings s;
    for (const SettingInfo& info : settingInfos()) {
        const std::string key = "settings." + info.name;
        if (!j.contains(info.name)) {
            if (addedLater(info.name))
                continue;
            throw UserError(where + ": setting '" + info.name + "' is missing");
        }
        const json& value = j[info.name];
        std::string text;
        switch (info.kind) {
            case SettingKind::Bool:
                if (!value.is_boolean())
                    badKey(where, key, "true or false", value);
                text = value.get<bool>() ? "true" : "false";
                break;
            case SettingKind::Seed:
                text = std::to_string(
                    unsignedAt(j, info.name, where, std::numeric_limits<std::uint64_t>::max()));
                break;
            case SettingKind::Int:
                if (!value.is_number_integer())
                    badKey(where, key, "an integer", value);
                text = value.is_number_unsigned() ? std::to_string(value.get<std::uint64_t>())
                                                  : std::to_string(value.get<std::int64_t>());
                break;
            case SettingKind::Real: {
                if (!value.is_number())
                    badKey(where, key, "a number", value);
                std::ostringstream os;
                os.precision(17);
                os << value.get<double>();
                text = os.str();
                break;
            }
            case SettingKind::Choice:
                if (!value.is_string())
                    badKey(where, key, "a string", value);
                text = value.get<std::string>();
                break;
        }
        try {
            applySetting(s, info.name, text);
        } catch (const UserError& e) {
            throw UserError(where + ": " + e.what());
        }
    }
    for (const auto& [key, value] : j.items())
        if (!findSetting(key))
            throw UserError(where + ": unknown setting '" + key + "'");
    try {
        validate(s);
    } catch (const UserError& e) {
        throw UserError(where + ": " + e.what());
    }
    return s;
}

}  // namespace stdp
