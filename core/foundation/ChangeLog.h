#pragma once
// The live setting changes of a session, in order: when (wall clock and the network's own clock),
// which setting, the exact values before and after, and what caused it. Precise enough to replay
// the changes on a later run (same images seen, same doubles); written as CSV (RFC 4180).

#include <cstdint>
#include <string>
#include <vector>

#include "foundation/Settings.h"

namespace stdp {

enum class ChangeOrigin { User, Undo, Redo, Restore };
const char* changeOriginName(ChangeOrigin origin);

// One edit of the live settings as it travels from a control to the layer: the settings it
// produces (checked with checkValue, or a state that was valid before: undo, a preset) and what
// it changes, exactly. One edit is one undo step; each change in it is one log entry.
struct LiveEdit {
    DynamicsSettings dynamics;
    std::vector<SettingChange> changes;
    ChangeOrigin origin = ChangeOrigin::User;
};

struct ChangeLogEntry {
    std::int64_t wall_ms = 0;  // milliseconds since 1970-01-01 UTC
    std::uint64_t images = 0;  // whole images seen when the change took effect (offset included)
    std::uint64_t steps = 0;   // time steps of the session when the change took effect
    std::string setting;
    double old_value = 0.0;
    double new_value = 0.0;
    ChangeOrigin origin = ChangeOrigin::User;
    bool confirmed = false;  // images and steps are those the worker reported
};

class ChangeLog {
  public:
    void append(ChangeLogEntry entry) { entries_.push_back(std::move(entry)); }
    // The simulation reports when a change actually took effect (the worker applies it between
    // two runs of steps): the oldest entry of `setting` not yet confirmed gets that moment.
    // False if there is none.
    bool confirm(const std::string& setting, std::uint64_t images, std::uint64_t steps);
    void clear() { entries_.clear(); }
    const std::vector<ChangeLogEntry>& entries() const { return entries_; }
    std::size_t size() const { return entries_.size(); }

    // One header line, then one record per entry; CRLF line ends, fields quoted when they hold a
    // comma, a quote or a line break. Values as `--set` reads them, reals in the shortest text
    // that reads back to the same double.
    std::string csv() const;

    // A value as the CSV writes it (true/false, whole numbers, shortest exact reals).
    static std::string valueText(const std::string& setting, double value);
    static std::string wallTimeText(std::int64_t wall_ms);  // 2026-12-01T15:04:05.123Z
    static std::int64_t nowMs();

  private:
    std::vector<ChangeLogEntry> entries_;
};

}  // namespace stdp
