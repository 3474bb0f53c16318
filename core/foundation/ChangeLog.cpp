#include "foundation/ChangeLog.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "foundation/Settings.h"

namespace stdp {

namespace {
std::string csvField(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

}  // namespace

std::string ChangeLog::valueText(const std::string& setting, double value) {
    if (findSetting(setting))
        return numberText(setting, value);
    // Not a setting (θ now, or a name from a newer file): the shortest text that reads back.
    char buf[32];
    for (int digits = 1; digits <= 17; ++digits) {
        std::snprintf(buf, sizeof buf, "%.*g", digits, value);
        if (std::strtod(buf, nullptr) == value)
            break;
    }
    return buf;
}

const char* changeOriginName(ChangeOrigin origin) {
    switch (origin) {
        case ChangeOrigin::User:
            return "user";
        case ChangeOrigin::Undo:
            return "undo";
        case ChangeOrigin::Redo:
            return "redo";
        case ChangeOrigin::Restore:
            return "restore";
    }
    return "?";
}

std::string ChangeLog::wallTimeText(std::int64_t wall_ms) {
    const std::time_t seconds = static_cast<std::time_t>(wall_ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(wall_ms % 1000));
    return buf;
}

std::int64_t ChangeLog::nowMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string ChangeLog::csv() const {
    std::string out = "wall_time_utc,images,steps,setting,old,new,origin\r\n";
    for (const ChangeLogEntry& e : entries_) {
        out += wallTimeText(e.wall_ms) + ',' + std::to_string(e.images) + ',' +
               std::to_string(e.steps) + ',' + csvField(e.setting) + ',' +
               csvField(valueText(e.setting, e.old_value)) + ',' +
               csvField(valueText(e.setting, e.new_value)) + ',' + changeOriginName(e.origin) +
               "\r\n";
    }
    return out;
}

bool ChangeLog::confirm(const std::string& setting, std::uint64_t images, std::uint64_t steps) {
    for (ChangeLogEntry& e : entries_) {
        if (e.confirmed || e.setting != setting)
            continue;
        e.images = images;
        e.steps = steps;
        e.confirmed = true;
        return true;
    }
    return false;
}

}  // namespace stdp
