#pragma once
// Every setting of the model, its allowed range and where its default comes from.
// The names here are the keys of `stdp-cli --set KEY=VALUE`, of model.json and of the GUI.

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace stdp {

// Thrown for any user-facing configuration or data problem; what() is one line a user can act on.
class UserError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

enum class ThresholdMode { Global, PerNeuron };
enum class PatchSampling { AllOverlapping, Random };
// What a spike of neuron k does to its weights: the paper's STDP, or (amplitude coding only) the
// residual rule w_ik += (mu / T) (r_i - beta w_ik), r_i the input's evidence in the patch so far
// minus the feedback q w_ij of every spike of j (docs/cooperative.md).
enum class LearningRule { Stdp, Residual };

// Settings that may change while the network learns (the worker copies them at the top of a step).
struct DynamicsSettings {
    int steps = 40;            // T: time steps per patch
    double trace_tau = 0.0;    // presynaptic trace time constant in steps; 0 = raw spikes
    double tau_m = 0.0;        // membrane time constant in steps; 0 = memoryless (authors' code)
    int refractory = 0;        // steps a neuron cannot fire after a spike
    bool reset = true;         // membrane potential set to 0 after a spike
    double temperature = 1.0;  // softmax temperature tau_s (lower = harder competition)
    double mu = 5e-4;          // LTP rate
    double mu_d_ratio = 0.75;  // mu_d / mu
    double lambda = 0.0;       // weight decay of the VQ objective
    int epsilon = 0;           // STDP window: input spikes in [t - epsilon, t] count as causal
    double w_clip_min = 0.0;   // lower clip bound of the weights (upper is 1)
    bool theta_adapt = true;   // threshold adjustment on/off
    double rho = 5e-5;         // threshold adjustment rate
    double theta_floor = 0.0;  // lower bound of theta during adaptation
    bool learn = true;         // STDP on/off (off = inference only)
    // --- mechanisms beyond the paper (all off in the paper-* presets) ---
    double distance_bias = 0.0;  // 0..1: weight of the locally learned bias -|w|^2/2 in U (VQ
                                 // competition on distance instead of inner product)
    double mu_decay = 0.0;       // learning-rate schedule: mu_eff = mu / (1 + mu_decay *
                                 // patches presented / kMuDecayPatches)
    // Amplitude coding (0 = off): integrate-and-fire neurons that fire when U_j >= q |w_j|^2, at
    // most one per step, and whose spike of k subtracts q <w_j, w_k> from every U_j (reset by
    // subtraction for j = k, inhibition by the overlap of fields otherwise). docs/cooperative.md.
    double spike_quantum = 0.0;       // q
    double overlap_inhibition = 1.0;  // share of q <w_j, w_k> a spike of k takes from U_j, j != k
    double hurdle = 0.0;              // h: U_j starts every patch at -h theta_j
    double recruit_hurdle = 0.0;      // h2: a neuron's first spike in a patch takes h2 theta_j from
                                      // the U_j of every neuron still silent in it
    double target_rate = 0.0;         // p: with amplitude coding theta_j += rho (z_j - p)
    double decoder_gain = 0.0;        // g of the additive read-out x^ = g sum_j c_j w_j; 0 = q / T
    // lambda: the additive read-out adds lambda (h + n_j h2) theta_j / (q |w_j|^2) to the count
    // of each neuron that fired (n_j: the neurons active before its first spike), the hurdle it
    // paid in spikes of its quantum; 0 = off.
    double decoder_hurdle = 0.0;
    // lambda_i: the first spike of k in a patch also takes lambda_i (h + n_k h2) theta_k
    // <w_j, w_k> / |w_k|^2 from every other U_j (and with the residual rule that share of w_k from
    // the residual): the inhibition carries the hurdle k paid as well as its quantum; 0 = off.
    double hurdle_inhibition = 0.0;
    LearningRule learning_rule = LearningRule::Stdp;
    double residual_decay = 0.0;  // beta of the residual rule w_ik += (mu / T) (r_i - beta w_ik)
    // ON/OFF inputs with amplitude coding: at each learning spike of k, the ON and OFF synapses
    // of one pixel onto k both give up this share of the smaller of the two weights.
    double onoff_opponency = 0.0;

    bool amplitudeCoding() const { return spike_quantum > 0.0; }
    // The gain of the additive decoder (amplitude coding only).
    double decoderGain() const {
        return decoder_gain > 0.0 ? decoder_gain : spike_quantum / static_cast<double>(steps);
    }

    bool residualLearning() const { return learning_rule == LearningRule::Residual; }
    double muD() const { return mu * mu_d_ratio; }
    bool operator==(const DynamicsSettings&) const = default;
};

// The clock of mu_decay: presentations, not images (eight photographs of 5,000 patches are eight
// "images"). 100,000 patches are about 291 built-in digits of every overlapping 5x5 patch.
inline constexpr double kMuDecayPatches = 100000.0;

// Settings that define the shape and initial state of the network (a change needs a reset).
struct StructureSettings {
    int patch_size = 5;  // p: patches are p x p pixels
    int units = 32;      // K: representation neurons
    bool onoff = false;  // two inputs per pixel (max(x,0), max(-x,0)) for signed images
    ThresholdMode theta_mode = ThresholdMode::Global;
    double theta0 = 0.15;  // initial WTA threshold on the softmax value
    double init_low = 0.0;
    double init_high = 1.0;  // W0 ~ U[init_low, init_high)
    std::uint64_t seed = 1;

    int inputs() const { return patch_size * patch_size * (onoff ? 2 : 1); }
};

// How images become training patches.
struct DataSettings {
    PatchSampling sampling = PatchSampling::AllOverlapping;
    int patches_per_image = 1000;  // random sampling only
    bool skip_empty = true;        // skip patches without any input spike (authors' code)
    int epochs = 1;
    bool whiten = true;                // photographs: Olshausen-Field 1/f whitening
    double whiten_f0 = 0.4;            // cycles/pixel, cut-off of the whitening filter
    double onoff_scale = 3.0;          // whitened values are divided by this many std devs, clipped
    int eval_patches_per_image = 500;  // random sampling: evaluation patches per image
};

struct Settings {
    StructureSettings structure;
    DynamicsSettings dynamics;
    DataSettings data;
};

// Where a preset value comes from (the tags of docs/model.md, "Sources").
enum class Provenance { Authors, NgcLearn, Ours, Inferred };
const char* provenanceName(Provenance p);

enum class SettingKind { Int, Real, Bool, Choice, Seed };
enum class SettingGroup { Structure, Dynamics, Data };

// Where and how the studio's parameter panel shows a setting; the panel is built from these, so
// a range or scale is written once, here.
enum class PanelSection { None, Learning, BeyondPaper, Structure };
struct PanelHint {
    PanelSection section = PanelSection::None;  // None: not in the panel (CLI and files only)
    int order = 0;                              // place within its section
    bool log_scale = false;                     // slider positions spread over decades
    double lo = 0.0;   // slider ends (structure: the range the window offers, e.g. K up to what
    double hi = 0.0;   // it draws responsively); the setting's own range may be wider
    int digits = 3;    // significant digits a slider position rounds to (values read aloud)
    std::string unit;  // shown after the value, e.g. "steps"
};

// Static description of one setting: its name, range and meaning (used by --set, presets, GUI).
struct SettingInfo {
    std::string name;
    SettingKind kind = SettingKind::Real;
    SettingGroup group = SettingGroup::Dynamics;
    double min = 0.0;
    double max = 0.0;
    bool min_open = false;  // (min, ...] instead of [min, ...]
    bool max_open = false;
    std::vector<std::string> choices;  // for Choice
    std::string symbol;                // as in the paper, e.g. "mu", "theta0"
    std::string description;           // role and the equation it enters
    bool live = false;                 // may change during training without a reset
    PanelHint panel;
};

const std::vector<SettingInfo>& settingInfos();
const SettingInfo* findSetting(const std::string& name);

// Text form of a value, as written in model.json and printed by `presets`.
std::string settingValue(const Settings& s, const std::string& name);
// Parses and range-checks value; throws UserError naming the setting and its allowed range.
void applySetting(Settings& s, const std::string& name, const std::string& value);
// Parses "KEY=VALUE".
void applyAssignment(Settings& s, const std::string& assignment);
// A whole number as a user types it: decimal digits only (no sign, spaces, hex or exponent), in
// [min, max]. Throws UserError naming `what` (an option or setting) and the range.
std::uint64_t parseWholeNumber(const std::string& what, const std::string& text, std::uint64_t min,
                               std::uint64_t max);
// A real number: decimal or scientific notation ("5e-5"), nothing else (no spaces, hex, inf or
// nan); nullopt if `text` is not one.
std::optional<double> parseRealNumber(const std::string& text);
// Files written when mu_decay counted images (mu / (1 + mu_decay * images / 1000)) are read with
// the value that means the same: one image = patches_per_image patches with random sampling,
// else kLegacyPatchesPerImage (the mean of the built-in digits: 343,356 non-empty overlapping
// 5x5 patches in digits 0-999).
inline constexpr double kLegacyPatchesPerImage = 343.356;
double legacyPatchesPerImage(const DataSettings& data);
double muDecayFromImageUnits(double per_thousand_images, const DataSettings& data);

// Checks every setting and the relations between them; throws UserError on the first problem.
void validate(const Settings& s);

// A numeric setting's value (booleans 0/1, choices their index; not the 64-bit seed).
double numericValue(const Settings& s, const std::string& name);
// Text of a numeric value of setting `name` as `--set` reads it: true/false, whole numbers, and
// reals in the shortest form that reads back to the same double.
std::string numberText(const std::string& name, double value);

// The one check of an edit made in a window: `name` set to `value` with every other setting as
// in `current`. Whole-number settings are rounded and values beyond a closed bound are clamped
// (both said in `note`); a value beyond an open bound, not finite, or breaking a rule that
// relates several settings is refused (the rule in `refusal`).
struct ValueCheck {
    bool accepted = false;
    double value = 0.0;          // the value used (rounded or clamped), when accepted
    std::string note;            // what was adjusted, e.g. "clamped to 1, the smallest allowed"
    std::string refusal;         // the rule the value breaks, when refused
    bool cross_setting = false;  // refused by a rule relating several settings
    Settings settings;           // `current` with the change, when accepted
};
ValueCheck checkValue(const Settings& current, const std::string& name, double value);

// One live setting changed: its name, exact values before and after.
struct SettingChange {
    std::string name;
    double old_value = 0.0;
    double new_value = 0.0;
};
// The live settings that differ between `from` and `to`, in table order.
std::vector<SettingChange> liveDifferences(const DynamicsSettings& from,
                                           const DynamicsSettings& to);

}  // namespace stdp
