// Experiment files: a run with live changes written down, read back exactly, refused when wrong,
// and replayed to the same bits as the run that made it (the studio's worker path).

#include <gtest/gtest.h>

#include <fstream>

#include "TestFiles.h"
#include "data/Dataset.h"
#include "io/Bundle.h"
#include "model/Experiment.h"
#include "model/Presets.h"
#include "model/TrainingSession.h"

using namespace stdp;
using stdp::testing::TempDir;

namespace {

std::shared_ptr<const ImageSet> digits(std::size_t count) {
    return std::make_shared<const ImageSet>(loadDataSpec("builtin:mnist", {}, 0, count));
}

Experiment sampleExperiment() {
    Experiment e;
    e.preset = "paper-mnist";
    e.settings = presetSettings("paper-mnist");
    e.settings.structure.seed = 12345678901234567ull;  // beyond a double's integers
    e.data_spec = "builtin:mnist";
    e.images = 6;
    e.steps = 70001;
    e.changes = {{1000, 0, "mu", "0.005"},
                 {1000, 0, "temperature", "0.5"},
                 {50000, 2, "mu_d_ratio", "0.3333333333333333"},
                 {55000, 3, "theta", "0.2"},
                 {60000, 3, "theta_adapt", "false"}};
    return e;
}

// What the studio's worker does: runs of 16 steps with an observer, live changes applied between
// two runs when the step count reaches them.
struct CountingObserver : StepObserver {
    std::uint64_t steps = 0;
    void onStep(const RepresentationLayer&, std::span<const std::int32_t>) override { ++steps; }
};

void trainLikeTheStudio(TrainingSession& session, const Experiment& e) {
    CountingObserver observer;
    Settings live = session.settings();
    std::size_t next = 0;
    while (session.counters().steps < e.steps) {
        while (next < e.changes.size() && e.changes[next].step <= session.counters().steps) {
            const LiveChange& c = e.changes[next++];
            if (c.setting == kThetaNow) {  // as the worker's setThreshold
                std::vector<float> t = session.layer().thresholds();
                std::fill(t.begin(), t.end(), std::stof(c.value));
                session.layer().setThresholds(t);
            } else {
                applyChange(live, c);
                session.setDynamics(live.dynamics);
            }
        }
        std::uint64_t run = std::min<std::uint64_t>(16, e.steps - session.counters().steps);
        if (next < e.changes.size())
            run = std::min(run, e.changes[next].step - session.counters().steps);
        if (!session.advance(StepUnit::Step, run, &observer))
            break;
    }
}

void expectRefused(const std::string& text, const std::string& words) {
    try {
        experimentFromJson(text, "x.json");
        FAIL() << "accepted (expected: " << words << ")";
    } catch (const UserError& err) {
        EXPECT_NE(std::string(err.what()).find(words), std::string::npos) << err.what();
        EXPECT_EQ(std::string(err.what()).rfind("x.json", 0), 0u) << err.what();
    }
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos)
        text.replace(at, from.size(), to);
    return text;
}

}  // namespace

TEST(Experiment, ReadsBackExactly) {
    const Experiment e = sampleExperiment();
    const std::string text = experimentToJson(e);
    EXPECT_TRUE(looksLikeExperiment(text));
    const Experiment back = experimentFromJson(text, "e.json");
    EXPECT_EQ(back.preset, e.preset);
    EXPECT_EQ(back.settings.structure.seed, e.settings.structure.seed);
    for (const SettingInfo& info : settingInfos())
        EXPECT_EQ(settingValue(back.settings, info.name), settingValue(e.settings, info.name))
            << info.name;
    EXPECT_EQ(back.data_spec, e.data_spec);
    EXPECT_EQ(back.images, e.images);
    EXPECT_EQ(back.steps, e.steps);
    ASSERT_EQ(back.changes.size(), e.changes.size());
    for (std::size_t n = 0; n < e.changes.size(); ++n) {
        EXPECT_EQ(back.changes[n].step, e.changes[n].step);
        EXPECT_EQ(back.changes[n].setting, e.changes[n].setting);
        EXPECT_EQ(back.changes[n].value, e.changes[n].value);
    }
    EXPECT_EQ(experimentToJson(back), text);
}

// Version 1 was written when mu_decay counted images (per 1,000): read with the value that
// means the same in patches, in the settings and in its live changes.
TEST(Experiment, ImageClockVersionKeepsItsSchedule) {
    Experiment e = sampleExperiment();
    e.settings.dynamics.mu_decay = 2.0;
    e.changes.push_back({65000, 3, "mu_decay", "4"});
    const std::string v1 = replace(experimentToJson(e), "\"version\": 2", "\"version\": 1");
    const Experiment back = experimentFromJson(v1, "old.json");
    const double per_image = 343.356;  // every overlapping 5x5 patch: the built-in digits' mean
    EXPECT_NEAR(back.settings.dynamics.mu_decay, 2.0 * 100000.0 / (1000.0 * per_image), 1e-12);
    ASSERT_EQ(back.changes.size(), e.changes.size());
    EXPECT_NEAR(std::stod(back.changes.back().value), 4.0 * 100000.0 / (1000.0 * per_image), 1e-12);
    EXPECT_EQ(back.changes.front().value, "0.005");  // other settings are as written
}

TEST(Experiment, RefusesWhatCannotBeReplayed) {
    const std::string good = experimentToJson(sampleExperiment());
    expectRefused("{}", "not an experiment file");
    expectRefused("[1, 2]", "not an experiment file");
    expectRefused(replace(good, "\"version\": 2", "\"version\": 9"), "version 9");
    expectRefused(replace(good, "\"version\": 2", "\"version\": 0"), "version 0");
    expectRefused(replace(good, "\"steps\": 70001", "\"steps\": -1"), "'steps' must be");
    expectRefused(replace(good, "\"steps\": 70001", "\"steps\": 70001, \"extra\": 1"),
                  "unknown key 'extra'");
    expectRefused(replace(good, "\"setting\": \"temperature\"", "\"setting\": \"units\""),
                  "change 2: setting 'units' cannot change while the network learns");
    expectRefused(replace(good, "\"value\": \"0.005\"", "\"value\": \"-1\""), "change 1");
    expectRefused(replace(good, "\"value\": \"0.005\"", "\"value\": \"nan\""), "change 1");
    expectRefused(replace(good, "\"step\": 50000", "\"step\": 10"), "comes before");
    expectRefused(replace(good, "\"step\": 60000", "\"step\": 99999"), "after the end of the run");
    expectRefused(replace(good, "\"value\": \"0.2\"", "\"value\": \"1.5\""),
                  "change 4: the threshold 'theta' must be a number in (0, 1)");
    expectRefused(replace(good, "\"mu\": 0.0005", "\"mu\": \"0.0005\""), "'settings.mu'");
    // mu_d_ratio = 100 is in range, but after a change to mu = 0.05 LTD would flip the weights'
    // sign (mu mu_d_ratio > 1): refused where it applies, naming the rule.
    expectRefused(replace(replace(good, "\"value\": \"0.005\"", "\"value\": \"0.05\""),
                          "\"value\": \"0.3333333333333333\"", "\"value\": \"100\""),
                  "change 3: settings 'mu', 'mu_d_ratio', 'lambda'");
}

TEST(Experiment, ReplayGivesTheStudiosBits) {
    const Experiment e = sampleExperiment();
    const auto data = digits(e.images);
    TrainingSession studio(e.settings, data);
    trainLikeTheStudio(studio, e);
    ASSERT_EQ(studio.counters().steps, e.steps);

    TrainingSession replay(e.settings, data);
    EXPECT_EQ(trainWithChanges(replay, e.steps, e.changes), e.steps);
    EXPECT_EQ(replay.layer().weights(), studio.layer().weights());
    EXPECT_EQ(replay.layer().thresholds(), studio.layer().thresholds());
    EXPECT_EQ(replay.counters().spikes, studio.counters().spikes);
    EXPECT_FALSE(replay.settings().dynamics.theta_adapt);  // the last change took effect

    // The changes mattered: without them the same steps end elsewhere.
    TrainingSession plain(e.settings, data);
    plain.advance(StepUnit::Step, e.steps);
    EXPECT_NE(plain.layer().weights(), replay.layer().weights());
}

// The studio's Loop: a run longer than its data went on with more passes; the replay too.
TEST(Experiment, ARunThatLoopedReplaysItsLoops) {
    Experiment e = sampleExperiment();
    e.images = 2;
    const auto data = digits(e.images);
    TrainingSession studio(e.settings, data);
    Settings live = e.settings;
    std::size_t next = 0;
    while (studio.counters().images < 5) {  // two and a half passes, in the worker's runs
        while (next < e.changes.size() && e.changes[next].step <= studio.counters().steps)
            applyChange(studio, live, e.changes[next++]);
        std::uint64_t run = 16;
        if (next < e.changes.size())
            run = std::min(run, e.changes[next].step - studio.counters().steps);
        if (!studio.advance(StepUnit::Step, run))
            studio.addEpoch();  // SimulationWorker::loopIfFinished
    }
    e.steps = studio.counters().steps;
    ASSERT_GT(e.steps, e.changes.back().step);  // 5 images of 2: past two ends of the data
    TrainingSession replay(e.settings, data);
    EXPECT_EQ(trainWithChanges(replay, e.steps, e.changes), e.steps);
    EXPECT_EQ(replay.layer().weights(), studio.layer().weights());
    EXPECT_EQ(replay.counters().images, studio.counters().images);
}

TEST(Experiment, SavedAtomicallyAndLoadedAsConfig) {
    TempDir dir;
    const Experiment e = sampleExperiment();
    saveExperiment(dir.file("e.json"), e);
    EXPECT_EQ(experimentToJson(loadConfig(dir.file("e.json"))), experimentToJson(e));
    EXPECT_THROW(loadConfig(dir.file("missing.json")), UserError);

    // A bundle folder and its model.json are configurations too: settings, preset, data.
    TrainingSession session(e.settings, digits(2));
    session.trainImages(2);
    ModelBundle b = bundleFromLayer(session.layer(), e.settings);
    b.preset = "paper-mnist";
    b.data_source = "builtin:mnist";
    b.created_by = "test";
    saveBundle(dir.file("bundle"), b);
    for (const std::string& path : {dir.file("bundle"), dir.file("bundle") + "/model.json"}) {
        const Experiment c = loadConfig(path);
        EXPECT_EQ(c.preset, "paper-mnist");
        EXPECT_EQ(c.data_spec, "builtin:mnist");
        EXPECT_EQ(c.settings.structure.seed, e.settings.structure.seed);
        EXPECT_TRUE(c.changes.empty());
    }
    std::ofstream(dir.file("other.json")) << "{\"hello\": 1}";
    EXPECT_THROW(loadConfig(dir.file("other.json")), UserError);
}

TEST(Experiment, CommandNamesEveryChangedSetting) {
    Experiment e = sampleExperiment();
    e.changes.clear();
    e.steps = 0;
    bool omitted = true;
    const std::string cmd = trainCommand(e, "my run", &omitted);
    EXPECT_FALSE(omitted);
    EXPECT_EQ(cmd,
              "stdp-cli train --preset paper-mnist --set seed=12345678901234567 "
              "--data builtin:mnist --images 6 --out 'my run'");
    e.settings.dynamics.mu = 0.001;
    EXPECT_NE(trainCommand(e, "out", nullptr).find("--set mu=0.001 "), std::string::npos);
    EXPECT_TRUE((trainCommand(sampleExperiment(), "out", &omitted), omitted));
}
