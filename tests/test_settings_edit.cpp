// The settings table as the studio's panel reads it, the one check of a window edit, and the
// change log's CSV.
#include <gtest/gtest.h>

#include <limits>

#include "foundation/ChangeLog.h"
#include "foundation/Settings.h"
#include "model/Presets.h"

using namespace stdp;

TEST(SettingsTable, EveryPanelSettingHasAUsableHint) {
    int live = 0;
    for (const SettingInfo& i : settingInfos()) {
        if (i.panel.section == PanelSection::None)
            continue;
        if (i.kind == SettingKind::Seed || i.kind == SettingKind::Bool)
            continue;
        EXPECT_LT(i.panel.lo, i.panel.hi) << i.name;
        EXPECT_GE(i.panel.lo, i.min) << i.name;
        EXPECT_LE(i.panel.hi, i.max) << i.name;
        if (i.panel.log_scale) {
            EXPECT_GT(i.panel.lo, 0.0) << i.name;
        }
        if (i.panel.section != PanelSection::Structure) {
            // The learning rule is the one exception: the panel offers it for a new network,
            // with a button that says so (test_parameter_panel).
            if (i.name != "learning_rule") {
                EXPECT_TRUE(i.live) << i.name << ": only live settings change without a reset";
            }
            live += i.live ? 1 : 0;
        }
    }
    EXPECT_GE(live, 10);
}

TEST(CheckValue, AcceptsExactValues) {
    const Settings s = presetSettings("paper-mnist");
    const ValueCheck c = checkValue(s, "rho", 5e-5);
    ASSERT_TRUE(c.accepted) << c.refusal;
    EXPECT_EQ(c.value, 5e-5);
    EXPECT_EQ(c.settings.dynamics.rho, 5e-5);
    EXPECT_TRUE(c.note.empty());
    const ValueCheck tiny = checkValue(s, "mu", 1e-30);
    ASSERT_TRUE(tiny.accepted);
    EXPECT_EQ(tiny.settings.dynamics.mu, 1e-30);
}

TEST(CheckValue, ClampsToAClosedBoundAndSaysSo) {
    const Settings s = presetSettings("paper-mnist");
    const ValueCheck c = checkValue(s, "steps", 1e-30);
    ASSERT_TRUE(c.accepted);
    EXPECT_EQ(c.settings.dynamics.steps, 1);
    EXPECT_NE(c.note.find("clamped to 1, the smallest allowed"), std::string::npos) << c.note;
    const ValueCheck r = checkValue(s, "epsilon", 2.4);
    ASSERT_TRUE(r.accepted);
    EXPECT_EQ(r.settings.dynamics.epsilon, 2);
    EXPECT_NE(r.note.find("rounded to 2"), std::string::npos) << r.note;
}

TEST(CheckValue, RefusesOpenBoundsNonFiniteAndCrossSettingRules) {
    const Settings s = presetSettings("paper-mnist");
    const ValueCheck open = checkValue(s, "temperature", 0.0);
    EXPECT_FALSE(open.accepted);
    EXPECT_FALSE(open.cross_setting);
    EXPECT_NE(open.refusal.find("temperature must be above 0"), std::string::npos) << open.refusal;
    EXPECT_FALSE(checkValue(s, "mu", std::numeric_limits<double>::quiet_NaN()).accepted);
    Settings high = s;
    high.dynamics.mu = 0.5;
    const ValueCheck cross = checkValue(high, "lambda", 2.0);
    EXPECT_FALSE(cross.accepted);
    EXPECT_TRUE(cross.cross_setting);
    EXPECT_NE(cross.refusal.find("mu * (1 + lambda) <= 1"), std::string::npos) << cross.refusal;
    EXPECT_FALSE(checkValue(s, "seed", 3.0).accepted);
    EXPECT_FALSE(checkValue(s, "no_such", 3.0).accepted);
}

TEST(CheckValue, LiveDifferencesListChangedSettingsExactly) {
    DynamicsSettings a;
    DynamicsSettings b = a;
    b.mu = 0.1 + 0.2;  // not 0.3: the exact double must survive
    b.learn = false;
    const auto d = liveDifferences(a, b);
    ASSERT_EQ(d.size(), 2u);
    EXPECT_EQ(d[0].name, "mu");
    EXPECT_EQ(d[0].new_value, 0.1 + 0.2);
    EXPECT_EQ(d[1].name, "learn");
    EXPECT_EQ(numberText("learn", d[1].new_value), "false");
    EXPECT_EQ(numberText("mu", 0.1 + 0.2), "0.30000000000000004");
}

TEST(ChangeLog, ValuesOfNamesOutsideTheTableStayExact) {
    EXPECT_EQ(ChangeLog::valueText("theta", 0.1 + 0.2), "0.30000000000000004");
    EXPECT_EQ(ChangeLog::valueText("theta", 0.15), "0.15");
    EXPECT_EQ(ChangeLog::valueText("epsilon", 3.0), "3");
}

TEST(ChangeLog, CsvIsRfc4180WithExactValues) {
    ChangeLog log;
    log.append({1764601445123, 12, 48000, "mu", 5e-4, 0.1 + 0.2, ChangeOrigin::User});
    log.append({1764601446000, 13, 52000, "odd,\"name\"", 1.0, 2.0, ChangeOrigin::Undo});
    const std::string csv = log.csv();
    EXPECT_EQ(csv,
              "wall_time_utc,images,steps,setting,old,new,origin\r\n"
              "2025-12-01T15:04:05.123Z,12,48000,mu,0.0005,0.30000000000000004,user\r\n"
              "2025-12-01T15:04:06.000Z,13,52000,\"odd,\"\"name\"\"\",1,2,undo\r\n");
}

TEST(ChangeLog, TheWorkersMomentReplacesTheEditors) {
    ChangeLog log;
    ChangeLogEntry mu;
    mu.setting = "mu";
    mu.steps = 10;
    log.append(mu);
    log.append(mu);
    ChangeLogEntry rho;
    rho.setting = "rho";
    log.append(rho);
    EXPECT_TRUE(log.confirm("mu", 3, 1234));
    EXPECT_EQ(log.entries()[0].steps, 1234u);
    EXPECT_EQ(log.entries()[0].images, 3u);
    EXPECT_FALSE(log.entries()[1].confirmed);
    EXPECT_TRUE(log.confirm("mu", 4, 2000));
    EXPECT_EQ(log.entries()[1].steps, 2000u);
    EXPECT_FALSE(log.confirm("mu", 5, 3000));  // none left to confirm
    EXPECT_FALSE(log.confirm("lambda", 5, 3000));
    EXPECT_FALSE(log.entries()[2].confirmed);
}
