#pragma once
// The step of amplitude coding (spike_quantum > 0, docs/cooperative.md) made event-driven. The
// specification's rules (ModelSpecification.h) recompute every field's input, its norm |w_j|^2
// and every overlap <w_j, w_k> at each step and spike: O(D K) per step. Here the input sums only
// the inputs that carry a spike (or a trace), and the norms and overlaps are read from the Gram
// matrix G = W^T W, which changes only when a winner's field learns (one row and column,
// O(D K) per learning spike); a silent step costs O(K). Every sum is taken in the
// specification's order with its float expressions, so the winners, potentials, weights and
// thresholds are the specification's bits.

#include <cstdint>
#include <span>
#include <vector>

#include "model/ModelSpecification.h"

namespace stdp::model {

class CooperativeStep {
  public:
    // Sizes the buffers for a layer of D inputs and K neurons; the step allocates nothing.
    CooperativeStep(int inputs, int units);

    // The weights changed outside this step (set, reset, learned by another step): G is
    // recomputed, O(D K^2), before the next step.
    void invalidate() { gram_valid_ = false; }

    // The specification's decide(): trace, membrane, firing by the largest excess over q G_jj.
    std::size_t decide(LayerState& s, const RuleConstants& c, std::span<const std::int32_t> spikes,
                       int step, std::span<std::int32_t> winners);
    // The specification's conclude(): inhibition U_j -= q overlap G_jk (and the residual's
    // feedback), STDP or the residual rule of each winner and its row and column of G,
    // threshold.
    void conclude(LayerState& s, const RuleConstants& c, std::span<const std::int32_t> winners,
                  int step);

    // G_jk as the step holds it (for tests).
    float gram(int j, int k) const { return gram_[static_cast<std::size_t>(j) * units_ + k]; }

  private:
    void integrate(LayerState& s, const RuleConstants& c, std::span<const std::int32_t> spikes);
    // The residual rule's r += y, on the inputs with y != 0.
    void accumulate(LayerState& s, const RuleConstants& c, std::span<const std::int32_t> spikes);
    void computeGram(const LayerState& s);
    // The specification's inhibitByHurdle with the norms and overlaps read from G.
    void inhibitByHurdle(LayerState& s, const RuleConstants& c, int k);
    // Row and column k of G from field k as it is now.
    void updateGram(const LayerState& s, int k);

    int inputs_ = 0;
    int units_ = 0;
    std::vector<float> gram_;   // K x K, symmetric
    std::vector<float> drive_;  // sum_i W_ij y_i of this step
    std::vector<float> dots_;   // <w_j, w_k> of the field being updated
    bool gram_valid_ = false;
};

}  // namespace stdp::model
