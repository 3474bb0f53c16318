#pragma once
// The simulation thread's hand-off of its newest snapshot to the GUI thread: a one-snapshot slot
// guarded by a std::mutex, and a no-argument signal that says "come and take it".
//
// Why not the snapshot as a queued signal's argument: Qt then allocates the event and copies the
// shared_ptr on the simulation thread (QMetaType::create) and the GUI thread reads it, ordered only
// by Qt's futex-based QMutex, which ThreadSanitizer cannot see (Qt is not built with it). The
// busy-machine test reported that hand-off in every TSan run, and no suppression could name it
// without hiding every shared_ptr copy. A std::mutex is seen: the snapshot now crosses threads
// under a lock TSan checks, and the signal carries nothing.
//
// A "latest" slot, not a queue: a newer snapshot replaces one the GUI has not taken yet. A
// snapshot is a whole state, so a GUI that falls behind (a busy machine, a slow redraw) skips only
// frames it could not have shown in time, and at most one snapshot waits however slow it is. The
// few parts that are increments (theta samples, traced steps) are not lost: the worker takes back
// an untaken snapshot (reclaim) and carries them into the next one.

#include <mutex>
#include <utility>

#include "Snapshot.h"

namespace stdp::studio {

class SnapshotMailbox {
  public:
    // Simulation thread: the snapshot the GUI has not taken yet (null if it has), removed from
    // the slot so that its increments can go into the next one.
    SnapshotPtr reclaim() {
        std::lock_guard lock(mutex_);
        return std::exchange(snapshot_, nullptr);
    }
    // Simulation thread: stores the snapshot and, unless a notice is still on its way (the GUI
    // then takes this newer snapshot with it), calls `notify` (emits the queued signal). Under
    // the lock: Qt allocates the notice's event here and the GUI thread frees it after the slot,
    // which takes this lock; posting it before the unlock orders that free after the allocation
    // in a way TSan sees (Qt's own queue mutex it does not).
    template <typename Notify>
    void put(SnapshotPtr snapshot, Notify&& notify) {
        std::lock_guard lock(mutex_);
        snapshot_ = std::move(snapshot);
        if (!std::exchange(notice_pending_, true))
            notify();
    }
    // GUI thread, on the notice: the newest snapshot (null if the worker took it back for the
    // next one, whose own notice follows).
    SnapshotPtr take() {
        std::lock_guard lock(mutex_);
        notice_pending_ = false;
        return std::exchange(snapshot_, nullptr);
    }

  private:
    std::mutex mutex_;
    SnapshotPtr snapshot_;
    bool notice_pending_ = false;
};

}  // namespace stdp::studio
