#pragma once
// When the validation evaluation of a learning network runs. The simulation has the first claim
// on a core: with a core to spare beside it the curves are evaluated every kIntervalMs; when
// other programs keep the rest of the machine busy (a compile, a second run) the evaluation
// would take the simulation's core, so it is deferred to every kBusyIntervalMs, and says so.
// A deferred evaluation then runs at the simulation's own priority (insistent()): on a busy
// machine a background thread gets next to nothing (a nice-19 thread beside a few compilers
// waited minutes for a second of work), and the curves would stay empty for whole runs. So at
// most one evaluation per busy interval takes a share of the simulation's time, and every
// evaluation that is due is delivered.
// A plain value: times in milliseconds and the machine's load come from the caller.

#include <cstdint>

namespace stdp::studio {

class EvaluationSchedule {
  public:
    static constexpr std::int64_t kIntervalMs = 3000;
    static constexpr std::int64_t kBusyIntervalMs = 30000;
    // Cores left over, beside the simulation's one, below which the machine counts as busy.
    static constexpr double kSpareCores = 0.5;

    // Other periodic work off the simulation's core (the Gabor census) keeps its own intervals.
    explicit EvaluationSchedule(int cores, std::int64_t interval_ms = kIntervalMs,
                                std::int64_t busy_interval_ms = kBusyIntervalMs)
        : cores_(cores),
          interval_ms_(interval_ms),
          busy_interval_ms_(busy_interval_ms),
          last_ms_(-busy_interval_ms) {}

    // Cores other programs kept busy lately (negative: not known, treated as quiet).
    void setOtherLoad(double cores);
    double otherLoad() const { return others_; }
    // A learning network: is an evaluation due now? started() says one was sent.
    bool due(std::int64_t now_ms) const;
    void started(std::int64_t now_ms) { last_ms_ = now_ms; }
    // An evaluation a quiet machine would have run by now waits for the busy interval.
    bool deferred(std::int64_t now_ms) const;
    bool busy() const;
    // The evaluation due now must not wait for a spare core: the machine is busy, or not
    // measured yet (the first evaluation of a network comes before the first reading).
    bool insistent() const { return busy() || others_ < 0.0; }

  private:
    int cores_;
    std::int64_t interval_ms_;
    std::int64_t busy_interval_ms_;
    double others_ = -1.0;
    std::int64_t last_ms_;
};

}  // namespace stdp::studio
