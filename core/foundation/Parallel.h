#pragma once
// Splits independent work items (evaluation images, baseline patches) over the machine's cores.
// Items are handed out in contiguous chunks; callers reduce per-item results in item order, so
// results never depend on the number of threads.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace stdp {

inline int workerCount() {
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : static_cast<int>(n);
}

// Calls body(worker, begin, end) on [0, n) split into ranges; worker is in [0, workers).
inline void parallelFor(std::size_t n, int workers,
                        const std::function<void(int, std::size_t, std::size_t)>& body) {
    workers = std::max(1, std::min<int>(workers, static_cast<int>(std::max<std::size_t>(n, 1))));
    if (workers == 1) {
        body(0, 0, n);
        return;
    }
    // Small chunks balance uneven items; the atomic counter hands them out.
    const std::size_t chunk = std::max<std::size_t>(1, n / (static_cast<std::size_t>(workers) * 8));
    std::atomic<std::size_t> next{0};
    std::exception_ptr error;
    std::mutex error_mutex;
    auto run = [&](int w) {
        try {
            for (;;) {
                const std::size_t b = next.fetch_add(chunk);
                if (b >= n)
                    break;
                body(w, b, std::min(n, b + chunk));
            }
        } catch (...) {
            std::lock_guard lock(error_mutex);
            if (!error)
                error = std::current_exception();
            next.store(n);
        }
    };
    std::vector<std::thread> threads;
    for (int w = 1; w < workers; ++w)
        threads.emplace_back(run, w);
    run(0);
    for (auto& t : threads)
        t.join();
    if (error)
        std::rethrow_exception(error);
}

}  // namespace stdp
