// Settings refuse bad values with their name and range and round-trip through text; the paper
// preset holds the authors' constants.
#include <gtest/gtest.h>

#include <algorithm>

#include "foundation/Settings.h"
#include "foundation/SettingsJson.h"
#include "model/Presets.h"

using namespace stdp;

TEST(Settings, RefusesBadValuesWithNameAndRange) {
    Settings s;
    try {
        applySetting(s, "mu", "nan");
        FAIL() << "NaN accepted";
    } catch (const UserError& e) {
        EXPECT_NE(std::string(e.what()).find("'mu'"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("[0, 1]"), std::string::npos);
    }
    EXPECT_THROW(applySetting(s, "rho", "-1e-5"), UserError);
    EXPECT_THROW(applySetting(s, "theta0", "1"), UserError);
    EXPECT_THROW(applySetting(s, "theta0", "0"), UserError);
    EXPECT_THROW(applySetting(s, "units", "3.5"), UserError);
    EXPECT_THROW(applySetting(s, "no_such_key", "1"), UserError);
    EXPECT_THROW(applyAssignment(s, "mu"), UserError);
    s.dynamics.mu = std::numeric_limits<double>::quiet_NaN();
    EXPECT_THROW(validate(s), UserError);
    Settings ok;
    applyAssignment(ok, "theta0=0.3");
    EXPECT_DOUBLE_EQ(ok.structure.theta0, 0.3);
    applyAssignment(ok, "theta_mode=per_neuron");
    EXPECT_EQ(ok.structure.theta_mode, ThresholdMode::PerNeuron);
}

TEST(Settings, ValuesRoundTripThroughText) {
    const Settings s = presetSettings("ngc-mnist");
    Settings copy;
    for (const SettingInfo& info : settingInfos())
        applySetting(copy, info.name, settingValue(s, info.name));
    for (const SettingInfo& info : settingInfos())
        EXPECT_EQ(settingValue(copy, info.name), settingValue(s, info.name)) << info.name;
}

// A subnormal value is in range for a setting whose minimum is 0; it must print and save like any
// other number (strtod-based parsing reports it as out of range).
TEST(Settings, SubnormalValuesPrintAndSave) {
    Settings s;
    applySetting(s, "spike_quantum", "1e-320");
    EXPECT_EQ(settingValue(s, "spike_quantum"), "1e-320");
    EXPECT_EQ(settingsToJson(s)["spike_quantum"].get<double>(), s.dynamics.spike_quantum);
    Settings copy;
    applySetting(copy, "spike_quantum", settingValue(s, "spike_quantum"));
    EXPECT_EQ(copy.dynamics.spike_quantum, s.dynamics.spike_quantum);
}

TEST(Presets, PaperMnistHasTheAuthorsConstants) {
    const Settings s = presetSettings("paper-mnist");
    EXPECT_EQ(s.structure.patch_size, 5);
    EXPECT_EQ(s.structure.units, 32);
    EXPECT_EQ(s.dynamics.steps, 40);
    EXPECT_DOUBLE_EQ(s.dynamics.mu, 5e-4);
    EXPECT_DOUBLE_EQ(s.dynamics.muD(), 0.75 * 5e-4);
    EXPECT_DOUBLE_EQ(s.dynamics.rho, 5e-5);
    EXPECT_DOUBLE_EQ(s.structure.theta0, 0.15);
    EXPECT_DOUBLE_EQ(s.dynamics.tau_m, 0.0);
    const Settings n = presetSettings("paper-natural");
    EXPECT_EQ(n.structure.patch_size, 16);
    EXPECT_TRUE(n.structure.onoff);
    EXPECT_EQ(n.structure.units, 64);
    EXPECT_DOUBLE_EQ(n.structure.theta0, 0.25);
    EXPECT_THROW(presetSettings("nope"), UserError);
    for (const PresetValue& v : describePreset("ngc-mnist")) {
        if (v.key == "mu") {
            EXPECT_EQ(v.source, Provenance::NgcLearn);
        }
    }
}

// What the studio calls a modified preset: every setting that is not the preset's, whatever its
// group (a structure value, a live one, the learning rule a new network took).
TEST(Presets, DeparturesNameEverySettingThatIsNotThePresets) {
    Settings s = presetSettings("coop-mnist");
    EXPECT_TRUE(presetDepartures(s, "coop-mnist").empty());
    EXPECT_FALSE(presetDepartures(s, "paper-mnist").empty());
    applySetting(s, "learning_rule", "stdp");
    applySetting(s, "mu", "0.02");
    applySetting(s, "units", "40");
    const std::vector<std::string> expected = {"units", "mu", "learning_rule"};
    std::vector<std::string> got = presetDepartures(s, "coop-mnist");
    std::sort(got.begin(), got.end());
    std::vector<std::string> want = expected;
    std::sort(want.begin(), want.end());
    EXPECT_EQ(got, want);
    EXPECT_THROW(presetDepartures(s, "nope"), UserError);
}

// Values are printed (presets, model.json, messages) as a user writes them.
TEST(Settings, NumbersPrintAsAUserWritesThem) {
    EXPECT_EQ(numberText("patch_size", 40), "40");
    EXPECT_EQ(numberText("onoff_scale", 40), "40");
    EXPECT_EQ(numberText("onoff_scale", 25), "25");
    EXPECT_EQ(numberText("onoff_scale", 12.5), "12.5");
    EXPECT_EQ(numberText("onoff_scale", 1200), "1200");
    EXPECT_EQ(numberText("onoff_scale", 0.25), "0.25");
    EXPECT_EQ(numberText("mu", 0.0005), "0.0005");
    EXPECT_EQ(numberText("mu", 5e-5), "5e-05");
    EXPECT_EQ(numberText("mu", 0.1 + 0.2), "0.30000000000000004");
    Settings s;
    applySetting(s, "onoff_scale", "40");
    EXPECT_EQ(settingValue(s, "onoff_scale"), "40");
    for (const Preset& p : presets())
        for (const PresetValue& v : describePreset(p.name))
            EXPECT_EQ(v.value.find("e+"), std::string::npos)
                << p.name << " " << v.key << " " << v.value;
}
