#pragma once
// A worker thread's results on their way to the GUI thread, every one of them and in order: a
// FIFO guarded by a std::mutex, and a no-argument notice that says "come and take them".
//
// Why not the results as a queued signal's arguments: the same reason as SnapshotMailbox's. Qt
// copies the arguments on the worker thread and the GUI thread reads them, ordered only by Qt's
// futex-based QMutex, which ThreadSanitizer cannot see; a std::mutex it sees.
//
// A queue, not SnapshotMailbox's "latest" slot, for results that are increments, not whole
// states: each one must arrive (the owner says why for its own results).
//
// Notices are coalesced: none is posted while one is still on its way, and the GUI takes
// everything waiting when it comes. A result therefore reaches the GUI no later than it would as
// its own queued signal, in order with the results of its queue, and at most one notice waits.

#include <mutex>
#include <utility>
#include <vector>

namespace stdp::studio {

template <typename T>
class ResultQueue {
  public:
    // Worker thread: appends `result` and, unless a notice is still on its way (the GUI then
    // takes this result with it), calls `notify` (emits the queued signal). Under the lock, as
    // SnapshotMailbox::put: Qt allocates the notice's event here and the GUI thread frees it
    // after its slot, which takes this lock, so TSan sees the free ordered after the allocation.
    // So `notify` must only post: a slot connected directly would take under this lock.
    template <typename Notify>
    void push(T result, Notify&& notify) {
        std::lock_guard lock(mutex_);
        results_.push_back(std::move(result));
        if (!std::exchange(notice_pending_, true))
            notify();
    }
    // GUI thread, on the notice: every result waiting, oldest first (empty when an earlier call
    // took them).
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
