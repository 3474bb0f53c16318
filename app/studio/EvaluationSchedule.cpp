#include "EvaluationSchedule.h"

namespace stdp::studio {

void EvaluationSchedule::setOtherLoad(double cores) {
    others_ = cores;
}

bool EvaluationSchedule::busy() const {
    return others_ >= 0.0 && static_cast<double>(cores_) - 1.0 - others_ < kSpareCores;
}

bool EvaluationSchedule::due(std::int64_t now_ms) const {
    return now_ms - last_ms_ >= (busy() ? busy_interval_ms_ : interval_ms_);
}

bool EvaluationSchedule::deferred(std::int64_t now_ms) const {
    return busy() && now_ms - last_ms_ >= interval_ms_ && !due(now_ms);
}

}  // namespace stdp::studio
