#pragma once
// One time step of the representation layer written down phase by phase (integrate, inhibit,
// fire, learn, adapt θ) with the numbers of each phase, for the studio's "inside one time step"
// view and for anyone who wants to read a step rather than trust it. Recording is opt-in: a
// StepTracer is an observer that a caller attaches only to the steps it wants explained.

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "model/RepresentationLayer.h"

namespace stdp {

struct StepTrace {
    // Where the step is.
    std::uint64_t tick = 0;  // layer steps before this one
    int step_in_patch = 0;   // 0-based
    int patch_steps = 0;     // T
    int inputs = 0;          // D
    int units = 0;           // K
    int patch_size = 0;      // p
    bool onoff = false;      // D = 2 p^2: ON inputs first, then OFF

    // The constants the step used (effective values: mu includes the mu_decay schedule).
    double membrane_decay = 0.0;  // exp(-1 / tau_m), 0 = memoryless
    double trace_tau = 0.0;
    double temperature = 1.0;  // tau_s
    double mu = 0.0;
    double mu_d = 0.0;
    double lambda = 0.0;
    int epsilon = 0;
    double rho = 0.0;
    double theta_floor = 0.0;
    double distance_bias = 0.0;
    bool reset = true;
    bool learn = true;
    bool theta_adapt = true;
    // Amplitude coding (docs/cooperative.md): no softmax; neuron j may fire once U_j reaches
    // q |w_j|^2, the largest excess fires, and its spike counts toward x^ = g sum_j c_j w_j.
    bool amplitude = false;
    double quantum = 0.0;       // q
    double overlap = 0.0;       // share of q <w_j, w_k> a spike of k takes from U_j, j != k
    double hurdle = 0.0;        // h: U_j starts every patch at -h theta_j
    double target_rate = 0.0;   // p of the homeostasis theta_j += rho (z_j - p)
    double decoder_gain = 0.0;  // g of the additive read-out

    // 1. Input: x_i(t), the inputs that spiked.
    std::vector<std::int32_t> input_spikes;
    // 2. Integrate: U_j(t), before any reset (and with amplitude coding before the spike's
    // inhibition).
    std::vector<float> potential;
    // 3. Inhibit: P_j = softmax(U / tau_s)_j (amplitude coding: 1 for the neuron that fired).
    std::vector<float> softmax;
    // Amplitude coding: q |w_j|^2, the level U_j must reach (fields as they were before the step).
    std::vector<float> fire_level;
    // 4. Fire: z_j = [P_j >= theta_j] (theta before its update; one value or K).
    std::vector<float> theta_before;
    std::vector<std::int32_t> fired;
    // 5. Learn: the inputs counted as causal and each winner's field before and after.
    std::vector<std::int32_t> causal;
    struct Winner {
        std::int32_t neuron = 0;
        std::vector<float> before;  // W_.j, D values
        std::vector<float> after;
    };
    std::vector<Winner> winners;  // the first kMaxWinners of `fired`
    // 6. Adapt theta.
    std::vector<float> theta_after;

    static constexpr std::size_t kMaxWinners = 8;

    float thresholdOf(int j, bool after) const {
        const std::vector<float>& t = after ? theta_after : theta_before;
        return t.size() == 1 ? t[0] : t[static_cast<std::size_t>(j)];
    }
};

using StepTracePtr = std::shared_ptr<const StepTrace>;

// Records the steps it observes. Needs the fields as they were before a step to show what
// learning changed, so it keeps a copy of W that it follows step by step; after steps it did
// not observe, prime() takes a new copy. Allocates per recorded step: attach it only to steps
// a person will look at (slow motion, single steps, one step per frame), never to the run.
class StepTracer : public StepObserver {
  public:
    // Copies the layer's weights and thresholds as they are now, before the next step.
    void prime(const RepresentationLayer& layer);
    // True if the copy is the layer's state now (every step since prime() was observed).
    bool primedFor(const RepresentationLayer& layer) const;
    void onStep(const RepresentationLayer& layer, std::span<const std::int32_t> spikes) override;

    void setPatchGeometry(int patch_size, bool onoff);
    // The steps recorded since the last call, oldest first; at most `keep` are kept meanwhile.
    std::vector<StepTracePtr> take();
    void setKeep(std::size_t keep) { keep_ = keep; }
    void clear();

  private:
    static void recordAmplitudeLevels(const WeightMatrix& w, StepTrace& t);

    WeightMatrix weights_;  // W before the next step
    std::vector<float> theta_;
    std::uint64_t next_tick_ = 0;
    bool primed_ = false;
    int patch_size_ = 0;
    bool onoff_ = false;
    std::size_t keep_ = 512;
    std::vector<StepTracePtr> pending_;
};

}  // namespace stdp
