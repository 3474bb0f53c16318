#pragma once
// Settings and typed values in JSON (model.json, experiment files): every setting with the JSON
// type of its kind, and reads that refuse a value of the wrong type or range with a message
// naming its key before any conversion (a double of 1e300 does not fit an int).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "foundation/Settings.h"

namespace stdp {

nlohmann::json settingsToJson(const Settings& s);
// Every setting must be present (but those of mechanisms added later, which an older file trained
// without: their default is off), with the JSON type of its kind; unknown keys are refused; the
// result is validated. `where` names the file in messages.
Settings settingsFromJson(const nlohmann::json& j, const std::string& where);

[[noreturn]] void badKey(const std::string& where, const std::string& key, const std::string& need,
                         const nlohmann::json& got);
std::uint64_t unsignedAt(const nlohmann::json& o, const std::string& key, const std::string& where,
                         std::uint64_t max);
double finiteAt(const nlohmann::json& o, const std::string& key, const std::string& where);
std::string stringAt(const nlohmann::json& o, const std::string& key, const std::string& where);

}  // namespace stdp
