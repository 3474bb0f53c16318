#pragma once
// A one-line progress bar on stderr, shown only when stderr is a terminal.

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace stdp::cli {

class ProgressBar {
  public:
    ProgressBar(std::string label, std::uint64_t total)
        : label_(std::move(label)),
          total_(total),
          enabled_(::isatty(STDERR_FILENO) == 1),
          start_(Clock::now()) {}
    ~ProgressBar() { finish(); }

    void update(std::uint64_t done) {
        if (!enabled_ || total_ == 0)
            return;
        const auto now = Clock::now();
        // Redrawing more than ~10 times a second only costs time.
        if (done < total_ && now - last_ < std::chrono::milliseconds(kRedrawMs))
            return;
        last_ = now;
        const double f = static_cast<double>(done) / static_cast<double>(total_);
        const int filled = static_cast<int>(f * kWidth);
        const double secs = std::chrono::duration<double>(now - start_).count();
        std::string bar(static_cast<std::size_t>(filled), '#');
        bar.resize(kWidth, '.');
        std::fprintf(stderr, "\r%s [%s] %llu/%llu  %.1f/s ", label_.c_str(), bar.c_str(),
                     static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_),
                     secs > 0 ? static_cast<double>(done) / secs : 0.0);
        drawn_ = true;
    }
    void finish() {
        if (drawn_)
            std::fputc('\n', stderr);
        drawn_ = false;
    }

  private:
    using Clock = std::chrono::steady_clock;
    static constexpr int kWidth = 30;
    static constexpr int kRedrawMs = 100;
    std::string label_;
    std::uint64_t total_;
    bool enabled_;
    bool drawn_ = false;
    Clock::time_point start_;
    Clock::time_point last_{};
};

}  // namespace stdp::cli
