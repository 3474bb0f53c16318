#include "model/Presets.h"

#include <algorithm>
#include <map>

#include "data/Dataset.h"

namespace stdp {

namespace {

// Provenance of the defaults (which are the authors' MNIST constants where they are known).
Provenance defaultProvenance(const std::string& key) {
    static const std::map<std::string, Provenance> known = {
        {"patch_size", Provenance::Authors}, {"units", Provenance::Authors},
        {"steps", Provenance::Authors},      {"trace_tau", Provenance::Authors},
        {"tau_m", Provenance::Authors},      {"temperature", Provenance::Authors},
        {"mu", Provenance::Authors},         {"mu_d_ratio", Provenance::Authors},
        {"lambda", Provenance::Authors},     {"epsilon", Provenance::Authors},
        {"theta0", Provenance::Authors},     {"theta_adapt", Provenance::Authors},
        {"rho", Provenance::Authors},        {"theta_mode", Provenance::Authors},
        {"init_low", Provenance::Authors},   {"init_high", Provenance::Authors},
        {"sampling", Provenance::Authors},   {"skip_empty", Provenance::Authors},
        {"w_clip_min", Provenance::Authors}, {"whiten_f0", Provenance::Inferred},
        {"whiten", Provenance::Inferred},
    };
    auto it = known.find(key);
    return it == known.end() ? Provenance::Ours : it->second;
}

}  // namespace

namespace {

using Overrides = std::vector<PresetValue>;

Overrides joined(Overrides a, const Overrides& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// `a` with b's values in place of its own for the keys both set, and b's other keys added.
Overrides overridden(Overrides a, const Overrides& b) {
    for (const PresetValue& v : b) {
        auto same = std::ranges::find(a, v.key, &PresetValue::key);
        if (same != a.end())
            *same = v;
        else
            a.push_back(v);
    }
    return a;
}

// 16x16 whitened patches with ON/OFF inputs (docs/model.md §1, "ON/OFF inputs and whitening").
Overrides naturalImages() {
    using P = Provenance;
    return {{"patch_size", "16", P::Inferred},
            {"units", "64", P::Inferred},
            {"onoff", "true", P::Ours},
            {"theta0", "0.25", P::Authors},
            {"sampling", "random", P::Inferred},
            {"patches_per_image", "5000", P::Ours},
            {"eval_patches_per_image", "500", P::Ours}};
}

// The mechanisms beyond the paper (docs/improved-mnist.md).
Overrides improvedMechanisms() {
    using P = Provenance;
    return {{"mu_d_ratio", "1", P::Ours}, {"distance_bias", "1", P::Ours},
            {"tau_m", "5", P::Ours},      {"reset", "false", P::Ours},
            {"mu", "0.002", P::Ours},     {"mu_decay", "0.58", P::Ours}};
}

// Amplitude coding (docs/cooperative.md): integrate-and-fire neurons with reset by subtraction,
// inhibition by the overlap of fields, a hurdle per neuron kept by homeostasis, and fields learnt
// from the residual the read-out leaves.
Overrides cooperativeMechanisms() {
    using P = Provenance;
    return {{"spike_quantum", "8", P::Ours},
            {"hurdle", "40", P::Ours},
            {"target_rate", "0.0035", P::Ours},
            {"theta_mode", "per_neuron", P::Ours},
            {"theta0", "0.5", P::Ours},
            {"rho", "5e-05", P::Ours},
            {"mu", "0.01", P::Ours},
            {"mu_d_ratio", "1", P::Ours},
            {"mu_decay", "0.87", P::Ours},
            {"learning_rule", "residual", P::Ours},
            {"residual_decay", "1", P::Ours}};
}

// coop-mnist with a hurdle that grows with the number of neurons already active in the patch:
// the recruitment hurdle keeps strong patches from taking a stray third neuron, which lets a
// finer quantum and a higher rate give faint patches their first one. The hurdle a neuron paid
// is evidence its count does not report: the read-out adds it back, and a share λ_i of it
// inhibits the other neurons at the first spike, so fewer of them join to explain it again. The
// finest quantum (q = 3) with a first-spike hurdle as high as the recruitment one was chosen on
// two validation splits of the training digits; λ_i = 0.73, the weakest inhibition that kept
// every seed at most 1.95 active neurons per patch on the second split (0.05 below the limit of
// two, for the drift seen from validation to held-out digits), docs/cooperative.md.
Overrides recruitingMechanisms() {
    using P = Provenance;
    return overridden(cooperativeMechanisms(), {{"spike_quantum", "3", P::Ours},
                                                {"hurdle", "120", P::Ours},
                                                {"target_rate", "0.01", P::Ours},
                                                {"recruit_hurdle", "120", P::Ours},
                                                {"decoder_hurdle", "1", P::Ours},
                                                {"hurdle_inhibition", "0.73", P::Ours}});
}

// coop-natural's amplitude coding, chosen on a validation split of the photographs
// (docs/cooperative.md): coop-mnist's neuron, competition and homeostasis as they were with the
// STDP rule (q = 2, h = 20, p = 0.006), learning by STDP with mu_d = mu at a lower, faster-decaying
// rate, small initial weights. Under inhibition and the hurdle a neuron's count under-reports the
// amplitude of its field in the patch, so q / T = 0.05 reads out too little: the read-out adds
// back the hurdle each active neuron paid and reads with g = 0.085, chosen on the same validation
// split (the read-out does not touch learning).
Overrides naturalCooperativeMechanisms() {
    using P = Provenance;
    return {{"spike_quantum", "2", P::Ours},   {"hurdle", "20", P::Ours},
            {"target_rate", "0.006", P::Ours}, {"theta_mode", "per_neuron", P::Ours},
            {"theta0", "0.5", P::Ours},        {"rho", "5e-05", P::Ours},
            {"mu", "0.005", P::Ours},          {"mu_d_ratio", "1", P::Ours},
            {"mu_decay", "3", P::Ours},        {"init_high", "0.05", P::Ours},
            {"decoder_hurdle", "1", P::Ours},  {"decoder_gain", "0.085", P::Ours}};
}

}  // namespace

const std::vector<Preset>& presets() {
    using P = Provenance;
    static const std::vector<Preset> all = {
        {"paper-mnist",
         "The authors' own MNIST constants (RLSTDP code): 5x5 patches, K = 32, T = 40, "
         "memoryless LIF, one global threshold.",
         "builtin:mnist",
         {}},
        {"paper-natural",
         "16x16 whitened natural-image patches with ON/OFF inputs, K = 64, theta0 = 0.25.",
         kBuiltinNaturalSpec, naturalImages()},
        {"ngc-mnist",
         "ngc-learn's evstdp_patches constants on MNIST 5x5 patches: mu = mu_d = 0.0055, "
         "lambda = 0.01, weights clipped to [0.01, 1], per-neuron thresholds with a floor.",
         "builtin:mnist",
         {{"mu", "0.0055", P::NgcLearn},
          {"mu_d_ratio", "1", P::NgcLearn},
          {"lambda", "0.01", P::NgcLearn},
          {"w_clip_min", "0.01", P::NgcLearn},
          {"theta_mode", "per_neuron", P::NgcLearn},
          {"theta_floor", "0.025", P::NgcLearn},
          {"rho", "0.002", P::NgcLearn}}},
        {"improved-mnist",
         "Beyond the paper, still spiking, event-driven and local: competition on distance (each "
         "neuron's bias -|w|^2/2), unbiased STDP (mu_d = mu), a leaky membrane without reset "
         "that integrates evidence over the patch, and a decaying learning rate.",
         "builtin:mnist", improvedMechanisms()},
        {"improved-natural",
         "paper-natural with the improved-mnist mechanisms: distance competition, mu_d = mu, "
         "leaky membrane without reset, decaying learning rate; small initial weights, so that no "
         "neuron's norm bias dwarfs the others' at the start (with D = 512 and W0 ~ U[0, 1) the "
         "first winner took every patch and 95% of the neurons stayed dead), and a low softmax "
         "temperature (0.03): whitened fields differ little in potential, and with K = 256 a "
         "soft competition let theta sink until 70% of the neurons never fired.",
         kBuiltinNaturalSpec,
         joined(joined(naturalImages(), improvedMechanisms()),
                {{"init_high", "0.05", P::Ours}, {"temperature", "0.03", P::Ours}})},
        {"coop-mnist",
         "Beyond the paper, amplitude coding: integrate-and-fire neurons whose spike counts code "
         "the amplitude of their field in the patch (reset by subtraction of q |w_j|^2), "
         "inhibition of each neuron by the overlap of its field with the one that fired, so "
         "neurons cooperate on a patch, a hurdle -h theta_j per neuron whose threshold "
         "homeostasis holds each neuron near the rate p, the additive read-out "
         "x^ = (q / T) sum_j c_j w_j, and fields learnt from the residual: a spike of k adds "
         "(mu / T) (r_i - w_ik) to w_ik, r_i what input i brought to the patch so far minus "
         "what the spikes fed back.",
         "builtin:mnist", cooperativeMechanisms()},
        {"coop-mnist-sparse",
         "coop-mnist with a recruitment hurdle: the first spike of a neuron in a patch takes "
         "h2 theta_j from the potential of every neuron still silent in it, so the n-th neuron "
         "to join a patch pays h + (n - 1) h2; the read-out adds back the hurdle each active "
         "neuron paid, and 0.73 of it inhibits the others at its first spike; with "
         "q = 3, h = h2 = 120, p = 0.01 it codes a patch with at most two active neurons.",
         "builtin:mnist", recruitingMechanisms()},
        {"coop-natural",
         "Amplitude coding and the additive read-out on paper-natural's 16x16 whitened ON/OFF "
         "patches, K = 64: coop-mnist's neuron, competition and homeostasis with q = 2, h = 20, "
         "p = 0.006, learning by STDP (mu_d = mu, mu = 0.005, mu_decay = 3), small initial "
         "weights (as improved-natural); the read-out adds back the hurdle with g = 0.085; "
         "chosen on photographs the report never evaluates on.",
         kBuiltinNaturalSpec, overridden(naturalImages(), naturalCooperativeMechanisms())},
    };
    return all;
}

const Preset& findPreset(const std::string& name) {
    for (const auto& p : presets())
        if (p.name == name)
            return p;
    std::string known;
    for (const auto& p : presets())
        known += (known.empty() ? "" : ", ") + p.name;
    throw UserError("unknown preset '" + name + "' (known: " + known + ")");
}

Settings presetSettings(const std::string& name) {
    const Preset& p = findPreset(name);
    Settings s;
    for (const auto& v : p.overrides)
        applySetting(s, v.key, v.value);
    validate(s);
    return s;
}

std::vector<PresetValue> describePreset(const std::string& name) {
    const Preset& p = findPreset(name);
    const Settings s = presetSettings(name);
    std::vector<PresetValue> out;
    for (const auto& info : settingInfos()) {
        Provenance src = defaultProvenance(info.name);
        for (const auto& v : p.overrides)
            if (v.key == info.name)
                src = v.source;
        out.push_back({info.name, settingValue(s, info.name), src});
    }
    return out;
}

std::vector<std::string> presetDepartures(const Settings& s, const std::string& name) {
    const Settings preset = presetSettings(name);
    std::vector<std::string> out;
    for (const auto& info : settingInfos())
        if (settingValue(s, info.name) != settingValue(preset, info.name))
            out.push_back(info.name);
    return out;
}

namespace {

// Digit-like data: intensities with no whitening.
bool mnistLike(const std::string& spec) {
    return spec == "builtin:mnist" || spec.starts_with("idx:");
}

bool builtinPhotographs(const std::string& spec) {
    return spec == kBuiltinNaturalSpec || spec == kBuiltinNaturalEvalSpec;
}

}  // namespace

std::string dataForPreset(const Preset& p, const std::string& current) {
    if (p.default_data == kBuiltinNaturalSpec && mnistLike(current))
        return p.default_data;
    if (mnistLike(p.default_data) && builtinPhotographs(current))
        return p.default_data;
    return current;
}

std::optional<std::string> paperPresetForSpec(const std::string& spec) {
    if (builtinPhotographs(spec) || spec.starts_with("images:"))
        return std::string("paper-natural");
    if (mnistLike(spec))
        return std::string("paper-mnist");
    return std::nullopt;
}

std::optional<std::string> presetForData(const std::string& preset, const std::string& spec) {
    const Preset* current = nullptr;
    for (const auto& p : presets())
        if (p.name == preset)
            current = &p;
    if (!builtinPhotographs(spec) || !current || !mnistLike(current->default_data))
        return std::nullopt;
    if (preset.starts_with("improved-"))
        return std::string("improved-natural");
    if (preset.starts_with("coop-"))
        return std::string("coop-natural");
    return std::string("paper-natural");
}

}  // namespace stdp
