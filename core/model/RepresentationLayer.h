#pragma once
// The representation layer of docs/model.md §1: leaky integrate-and-fire neurons whose softmax over
// membrane potentials implements lateral inhibition, learning with event-based STDP and keeping
// about one spike per step through threshold adjustment.

#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <vector>

#include "foundation/Random.h"
#include "foundation/Settings.h"
#include "kernels/AlignedVector.h"
#include "kernels/StepDispatch.h"
#include "model/CooperativeStep.h"
#include "model/ModelSpecification.h"

namespace stdp {

namespace simd {
struct ExpVectors;  // kernels/Simd.h
}

// With -DSTDP_PLAIN_STEP=ON the layer steps by the specification (ModelSpecification.h) alone.
#if STDP_PLAIN_STEP
inline constexpr bool kPlainStep = true;
#else
inline constexpr bool kPlainStep = false;
#endif

// Weights W (D x K), row-major: the K weights of one input are contiguous, so integrating a spike
// is one vector add. Same layout as weights.npy (D x K, C order) and the authors' filter files.
using WeightMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

class RepresentationLayer;

// Sees the layer after every step (spike raster, weight-change views). Optional; null = nothing.
class StepObserver {
  public:
    virtual ~StepObserver() = default;
    virtual void onStep(const RepresentationLayer& layer, std::span<const std::int32_t> spikes) = 0;
};

class RepresentationLayer {
  public:
    RepresentationLayer(const StructureSettings& structure, const DynamicsSettings& dynamics);

    // Re-initialises the weights W ~ U[init_low, init_high) and theta from the seed.
    void reset();
    // Takes new dynamics (rates, time constants...) and recomputes derived constants.
    void setDynamics(const DynamicsSettings& dynamics);
    const DynamicsSettings& dynamics() const { return dynamics_; }
    const StructureSettings& structure() const { return structure_; }
    // Multiplies mu and mu_d (learning-rate schedules); 1 = as set.
    void setLearningRateScale(double scale);

    // Clears membrane potentials, traces, refractory counters and spike history (a new patch).
    void beginPatch();
    // One time step; `spikes` are the indices of the inputs that spiked now. Returns the number
    // of neurons that fired.
    int step(std::span<const std::int32_t> spikes, StepObserver* observer = nullptr);
    // Steps first..last-1 of a patch whose step t spiked indices[offsets[t] .. offsets[t+1]):
    // the same steps as step() one by one, with the choice of step made once. Returns the
    // number of neurons that fired over these steps.
    std::uint64_t steps(std::span<const std::int32_t> indices,
                        std::span<const std::int32_t> offsets, int first, int last,
                        StepObserver* observer = nullptr);
    // The same steps for a layer of at most kMaxMaskInputs (64) inputs, each step's spikes given
    // as one bit mask (bit i set: input i spiked; see PatchSpikes): no lists to build or read.
    std::uint64_t stepsMasked(std::span<const std::uint64_t> masks, int first, int last,
                              StepObserver* observer = nullptr);

    int inputs() const { return inputs_; }
    int units() const { return units_; }
    // W itself, materialised from the scaled storage (see below). A copy: every const member
    // only reads, so any number of threads may read one layer at once.
    WeightMatrix weights() const;
    // Column j of W (D values, clipped like weights()) into `out`: one field without the copy.
    void field(int j, std::span<float> out) const;
    void setWeights(const WeightMatrix& w);  // D x K, values in [0, 1]
    // One value (global mode) or K values (per-neuron mode).
    const std::vector<float>& thresholds() const { return theta_; }
    void setThresholds(const std::vector<float>& theta);
    float meanThreshold() const;

    // State after the last step, for observers and evaluation.
    std::span<const float> potentials() const { return potential_; }
    // P_j = exp(U_j / tau_s) / sum_k exp(U_k / tau_s), computed on request (the step itself
    // compares exp(U_j / tau_s) with theta_j * sum and never divides).
    std::vector<float> softmax() const;
    std::span<const std::int32_t> fired() const { return {fired_.data(), fired_count_}; }
    // U_j of each neuron in fired() as it was when it fired, before a reset cleared it.
    std::span<const float> firedPotentials() const {
        return {fired_potential_.data(), fired_count_};
    }
    // With an STDP window (epsilon > 0): the inputs the last step treated as causal. Without
    // one the causal inputs are that step's spikes (what observers receive).
    std::span<const std::int32_t> windowCausal() const { return causal_; }
    double learningRateScale() const { return rate_scale_; }
    std::span<const std::uint64_t> winCounts() const { return wins_; }
    void clearWinCounts();
    std::uint64_t tick() const { return tick_; }
    int stepInPatch() const { return patch_step_; }

  private:
    // The conditions under which the optimised step's shortcuts compute the rules of the
    // specification; where one fails the step takes the plain way for that part.
    struct Preconditions {
        // LTD multiplies every non-causal weight of a winner by one factor, so a per-neuron scale
        // carries it (learnLazy); otherwise every weight is updated (learnEager).
        bool ltd_is_one_factor = true;
        // U / tau_s spans at most kFixedShiftRange: the softmax may shift by a fixed bound
        // instead of waiting for the largest potential.
        bool softmax_range_bounded = false;
        // Every optional mechanism off: the step tests none of them (StepShape::basic).
        bool basic = false;
    };
    Preconditions checkPreconditions(double u_max, double u_min) const;
    // The widest range of U / tau_s over which the softmax is shifted by a constant (exp(-64)
    // ~ 1.6e-28).
    static constexpr double kFixedShiftRange = 64.0;

    // Runs steps first..last-1 on the step's clone and shape (StepDispatch.h).
    template <class Steps>
    std::uint64_t run(const Steps& steps, int first, int last, StepObserver* observer);
    // Steps by rules that act on the specification's state (model::LayerState): the
    // specification itself or the cooperative step of amplitude coding.
    template <class Rules, class Steps>
    std::uint64_t stepsByRules(Rules& rules, const Steps& steps, int first, int last,
                               StepObserver* observer);
    template <StepShape S, class Spikes>
    int stepWith(const Spikes& spikes, StepObserver* observer, const simd::ExpVectors& exp_vectors,
                 bool record);
    template <StepShape S, class Steps>
    std::uint64_t stepsWith(const Steps& steps, int first, int last, StepObserver* observer);
    template <StepShape S>
    int width() const {
        return S.units != 0 ? S.units : units_;
    }
    template <StepShape S, class Spikes>
    void updateTrace(const Spikes& spikes);
    template <StepShape S, class Spikes>
    void integrate(const Spikes& spikes);
    template <StepShape S>
    void inhibit();
    template <StepShape S>
    void fire();
    template <StepShape S>
    void settleWinners();
    template <StepShape S>
    void settleWinner(std::size_t k, int j);
    template <StepShape S>
    void settleBasic(std::uint64_t winners, bool record);
    template <StepShape S, class Spikes>
    std::uint64_t decideBasic(const Spikes& spikes, const simd::ExpVectors& exp_vectors,
                              bool record);
    template <StepShape S, class Spikes, class Winners>
    void learn(const Spikes& spikes, const Winners& winners);
    template <StepShape S>
    void adaptThreshold();
    template <StepShape S, class Winners, class Causal>
    void learnEach(const Winners& winners, const Causal& causal);
    template <StepShape S, class Causal>
    void learnLazy(int j, const Causal& causal);
    template <StepShape S, class Causal>
    bool learnPairLazy(std::uint64_t winners, const Causal& causal);
    template <class Causal>
    void learnEager(int j, const Causal& causal);
    void foldScale(int j);
    void prepareLtp(int j);
    void prepareAllLtp();
    float expGain(float scale) const;
    void updateNorm(int j);
    void deriveConstants();

    StructureSettings structure_;
    DynamicsSettings dynamics_;
    int inputs_ = 0;
    int units_ = 0;

    // W is stored as W_ij = scale_j * stored_ij. LTD multiplies every weight of a neuron that
    // fired by the same factor, so it is one multiplication of scale_j; only the causal (LTP)
    // inputs touch stored_. That makes learning O(spikes), not O(D), per spike.
    AlignedVector<float> stored_;  // D x K, row-major, like W
    AlignedVector<float> scale_;
    // scale_j / tau_s * 16 log2(e): the basic step's exponent 2^(exp_gain_j d_j - shift) of the
    // row sum d_j itself, without waiting for scale_j d_j first (simd::decideBasicFixed).
    AlignedVector<float> exp_gain_;
    // The scale, LTP gain and bias (and the exp gain) of neuron j's next win, computed after its
    // last one: the two divisions they take then stay off the step's chain. scale 0: fold first
    // (see learnLazy).
    struct NextLtp {
        float scale = 0.0f;
        float gain = 0.0f;
        float bias = 0.0f;
        float exp_gain = 0.0f;
    };
    std::vector<NextLtp> next_ltp_;
    std::vector<float> stored_norm2_;      // sum_i stored_ij^2, for the distance bias
    std::vector<std::uint32_t> norm_age_;  // LTP updates since stored_norm2_ was recomputed
    std::vector<float> theta_;

    // Per-step state, sized once: the step allocates nothing.
    AlignedVector<float> potential_;
    AlignedVector<float> exp_;  // exp(U_j / tau_s - shift), shift >= max U / tau_s
    float exp_sum_ = 1.0f;
    bool spiked_now_ = false;                  // any input spike this step
    std::vector<std::int32_t> observed_;       // a mask's spikes as a list, for observers
    AlignedVector<float> drive_;               // sum_i stored_ij y_i, before the scale
    std::vector<std::int32_t> causal_;         // inputs in the STDP window (eps > 0)
    std::vector<std::uint8_t> causal_mask_;    // same, as flags (eager path)
    std::vector<float> trace_;                 // y_i, only when trace_tau > 0
    std::vector<std::int32_t> trace_support_;  // inputs with y_i != 0
    bool trace_dense_ = kPlainStep;            // the specification stepped: y has no support list
    std::vector<std::uint8_t> in_support_;
    std::vector<std::int32_t> last_spike_;  // step of each input's last spike (eps > 0 only)
    std::vector<float> residual_;           // r_i of amplitude coding (the residual rule's input)
    std::vector<std::uint8_t> active_;      // neuron j has spiked in the patch (recruit_hurdle)
    std::vector<std::int32_t> refractory_left_;
    std::vector<std::int32_t> fired_;
    std::vector<float> fired_potential_;
    std::size_t fired_count_ = 0;
    std::vector<std::uint64_t> wins_;
    std::uint64_t tick_ = 0;
    int patch_step_ = 0;

    // Derived from dynamics_ by deriveConstants(): the specification's constants of the rules,
    // the step's preconditions and its fixed softmax shift.
    model::RuleConstants rules_;
    Preconditions preconditions_;
    float fixed_shift_ = 0.0f;  // with softmax_range_bounded: U / tau_s <= fixed_shift_
    float exp_shift_ = 0.0f;    // fixed_shift_ * 16 log2(e), for decideBasicFixed
    double rate_scale_ = 1.0;
    // Amplitude coding's step, with its Gram matrix of the fields.
    model::CooperativeStep cooperative_;
};

}  // namespace stdp
