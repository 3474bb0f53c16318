#include "foundation/SettingsDetail.h"

#include <limits>

namespace stdp {

const char* provenanceName(Provenance p) {
    switch (p) {
        case Provenance::Authors:
            return "authors' code";
        case Provenance::NgcLearn:
            return "ngc-learn";
        case Provenance::Ours:
            return "ours";
        case Provenance::Inferred:
            return "inferred";
    }
    return "?";
}

namespace detail {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

template <typename Member>
Accessor dyn(Member DynamicsSettings::*m) {
    return {[m](const Settings& s) { return static_cast<double>(s.dynamics.*m); },
            [m](Settings& s, double v) { s.dynamics.*m = static_cast<Member>(v); }};
}

template <typename Member>
Accessor str(Member StructureSettings::*m) {
    return {[m](const Settings& s) { return static_cast<double>(s.structure.*m); },
            [m](Settings& s, double v) { s.structure.*m = static_cast<Member>(v); }};
}

template <typename Member>
Accessor dat(Member DataSettings::*m) {
    return {[m](const Settings& s) { return static_cast<double>(s.data.*m); },
            [m](Settings& s, double v) { s.data.*m = static_cast<Member>(v); }};
}

SettingInfo info(std::string name, SettingKind kind, SettingGroup group, double lo, double hi,
                 std::string symbol, std::string description, bool live, bool lo_open = false,
                 bool hi_open = false) {
    SettingInfo i;
    i.name = std::move(name);
    i.kind = kind;
    i.group = group;
    i.min = lo;
    i.max = hi;
    i.min_open = lo_open;
    i.max_open = hi_open;
    i.symbol = std::move(symbol);
    i.description = std::move(description);
    i.live = live;
    return i;
}

SettingInfo choice(std::string name, SettingGroup group, std::vector<std::string> choices,
                   std::string description) {
    SettingInfo i =
        info(std::move(name), SettingKind::Choice, group, 0,
             static_cast<double>(choices.size() - 1), "", std::move(description), false);
    i.choices = std::move(choices);
    return i;
}

}  // namespace

const std::vector<Entry>& table() {
    using K = SettingKind;
    using G = SettingGroup;
    using P = PanelSection;
    static const std::vector<Entry> entries = [] {
        std::vector<Entry> e;
        // Structure (changing one needs a reset)
        e.push_back({info("patch_size", K::Int, G::Structure, 1, 32, "p",
                          "Patch side in pixels; the layer sees p x p patches (D = p^2, or 2p^2 "
                          "with ON/OFF inputs).",
                          false),
                     str(&StructureSettings::patch_size)});
        e.back().info.panel = {P::Structure, 2, false, 2, 32, 0, "px"};
        e.push_back({info("units", K::Int, G::Structure, 1, 4096, "K",
                          "Number of representation neurons (receptive fields).", false),
                     str(&StructureSettings::units)});
        e.back().info.panel = {P::Structure, 1, false, 1, 1024, 0, ""};
        e.push_back({info("onoff", K::Bool, G::Structure, 0, 1, "",
                          "ON/OFF inputs: each pixel x gives max(x,0) and max(-x,0); needed for "
                          "signed (whitened) images.",
                          false),
                     str(&StructureSettings::onoff)});
        e.push_back({choice("theta_mode", G::Structure, {"global", "per_neuron"},
                            "One WTA threshold for the layer (authors' code), or one per neuron: "
                            "theta_j += rho (K z_j - 1), whose mean follows the global rule."),
                     {[](const Settings& s) { return double(int(s.structure.theta_mode)); },
                      [](Settings& s, double v) {
                          s.structure.theta_mode = static_cast<ThresholdMode>(int(v));
                      }}});
        e.push_back({info("theta0", K::Real, G::Structure, 0, 1, "theta0",
                          "Initial WTA threshold: neuron j fires when its softmax value P_j >= "
                          "theta. With theta >= 0.5 at most one neuron fires per step.",
                          false, true, true),
                     str(&StructureSettings::theta0)});
        e.push_back({info("init_low", K::Real, G::Structure, 0, 1, "a",
                          "Initial weights W0 ~ U[a, b): lower bound a.", false),
                     str(&StructureSettings::init_low)});
        e.push_back({info("init_high", K::Real, G::Structure, 0, 1, "b",
                          "Initial weights W0 ~ U[a, b): upper bound b.", false),
                     str(&StructureSettings::init_high)});
        {
            SettingInfo i = info("seed", K::Seed, G::Structure, 0, 18446744073709551615.0, "",
                                 "Random seed of the initial weights, the input spikes and the "
                                 "patch sampler.",
                                 false);
            i.panel = {P::Structure, 3, false, 0, 0, 0, ""};
            e.push_back({i, {}});  // handled as a 64-bit integer, see below
        }
        // Dynamics (live)
        e.push_back({info("steps", K::Int, G::Dynamics, 1, 10000, "T",
                          "Time steps per patch; each input spikes with probability equal to its "
                          "intensity at every step.",
                          true),
                     dyn(&DynamicsSettings::steps)});
        e.back().info.panel = {P::Learning, 9, false, 1, 200, 0, "steps"};
        e.push_back({info("trace_tau", K::Real, G::Dynamics, 0, 1000, "tau",
                          "Presynaptic trace y_i(t) = exp(-1/tau) y_i(t-1) + x_i(t); 0 = raw "
                          "spikes (the authors' EPSP kernel has tau = 0.25 step).",
                          true),
                     dyn(&DynamicsSettings::trace_tau)});
        e.back().info.panel = {P::Learning, 11, false, 0.0, 10.0, 3, "steps"};
        e.push_back({info("tau_m", K::Real, G::Dynamics, 0, 100000, "tau_m",
                          "Membrane time constant: U_j(t) = exp(-1/tau_m) U_j(t-1) + sum_i W_ij "
                          "y_i(t), reset to 0 after a spike; 0 = memoryless (authors' code).",
                          true),
                     dyn(&DynamicsSettings::tau_m)});
        e.back().info.panel = {P::Learning, 10, false, 0.0, 20.0, 3, "steps"};
        e.push_back({info("reset", K::Bool, G::Dynamics, 0, 1, "",
                          "Reset the membrane potential to 0 after a spike (only matters when "
                          "tau_m > 0).",
                          true),
                     dyn(&DynamicsSettings::reset)});
        e.push_back({info("refractory", K::Int, G::Dynamics, 0, 1000, "",
                          "Steps after a spike during which a neuron cannot fire.", true),
                     dyn(&DynamicsSettings::refractory)});
        e.back().info.panel = {P::Learning, 12, false, 0, 20, 0, "steps"};
        e.push_back({info("temperature", K::Real, G::Dynamics, 0, 1000, "tau_s",
                          "Softmax temperature of the lateral inhibition: P_j = exp(U_j/tau_s) / "
                          "sum_k exp(U_k/tau_s). Lower = harder competition.",
                          true, true),
                     dyn(&DynamicsSettings::temperature)});
        e.back().info.panel = {P::Learning, 5, true, 0.01, 10.0, 3, ""};
        e.push_back({info("mu", K::Real, G::Dynamics, 0, 1, "mu",
                          "LTP rate: a firing neuron's weight from an input that spiked in [t-eps, "
                          "t] grows by mu (1 - w (1 + lambda)).",
                          true),
                     dyn(&DynamicsSettings::mu)});
        e.back().info.panel = {P::Learning, 1, true, 1e-6, 0.1, 3, ""};
        e.push_back({info("mu_d_ratio", K::Real, G::Dynamics, 0, 100, "mu_d/mu",
                          "LTD rate relative to LTP: other weights of a firing neuron shrink by "
                          "mu_d w (1 + lambda).",
                          true),
                     dyn(&DynamicsSettings::mu_d_ratio)});
        e.back().info.panel = {P::Learning, 2, false, 0.0, 2.0, 3, ""};
        e.push_back(
            {info("lambda", K::Real, G::Dynamics, 0, 100, "lambda",
                  "Weight decay of the vector-quantisation objective (lambda/2 |w|^2).", true),
             dyn(&DynamicsSettings::lambda)});
        e.back().info.panel = {P::Learning, 3, false, 0.0, 0.5, 3, ""};
        e.push_back({info("epsilon", K::Int, G::Dynamics, 0, 1000, "eps",
                          "STDP window in steps: an input counts as causal if it spiked in "
                          "[t - eps, t].",
                          true),
                     dyn(&DynamicsSettings::epsilon)});
        e.back().info.panel = {P::Learning, 4, false, 0, 10, 0, "steps"};
        e.push_back(
            {info("w_clip_min", K::Real, G::Dynamics, 0, 1, "",
                  "Weights are clipped to [w_clip_min, 1] after each update.", true, false, true),
             dyn(&DynamicsSettings::w_clip_min)});
        e.push_back({info("theta_adapt", K::Bool, G::Dynamics, 0, 1, "",
                          "Threshold adjustment on/off: theta += rho (n_fired - 1) after every "
                          "step.",
                          true),
                     dyn(&DynamicsSettings::theta_adapt)});
        e.back().info.panel = {P::Learning, 6, false, 0, 1, 0, ""};
        e.push_back({info("rho", K::Real, G::Dynamics, 0, 1, "rho",
                          "Threshold adjustment rate: theta += rho (n_fired - 1), a sparsity "
                          "constraint that keeps about one spike per step.",
                          true),
                     dyn(&DynamicsSettings::rho)});
        e.back().info.panel = {P::Learning, 7, true, 1e-7, 1e-2, 3, ""};
        e.push_back({info("theta_floor", K::Real, G::Dynamics, 0, 1, "",
                          "Lower bound of theta during adaptation.", true, false, true),
                     dyn(&DynamicsSettings::theta_floor)});
        e.back().info.panel = {P::Learning, 8, false, 0.0, 0.5, 3, ""};
        e.push_back({info("learn", K::Bool, G::Dynamics, 0, 1, "",
                          "STDP on/off (off = the network only infers).", true),
                     dyn(&DynamicsSettings::learn)});
        e.back().info.panel = {P::Learning, 13, false, 0, 1, 0, ""};
        e.push_back({info("distance_bias", K::Real, G::Dynamics, 0, 1, "beta",
                          "Beyond the paper: U_j -= beta |w_j|^2 / 2, a bias each neuron computes "
                          "from its own weights, so the competition picks the nearest field "
                          "(vector quantisation) instead of the largest inner product.",
                          true),
                     dyn(&DynamicsSettings::distance_bias)});
        e.back().info.panel = {P::BeyondPaper, 1, false, 0.0, 1.0, 3, ""};
        e.push_back({info("mu_decay", K::Real, G::Dynamics, 0, 1000, "",
                          "Beyond the paper: learning-rate schedule mu_eff = mu / (1 + mu_decay * "
                          "patches presented / 100000).",
                          true),
                     dyn(&DynamicsSettings::mu_decay)});
        e.back().info.panel = {P::BeyondPaper, 2, false, 0.0, 10.0, 3, ""};
        e.push_back({info("spike_quantum", K::Real, G::Dynamics, 0, 100, "q",
                          "Beyond the paper, amplitude coding (0 = off): integrate-and-fire "
                          "neurons U_j += sum_i W_ij y_i fire when U_j >= q |w_j|^2, at most one "
                          "per step (the largest excess); a spike of k subtracts q <w_j, w_k> "
                          "from every U_j (reset by subtraction for j = k, inhibition by the "
                          "overlap of fields otherwise), so spike counts code amplitude and the "
                          "read-out is additive, x^ = g sum_j c_j w_j. Replaces the softmax, "
                          "tau_m, reset and distance_bias.",
                          true),
                     dyn(&DynamicsSettings::spike_quantum)});
        e.back().info.panel = {P::BeyondPaper, 3, false, 0.0, 8.0, 3, ""};
        e.push_back({info("overlap_inhibition", K::Real, G::Dynamics, 0, 1, "",
                          "Beyond the paper, amplitude coding: the share of q <w_j, w_k> that a "
                          "spike of neuron k subtracts from every other U_j (1: the whole "
                          "overlap, as in spiking LCA; 0: neurons do not inhibit each other).",
                          true),
                     dyn(&DynamicsSettings::overlap_inhibition)});
        e.back().info.panel = {P::BeyondPaper, 4, false, 0.0, 1.0, 3, ""};
        e.push_back({info("hurdle", K::Real, G::Dynamics, 0, 10000, "h",
                          "Beyond the paper, amplitude coding: U_j starts every patch at "
                          "-h theta_j, the evidence a neuron needs before its first spike (a "
                          "cost per active neuron), its own threshold theta_j learning it.",
                          true),
                     dyn(&DynamicsSettings::hurdle)});
        e.back().info.panel = {P::BeyondPaper, 5, false, 0.0, 100.0, 3, ""};
        e.push_back({info("recruit_hurdle", K::Real, G::Dynamics, 0, 10000, "h2",
                          "Beyond the paper, amplitude coding: the first spike of a neuron in a "
                          "patch takes h2 theta_j from the U_j of every neuron still silent in it, "
                          "so the n-th active neuron pays h + (n - 1) h2 before its first spike.",
                          true),
                     dyn(&DynamicsSettings::recruit_hurdle)});
        e.back().info.panel = {P::BeyondPaper, 6, false, 0.0, 200.0, 3, ""};
        e.push_back({info("target_rate", K::Real, G::Dynamics, 0, 1, "p",
                          "Beyond the paper, amplitude coding: homeostasis theta_j += rho (z_j - "
                          "p) (one threshold: theta += rho (n_fired - K p)), each neuron firing "
                          "on a fraction p of the steps.",
                          true),
                     dyn(&DynamicsSettings::target_rate)});
        e.back().info.panel = {P::BeyondPaper, 7, true, 1e-4, 0.1, 3, ""};
        e.push_back({info("decoder_gain", K::Real, G::Dynamics, 0, 100, "g",
                          "Beyond the paper, amplitude coding: gain of the additive read-out "
                          "x^ = g sum_j c_j w_j (c_j: spike counts); 0 = q / T, the gain the "
                          "integrate-and-fire rule implies.",
                          true),
                     dyn(&DynamicsSettings::decoder_gain)});
        e.back().info.panel = {P::BeyondPaper, 8, false, 0.0, 0.5, 3, ""};
        e.push_back({info("decoder_hurdle", K::Real, G::Dynamics, 0, 10, "lambda_h",
                          "Beyond the paper, amplitude coding: the additive read-out adds back "
                          "this share of the hurdle each active neuron paid before its first "
                          "spike, x^ = g sum_j (c_j + lambda_h (h + n_j h2) theta_j / (q |w_j|^2)) "
                          "w_j over the neurons that fired (n_j: those active before j's first "
                          "spike); 0 = off, 1 = the whole hurdle.",
                          true),
                     dyn(&DynamicsSettings::decoder_hurdle)});
        e.back().info.panel = {P::BeyondPaper, 9, false, 0.0, 3.0, 3, ""};
        e.push_back({info("hurdle_inhibition", K::Real, G::Dynamics, 0, 10, "lambda_i",
                          "Beyond the paper, amplitude coding: the first spike of neuron k in a "
                          "patch also takes lambda_i (h + n_k h2) theta_k <w_j, w_k> / |w_k|^2 "
                          "from every other U_j (and, with the residual rule, that share of w_k "
                          "from the residual): the other neurons learn that k explains the "
                          "evidence it spent on its hurdle too (n_k: the neurons active before "
                          "k's first spike); 0 = off.",
                          true),
                     dyn(&DynamicsSettings::hurdle_inhibition)});
        e.back().info.panel = {P::BeyondPaper, 10, false, 0.0, 2.0, 3, ""};
        e.push_back({choice("learning_rule", G::Dynamics, {"stdp", "residual"},
                            "What a spike of neuron k does to its weights: the paper's STDP "
                            "(LTP of the inputs that spiked, LTD of the others), or, beyond the "
                            "paper and with amplitude coding only, the residual rule "
                            "w_ik += (mu / T) (r_i - beta w_ik), r_i the evidence input i "
                            "gathered in the patch so far minus the feedback q w_ij of every "
                            "spike of j: each field learns what the read-out has not yet "
                            "explained."),
                     {[](const Settings& s) { return double(int(s.dynamics.learning_rule)); },
                      [](Settings& s, double v) {
                          s.dynamics.learning_rule = static_cast<LearningRule>(int(v));
                      }}});
        e.back().info.panel = {P::BeyondPaper, 11, false, 0, 1, 0, ""};
        e.push_back({info("residual_decay", K::Real, G::Dynamics, 0, 100, "beta",
                          "Beyond the paper, residual rule: a spike of k also takes (mu / T) beta "
                          "w_ik from each of its weights (a post-synaptic decay), which holds the "
                          "norm of the fields; the read-out does not depend on that norm, the "
                          "hurdle and the quantum q |w_k|^2 do.",
                          true),
                     dyn(&DynamicsSettings::residual_decay)});
        e.back().info.panel = {P::BeyondPaper, 12, false, 0.0, 4.0, 3, ""};
        e.push_back({info("onoff_opponency", K::Real, G::Dynamics, 0, 1, "",
                          "Beyond the paper, amplitude coding with ON/OFF inputs: at each "
                          "learning spike of k, the ON and OFF synapses of one pixel onto k both "
                          "give up this share of the smaller of their two weights. What both "
                          "hold carries no sign, only the pixel's contrast: it leaves the field "
                          "w_on - w_off as it is but inflates |w_k|^2 and every overlap "
                          "<w_j, w_k>, so that neurons compete on contrast instead of shape.",
                          true),
                     dyn(&DynamicsSettings::onoff_opponency)});
        e.back().info.panel = {P::BeyondPaper, 13, false, 0.0, 1.0, 3, ""};
        // Data
        e.push_back({choice("sampling", G::Data, {"all", "random"},
                            "Training patches: every overlapping patch of each image (stride 1, "
                            "zero padding p/2, authors' code) or random patches."),
                     {[](const Settings& s) { return double(int(s.data.sampling)); },
                      [](Settings& s, double v) {
                          s.data.sampling = static_cast<PatchSampling>(int(v));
                      }}});
        e.push_back(
            {info("patches_per_image", K::Int, G::Data, 1, 10000000, "",
                  "Random sampling: training patches drawn from each image per epoch.", false),
             dat(&DataSettings::patches_per_image)});
        // Evaluation draws these for every image and the baselines store them all: beyond this
        // a realistic evaluation set no longer fits in memory.
        e.push_back({info("eval_patches_per_image", K::Int, G::Data, 1, 100000, "",
                          "Random sampling: evaluation patches drawn from each image.", false),
                     dat(&DataSettings::eval_patches_per_image)});
        e.push_back({info("skip_empty", K::Bool, G::Data, 0, 1, "",
                          "Skip training patches in which no input spiked (authors' code).", false),
                     dat(&DataSettings::skip_empty)});
        e.push_back({info("epochs", K::Int, G::Data, 1, 100000, "",
                          "Passes over the training images.", false),
                     dat(&DataSettings::epochs)});
        e.push_back({info("whiten", K::Bool, G::Data, 0, 1, "",
                          "Photographs (images:DIR, builtin:natural): Olshausen-Field whitening "
                          "R(f) = f exp(-(f/f0)^4), then unit variance.",
                          false),
                     dat(&DataSettings::whiten)});
        e.push_back({info("whiten_f0", K::Real, G::Data, 0, 0.5, "f0",
                          "Cut-off of the whitening filter in cycles/pixel.", false, true),
                     dat(&DataSettings::whiten_f0)});
        e.push_back({info("onoff_scale", K::Real, G::Data, 0, 100, "",
                          "Signed images: values are divided by this many standard deviations "
                          "and clipped to [-1, 1] before becoming ON/OFF spike rates.",
                          false, true),
                     dat(&DataSettings::onoff_scale)});
        return e;
    }();
    return entries;
}

const Entry* findEntry(const std::string& name) {
    for (const auto& e : table())
        if (e.info.name == name)
            return &e;
    return nullptr;
}

}  // namespace detail

using detail::Entry;
using detail::findEntry;
using detail::table;

const std::vector<SettingInfo>& settingInfos() {
    static const std::vector<SettingInfo> infos = [] {
        std::vector<SettingInfo> v;
        for (const auto& e : table())
            v.push_back(e.info);
        return v;
    }();
    return infos;
}

const SettingInfo* findSetting(const std::string& name) {
    const Entry* e = findEntry(name);
    return e ? &e->info : nullptr;
}

double legacyPatchesPerImage(const DataSettings& data) {
    return data.sampling == PatchSampling::Random ? static_cast<double>(data.patches_per_image)
                                                  : kLegacyPatchesPerImage;
}

double muDecayFromImageUnits(double per_thousand_images, const DataSettings& data) {
    return per_thousand_images * kMuDecayPatches / (1000.0 * legacyPatchesPerImage(data));
}

}  // namespace stdp
