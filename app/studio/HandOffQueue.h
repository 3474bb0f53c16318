#pragma once
// Values on their way from one thread to another, every one of them and in order: a FIFO
// guarded by a std::mutex, and a no-argument notice that says "come and take them". Workers
// hand their results to the GUI thread this way, and the GUI hands its commands to the
// simulation worker.
//
// Why not as a queued call's arguments or captures: the same reason as SnapshotMailbox's. Qt
// copies them on the sending thread and the receiving thread reads them, ordered only by Qt's
// futex-based QMutex, which ThreadSanitizer cannot see; a std::mutex it sees.
//
// A queue, not SnapshotMailbox's "latest" slot, for values that are increments or commands, not
// whole states: each one must arrive (the owner says why for its own).
//
// Notices are coalesced: none is posted while one is still on its way, and the receiver takes
// everything waiting when it comes. A value therefore arrives no later than it would as its own
// queued call, in order with the values of its queue, and at most one notice waits.

#include <mutex>
#include <utility>
#include <vector>

namespace stdp::studio {

template <typename T>
class HandOffQueue {
  public:
    // Sending thread: appends `result` and, unless a notice is still on its way (the receiver
    // then takes this value with it), calls `notify` (posts the notice). Under the lock, as
    // SnapshotMailbox::put: Qt allocates the notice's event here and the receiving thread frees
    // it after its slot, which takes this lock, so TSan sees the free ordered after the
    // allocation. So `notify` must only post: a slot connected directly would take under this lock.
    template <typename Notify>
    void push(T result, Notify&& notify) {
        std::lock_guard lock(mutex_);
        results_.push_back(std::move(result));
        if (!std::exchange(notice_pending_, true))
            notify();
    }
    // Receiving thread, on the notice: every value waiting, oldest first (empty when an earlier
    // call took them).
    std::vector<T> takeAll() {
        std::lock_guard lock(mutex_);
        notice_pending_ = false;
        return std::exchange(results_, {});
    }

  private:
    std::mutex mutex_;
    std::vector<T> results_;
    bool notice_pending_ = false;
};

}  // namespace stdp::studio
