#include "foundation/SettingsDetail.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

namespace stdp {

namespace detail {

std::string rangeText(const SettingInfo& i) {
    std::ostringstream os;
    switch (i.kind) {
        case SettingKind::Bool:
            return "true or false";
        case SettingKind::Seed:
            return "an integer in [0, 2^64)";
        case SettingKind::Choice: {
            for (std::size_t k = 0; k < i.choices.size(); ++k)
                os << (k ? ", " : "one of ") << i.choices[k];
            return os.str();
        }
        case SettingKind::Int:
            os << "an integer in [" << i.min << ", " << i.max << "]";
            return os.str();
        case SettingKind::Real:
            os << "a number in " << (i.min_open ? "(" : "[") << i.min << ", " << i.max
               << (i.max_open ? ")" : "]");
            return os.str();
    }
    return "";
}

bool isWholeNumber(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

[[noreturn]] void badValue(const SettingInfo& i, const std::string& value) {
    throw UserError("setting '" + i.name + "': invalid value '" + value +
                    "' (allowed: " + rangeText(i) + ")");
}

std::string formatReal(double v) {
    std::ostringstream os;
    os.precision(17);
    os << v;
    // Prefer the shortest text that reads back to the same double, written as a user writes it:
    // 40, not 4e+01 (the shortest by significant digits), while small numbers keep their
    // exponent (5e-05) and huge ones theirs.
    constexpr double kLargestWrittenOut = 1e16;
    for (int prec = 1; prec <= 17; ++prec) {
        std::ostringstream s;
        s.precision(prec);
        s << v;
        const std::string text = s.str();
        const auto e = text.find('e');
        const bool positive_exponent = e != std::string::npos && text[e + 1] == '+';
        if (positive_exponent && std::abs(v) < kLargestWrittenOut)
            continue;
        // std::stod would throw for a subnormal that reads back exactly.
        if (parseRealNumber(text) == v)
            return text;
    }
    return os.str();
}

}  // namespace detail

using detail::badValue;
using detail::Entry;
using detail::findEntry;
using detail::formatReal;
using detail::inRange;
using detail::isWholeNumber;

std::string settingValue(const Settings& s, const std::string& name) {
    const Entry* e = findEntry(name);
    if (!e)
        throw UserError("unknown setting '" + name + "'");
    switch (e->info.kind) {
        case SettingKind::Seed:
            return std::to_string(s.structure.seed);
        case SettingKind::Bool:
            return e->access.get(s) != 0.0 ? "true" : "false";
        case SettingKind::Int:
            return std::to_string(static_cast<long long>(e->access.get(s)));
        case SettingKind::Choice:
            return e->info.choices.at(static_cast<std::size_t>(e->access.get(s)));
        case SettingKind::Real:
            return formatReal(e->access.get(s));
    }
    return "";
}

void applySetting(Settings& s, const std::string& name, const std::string& value) {
    const Entry* e = findEntry(name);
    if (!e)
        throw UserError("unknown setting '" + name + "' (see `stdp-cli presets NAME`)");
    const SettingInfo& i = e->info;
    switch (i.kind) {
        case SettingKind::Seed: {
            if (!isWholeNumber(value))
                badValue(i, value);
            std::uint64_t v = 0;
            auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
            if (ec != std::errc() || p != value.data() + value.size())
                badValue(i, value);
            s.structure.seed = v;
            return;
        }
        case SettingKind::Bool: {
            if (value == "true" || value == "1" || value == "on" || value == "yes")
                e->access.set(s, 1.0);
            else if (value == "false" || value == "0" || value == "off" || value == "no")
                e->access.set(s, 0.0);
            else
                badValue(i, value);
            return;
        }
        case SettingKind::Choice: {
            for (std::size_t k = 0; k < i.choices.size(); ++k) {
                if (i.choices[k] == value) {
                    e->access.set(s, static_cast<double>(k));
                    return;
                }
            }
            badValue(i, value);
        }
        case SettingKind::Int: {
            long long v = 0;
            const char* begin = value.data();
            // A leading '-' is the only sign (the ranges of some settings could include it).
            const bool digits = isWholeNumber(value[0] == '-' ? value.substr(1) : value);
            auto [p, ec] = std::from_chars(begin, begin + value.size(), v);
            if (!digits || ec != std::errc() || p != begin + value.size() ||
                !inRange(i, static_cast<double>(v)))
                badValue(i, value);
            e->access.set(s, static_cast<double>(v));
            return;
        }
        case SettingKind::Real: {
            const std::optional<double> v = parseRealNumber(value);
            if (!v || !inRange(i, *v))
                badValue(i, value);
            e->access.set(s, *v);
            return;
        }
    }
}

std::uint64_t parseWholeNumber(const std::string& what, const std::string& text, std::uint64_t min,
                               std::uint64_t max) {
    std::uint64_t v = 0;
    const char* end = text.data() + text.size();
    const auto [p, ec] = isWholeNumber(text)
                             ? std::from_chars(text.data(), end, v)
                             : std::from_chars_result{text.data(), std::errc::invalid_argument};
    if (ec != std::errc() || p != end || v < min || v > max)
        throw UserError(what + ": expected a whole number from " + std::to_string(min) + " to " +
                        std::to_string(max) + ", got '" + text + "'");
    return v;
}

std::optional<double> parseRealNumber(const std::string& text) {
    // from_chars takes no leading spaces, '+' or hex in the general format; inf and nan it does
    // take, so only finite results count.
    double v = 0.0;
    const char* end = text.data() + text.size();
    const auto [p, ec] = std::from_chars(text.data(), end, v, std::chars_format::general);
    if (text.empty() || ec != std::errc() || p != end || !std::isfinite(v))
        return std::nullopt;
    return v;
}

void applyAssignment(Settings& s, const std::string& assignment) {
    const auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0)
        throw UserError("--set expects KEY=VALUE, got '" + assignment + "'");
    applySetting(s, assignment.substr(0, eq), assignment.substr(eq + 1));
}

double numericValue(const Settings& s, const std::string& name) {
    const Entry* e = findEntry(name);
    if (!e || !e->access.get)
        throw UserError("setting '" + name + "' has no numeric value");
    return e->access.get(s);
}

std::string numberText(const std::string& name, double value) {
    const Entry* e = findEntry(name);
    if (!e)
        throw UserError("unknown setting '" + name + "'");
    switch (e->info.kind) {
        case SettingKind::Bool:
            return value != 0.0 ? "true" : "false";
        case SettingKind::Int:
        case SettingKind::Seed:
            return std::to_string(static_cast<long long>(value));
        case SettingKind::Choice: {
            const auto k = static_cast<std::size_t>(value);
            return k < e->info.choices.size() ? e->info.choices[k] : formatReal(value);
        }
        case SettingKind::Real:
            return formatReal(value);
    }
    return formatReal(value);
}

}  // namespace stdp
