#pragma once
// The model written once, plainly, as an executable specification: one function per rule of the
// paper (trace, membrane, inhibition, firing, STDP, threshold), scalar loops over plain arrays,
// W itself (no per-neuron scale), every mechanism tested where it applies. It is the statement
// that the optimised step of RepresentationLayer answers to: that step takes its constants from
// ruleConstants() and its per-weight STDP update from potentiate() / depress(), and
// tests/test_specification.cpp runs both side by side. With -DSTDP_PLAIN_STEP=ON these functions
// are the layer's step.

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "foundation/Settings.h"

namespace stdp::model {

// The constants of the rules, derived once from the settings. `rate_scale` multiplies mu and
// mu_d: the learning-rate schedule (mu_decay) lives outside the step, in this one factor.
struct RuleConstants {
    float trace_decay = 0.0f;     // exp(-1 / trace_tau); 0: y = x, the raw spikes
    float membrane_decay = 0.0f;  // exp(-1 / tau_m); 0: memoryless, U holds this step's input only
    double temperature = 1.0;     // tau_s of the softmax
    float inv_temperature = 1.0f;
    // LTP  W += mu (1 - W (1 + lambda))  is the affine map  W -> W ltp_gain + ltp_bias;
    // LTD  W -= mu_d W (1 + lambda)      is                 W -> W ltd_gain.
    float ltp_gain = 1.0f;
    float ltp_bias = 0.0f;
    float ltd_gain = 1.0f;
    float w_min = 0.0f;       // lower clip of the weights (the upper one is 1)
    float bias_scale = 0.0f;  // beta / 2 of the distance bias -beta/2 |w_j|^2 in U_j
    float rho = 0.0f;         // threshold adaptation rate
    float theta_floor = 0.0f;
    int epsilon = 0;  // STDP window: inputs that spiked in [t - epsilon, t] are causal
    int refractory = 0;
    bool reset = true;
    bool learn = true;
    bool theta_adapt = true;
    // Amplitude coding (spike_quantum > 0): integrate-and-fire with reset by subtraction and
    // inhibition by the overlap of fields; replaces the softmax, the leak, reset and the bias.
    bool amplitude = false;
    float quantum = 0.0f;            // q: a spike of k subtracts q <w_j, w_k> from U_j
    float overlap = 1.0f;            // share of that subtraction for j != k
    float hurdle = 0.0f;             // h: U_j starts every patch at -h theta_j
    float recruit_hurdle = 0.0f;     // h2: a first spike takes h2 theta_j from every silent U_j
    float hurdle_inhibition = 0.0f;  // lambda_i: a first spike inhibits by its hurdle too
    float target_rate = 0.0f;        // p of the homeostatic threshold rule
    // The residual rule (amplitude coding): a spike of k adds residual_rate (r_i - beta W_ik) to
    // W_ik.
    bool residual = false;
    float residual_rate = 0.0f;   // mu / T, times rate_scale
    float residual_decay = 0.0f;  // beta
    // ON/OFF inputs (pixel i's ON input is i, its OFF input i + D/2): share of min(W_on, W_off)
    // both give up at each learning spike.
    float onoff_opponency = 0.0f;
};
RuleConstants ruleConstants(const DynamicsSettings& d, double rate_scale = 1.0);

// A layer's state as the rules read and write it: plain arrays owned by the caller.
struct LayerState {
    int inputs = 0;                           // D
    int units = 0;                            // K
    std::span<float> weights;                 // W, D x K row-major: W_ij = weights[i * K + j]
    std::span<float> thresholds;              // theta: one value (global) or K (per neuron)
    std::span<float> trace;                   // y_i
    std::span<std::int32_t> last_spike;       // step within the patch of input i's last spike
    std::span<float> potential;               // U_j
    std::span<float> softmax;                 // P_j
    std::span<std::int32_t> refractory_left;  // steps before neuron j may fire again
    std::span<std::uint8_t> causal;           // scratch: input i is causal for this step's STDP
    // The residual rule: r_i, input i's evidence in the patch (sum of y_i) minus the feedback
    // q W_ij of every spike of j, which the rule learns from.
    std::span<float> residual;
    // The recruitment hurdle: neuron j has spiked in this patch (read and written only with
    // recruit_hurdle > 0).
    std::span<std::uint8_t> active;

    float& w(int i, int j) const { return weights[static_cast<std::size_t>(i) * units + j]; }
};

// Before its first spike in a patch an input is outside every STDP window.
inline constexpr std::int32_t kNeverSpiked = std::numeric_limits<std::int32_t>::min() / 2;

// Clears what belongs to one patch: potentials, traces, spike history, refractoriness, residual.
void beginPatch(LayerState& s);
// Amplitude coding: U_j = -h theta_j at the start of a patch (after beginPatch).
void startPotentials(LayerState& s, const RuleConstants& c);

// --- One function per rule, in the order of a step ---

// y_i(t) = decay y_i(t-1) + x_i(t) (y = x without a trace); a trace that decays below
// kTraceCutoff is 0 (so integration stays event-driven). Records each spike's step for the STDP
// window.
inline constexpr float kTraceCutoff = 1e-6f;
void presynapticTrace(LayerState& s, const RuleConstants& c, std::span<const std::int32_t> spikes,
                      int step);
// U_j(t) = decay U_j(t-1) + sum_i W_ij y_i(t) - beta/2 |w_j|^2; with amplitude coding a perfect
// integrator, U_j(t) = U_j(t-1) + sum_i W_ij y_i(t).
void membranePotential(LayerState& s, const RuleConstants& c);
// The residual rule: r_i += y_i, the evidence input i adds to its residual this step.
void accumulateResidual(LayerState& s);
// The residual rule: r_i -= q W_ik, the feedback of a spike of k to every input.
void feedBack(LayerState& s, const RuleConstants& c, int k);
// Lateral inhibition: P_j = exp(U_j / tau_s) / sum_k exp(U_k / tau_s).
void lateralInhibition(LayerState& s, const RuleConstants& c);
// z_j = [P_j >= theta_j] for every neuron not refractory (whose count goes down by one instead).
// Writes the winners, ascending, to `winners` (room for K); returns their number.
std::size_t fire(LayerState& s, std::span<std::int32_t> winners);
// After a spike: U_j = 0 (with reset), and neuron j refractory for the next `refractory` steps.
void afterSpike(LayerState& s, const RuleConstants& c, std::span<const std::int32_t> winners);
// Amplitude coding, firing: of the neurons not refractory whose excess U_j - q |w_j|^2 is >= 0,
// the one with the largest fires (the lowest index on a tie); P_j is 1 for it, 0 for the others.
// Returns 0 or 1.
std::size_t fireByAmplitude(LayerState& s, const RuleConstants& c, std::span<std::int32_t> winners);
// Amplitude coding, after a spike of k: U_k -= q |w_k|^2 (reset by subtraction of the threshold
// itself) and U_j -= overlap q <w_j, w_k> for j != k (inhibition by the overlap of the two
// fields), and refractoriness as afterSpike; with the residual rule, feedBack; at k's first spike
// with inhibition by the hurdle, inhibitByHurdle; with the recruitment hurdle or inhibition by
// the hurdle, recruit (which marks k active). With overlap 1,
// U_j = <w_j, r> - h theta_j: the neurons integrate the residual.
void inhibitByOverlap(LayerState& s, const RuleConstants& c, std::span<const std::int32_t> winners);
// Amplitude coding with recruit_hurdle h2 > 0 (or hurdle_inhibition, which needs the flags it
// keeps), after a spike of k: if it is k's first in the patch, k is marked active and
// U_j -= h2 theta_j for every neuron j still silent in it. The n-th neuron to join a patch
// has paid h + (n - 1) h2 before its first spike: a cost that grows with the number of neurons
// already active, so a strong patch does not recruit a stray third neuron while a faint one
// still gets its first.
void recruit(LayerState& s, const RuleConstants& c, int k);
// Amplitude coding with hurdle_inhibition lambda_i > 0, at the first spike of k in the patch
// (before recruit marks k active): b = lambda_i (h + n_k h2) theta_k / |w_k|^2, n_k the neurons
// already active; U_j -= overlap b <w_j, w_k> for j != k and, with the residual rule,
// r -= b w_k. The spike then stands for the evidence k spent on its hurdle as well as its
// quantum, as in LCA, where a neuron inhibits the others by its whole coefficient.
void inhibitByHurdle(LayerState& s, const RuleConstants& c, int k);
// b of inhibitByHurdle: the hurdle of k, lambda_i (h + n_k h2) theta_k, in units of its field.
inline float hurdleAmplitude(const RuleConstants& c, int joined, float theta, float norm2) {
    return c.hurdle_inhibition * (c.hurdle + static_cast<float>(joined) * c.recruit_hurdle) *
           theta / norm2;
}
// Whether the layer keeps the flags "j has spiked in this patch" (recruit, inhibitByHurdle).
inline bool tracksActive(const RuleConstants& c) {
    return c.recruit_hurdle > 0.0f || c.hurdle_inhibition > 0.0f;
}
// LTP of one weight (input causal), LTD of one weight (not causal): the affine maps above.
inline float potentiate(float w, const RuleConstants& c) {
    return w * c.ltp_gain + c.ltp_bias;
}
inline float depress(float w, const RuleConstants& c) {
    return w * c.ltd_gain;
}
// Inputs that spiked in [t - epsilon, t] are causal (the flags of s.causal).
void causalInputs(LayerState& s, const RuleConstants& c, int step);
// Event-based STDP of winner j: LTP of its causal inputs, LTD of all others, clipped to
// [w_min, 1]. Reads s.causal.
void stdp(LayerState& s, const RuleConstants& c, int j);
// The residual rule of winner k (amplitude coding, instead of STDP): W_ik += (mu / T) (r_i -
// beta W_ik), after the spike's own feedback, clipped to [w_min, 1]. Local: the synapse sees its
// input's r_i, its own weight and its neuron's spike. The r_i term is the gradient step of
// |x - x^|^2 on w_k of Olshausen & Field's sparse coding, taken at each spike with the residual
// of the patch so far; the decay holds the norm of the field, which the read-out ignores.
void residualLearning(LayerState& s, const RuleConstants& c, int k);
// The opponency of ON and OFF (after winner k's STDP or residual rule): for every pixel i,
// m = opponency min(W_ik, W_(i+D/2)k) is taken from both, clipped at w_min. Local: the two
// synapses of one pixel onto one neuron, at that neuron's spike. Their common part adds nothing
// to the field W_on - W_off the read-out uses, only to |w_k|^2 and to every overlap.
void opposeOnOff(LayerState& s, const RuleConstants& c, int k);
// Global: theta += rho (n_fired - 1). Per neuron: theta_j += rho (K z_j - 1), applied as every
// theta_j -= rho, then each winner's theta_j += rho K. Clipped to [theta_floor, 1] after each.
// With amplitude coding the target is the rate p: theta_j += rho (z_j - p), applied as every
// theta_j -= rho p, then each winner's theta_j += rho (one threshold: theta += rho (n - K p)).
void adaptThreshold(LayerState& s, const RuleConstants& c, std::span<const std::int32_t> winners);

// --- The step, in two halves so that a test can compare the decision before it is applied ---

// Trace, membrane, inhibition, firing: returns the number of winners written to `winners`.
std::size_t decide(LayerState& s, const RuleConstants& c, std::span<const std::int32_t> spikes,
                   int step, std::span<std::int32_t> winners);
// Reset and refractoriness of the winners, STDP or the residual rule (if learning), threshold (if
// adapting).
void conclude(LayerState& s, const RuleConstants& c, std::span<const std::int32_t> winners,
              int step);

// A layer held as the specification holds it, for tests and comparisons: the state arrays
// above, owned, and the step as decide() then conclude().
class ReferenceLayer {
  public:
    // Starts from the given weights (D x K, row-major) and thresholds (1 or K values).
    ReferenceLayer(const DynamicsSettings& d, int inputs, int units, std::span<const float> weights,
                   std::span<const float> thresholds);
    // The state's views point into this object's own arrays.
    ReferenceLayer(const ReferenceLayer&) = delete;
    ReferenceLayer& operator=(const ReferenceLayer&) = delete;

    void setDynamics(const DynamicsSettings& d);
    void setLearningRateScale(double scale);
    void beginPatch();
    // The whole step; returns the winners.
    std::span<const std::int32_t> step(std::span<const std::int32_t> spikes);
    // The two halves of step(): conclude() applies `winners` (normally decide()'s own).
    std::span<const std::int32_t> decide(std::span<const std::int32_t> spikes);
    void conclude(std::span<const std::int32_t> winners);

    int inputs() const { return state_.inputs; }
    int units() const { return state_.units; }
    float weight(int i, int j) const { return state_.w(i, j); }
    std::span<float> weights() { return weights_; }
    std::span<float> thresholds() { return thresholds_; }
    std::span<float> potentials() { return potential_; }
    std::span<const float> softmax() const { return softmax_; }
    std::span<const float> trace() const { return trace_; }
    std::span<const float> residual() const { return residual_; }
    std::span<std::int32_t> refractoryLeft() { return refractory_left_; }
    const RuleConstants& constants() const { return constants_; }

  private:
    DynamicsSettings dynamics_;
    double rate_scale_ = 1.0;
    RuleConstants constants_;
    std::vector<float> weights_, thresholds_, trace_, potential_, softmax_;
    std::vector<std::int32_t> last_spike_, refractory_left_, winners_;
    std::vector<std::uint8_t> causal_;
    std::vector<float> residual_;
    std::vector<std::uint8_t> active_;
    std::size_t fired_ = 0;
    int step_ = 0;
    LayerState state_;
};

}  // namespace stdp::model
