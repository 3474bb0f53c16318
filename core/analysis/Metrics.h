#pragma once
// Protocol A of docs/model.md §4: reconstruction and sparseness metrics, shared by the spiking
// model and the baselines so that every number is computed the same way.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace stdp {

struct ReconstructionMetrics {
    double rmse = 0.0;              // mean over patches of sqrt(mean_i (x_i - xhat_i)^2)
    double nmse = 0.0;              // sum |x - xhat|^2 / sum |x|^2
    double activity = 0.0;          // spikes per neuron per step (spiking model only)
    double treves_rolls = 0.0;      // (mean_j c_j)^2 / mean_j c_j^2 over patches that fired
    double active_per_patch = 0.0;  // distinct active units per patch
    double dead_fraction = 0.0;     // units never active on the evaluation set
    double silent_fraction = 0.0;   // patches where no unit was active
    std::size_t patches = 0;
    int units = 0;
    bool has_activity = false;  // activity is meaningful (spiking model)
    std::string decoder;        // the spiking model's read-out (decoderName); empty: baselines
};

// Accumulates per-patch results. Usable from one thread; merge() partial accumulators in a fixed
// order to get results that do not depend on the number of threads.
class ReconstructionAccumulator {
  public:
    explicit ReconstructionAccumulator(int units = 0) : unit_active_(units, 0) {}

    // x: the patch in pixel space, xhat its reconstruction, dim values each.
    // codes: per-unit activity (spike counts, or |coefficients| for baselines), `units` values.
    void add(const float* x, const float* xhat, int dim, const float* codes, int units);
    void addSpikes(std::uint64_t spikes, std::uint64_t neuron_steps);
    void merge(const ReconstructionAccumulator& other);
    ReconstructionMetrics result() const;

  private:
    double sum_rmse_ = 0.0;
    double sum_err2_ = 0.0;
    double sum_x2_ = 0.0;
    double sum_tr_ = 0.0;
    std::size_t fired_patches_ = 0;
    double sum_active_ = 0.0;
    std::size_t patches_ = 0;
    std::uint64_t spikes_ = 0;
    std::uint64_t neuron_steps_ = 0;
    std::vector<std::uint8_t> unit_active_;
};

}  // namespace stdp
