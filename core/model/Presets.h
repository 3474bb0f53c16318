#pragma once
// Named sets of settings, each value tagged with where it comes from (docs/model.md §2).

#include <optional>
#include <string>
#include <vector>

#include "foundation/Settings.h"

namespace stdp {

struct PresetValue {
    std::string key;
    std::string value;
    Provenance source;
};

struct Preset {
    std::string name;
    std::string description;
    std::string default_data;            // data SPEC the preset was made for
    std::vector<PresetValue> overrides;  // applied on top of the defaults
};

const std::vector<Preset>& presets();
const Preset& findPreset(const std::string& name);  // throws UserError naming the known presets
Settings presetSettings(const std::string& name);
// Every setting of the preset with its value and provenance, in table order.
std::vector<PresetValue> describePreset(const std::string& name);
// The settings whose value in `s` is not preset `name`'s, in table order (empty: `s` is the
// preset as it is). Throws UserError for an unknown preset.
std::vector<std::string> presetDepartures(const Settings& s, const std::string& name);

// The data to run preset `p` on when it is picked while `current` is loaded: the preset's own
// built-in set when `current` is of the other kind (digits under a natural-image preset, built-in
// photographs under an MNIST preset: neither learns anything the preset was made for); otherwise
// `current`, so a user's own file or folder is kept.
std::string dataForPreset(const Preset& p, const std::string& current);
// The converse: the preset to switch to when the built-in photographs are picked under a preset
// made for digits (which cannot learn from whitened images): its natural-image counterpart
// (improved-mnist -> improved-natural, coop-mnist -> coop-natural, the others ->
// paper-natural). Empty when `preset` fits.
std::optional<std::string> presetForData(const std::string& preset, const std::string& spec);
// The paper preset whose patches suit SPEC's kind of data when none is named: paper-natural
// (16x16 ON/OFF) for photographs (images:DIR, builtin:natural, builtin:natural-eval),
// paper-mnist (5x5) for digits (builtin:mnist, idx:PATH); empty when SPEC says neither.
std::optional<std::string> paperPresetForSpec(const std::string& spec);

}  // namespace stdp
