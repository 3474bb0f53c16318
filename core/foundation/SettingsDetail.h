// The setting table's internals, shared by the files that read it (table, text, validation,
// live changes); not part of the public API (Settings.h is).
#pragma once

#include "foundation/Settings.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace stdp::detail {

// Accessors into Settings for one entry of the table, value carried as double (or choice index).
struct Accessor {
    std::function<double(const Settings&)> get;
    std::function<void(Settings&, double)> set;
};

struct Entry {
    SettingInfo info;
    Accessor access;
};

// Every setting, in the order `presets` prints them and the panel's defaults follow.
const std::vector<Entry>& table();
const Entry* findEntry(const std::string& name);

// The allowed values of a setting as a sentence ("a number in (0, 1]").
std::string rangeText(const SettingInfo& i);
bool isWholeNumber(std::string_view text);
[[noreturn]] void badValue(const SettingInfo& i, const std::string& value);
bool inRange(const SettingInfo& i, double v);
// The shortest text that reads back to the same double.
std::string formatReal(double v);
// The rules that relate several settings (each setting's own range is checked apart).
void validateRelations(const Settings& s);

}  // namespace stdp::detail
