// The step view's record of a step (StepTracer) against the model's equations: what it shows
// must be what the layer did, and watching must change nothing.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "foundation/Random.h"
#include "model/RepresentationLayer.h"
#include "model/StepTrace.h"

using namespace stdp;

namespace {

struct LayerSetup {
    StructureSettings structure;
    DynamicsSettings dynamics;
};

LayerSetup smallLayer(bool learn, double tau_m, int epsilon = 0) {
    LayerSetup s;
    s.structure.patch_size = 3;
    s.structure.units = 7;
    s.structure.theta0 = 0.2;
    s.structure.seed = 11;
    s.dynamics.tau_m = tau_m;
    s.dynamics.reset = true;
    s.dynamics.learn = learn;
    s.dynamics.epsilon = epsilon;
    s.dynamics.mu = 0.05;  // large, so that the field changes are far above float rounding
    s.dynamics.mu_d_ratio = 0.6;
    s.dynamics.lambda = 0.1;
    s.dynamics.rho = 0.01;
    s.dynamics.temperature = 0.5;
    return s;
}

// Random spike lists over `inputs` inputs, each input spiking with probability 0.3.
std::vector<std::vector<std::int32_t>> spikeTrains(int inputs, int steps, std::uint64_t seed) {
    Rng rng(seed * 7919 + 3);
    std::vector<std::vector<std::int32_t>> out(static_cast<std::size_t>(steps));
    for (auto& step : out)
        for (int i = 0; i < inputs; ++i)
            if (rng.uniform() < 0.3)
                step.push_back(i);
    return out;
}

}  // namespace

TEST(StepTrace, WatchingChangesNothing) {
    const LayerSetup s = smallLayer(true, 4.0);
    RepresentationLayer watched(s.structure, s.dynamics);
    RepresentationLayer alone(s.structure, s.dynamics);
    StepTracer tracer;
    tracer.prime(watched);
    const auto trains = spikeTrains(watched.inputs(), 200, 5);
    for (std::size_t t = 0; t < trains.size(); ++t) {
        if (t % 40 == 0) {
            watched.beginPatch();
            alone.beginPatch();
        }
        watched.step(trains[t], &tracer);
        alone.step(trains[t]);
    }
    EXPECT_EQ(watched.weights(), alone.weights());
    EXPECT_EQ(watched.thresholds(), alone.thresholds());
    EXPECT_EQ(tracer.take().size(), trains.size());
}

// Amplitude coding steps by model::CooperativeStep, whose Gram matrix of the fields lives across
// calls: watched step by step, it does what whole patches stepped at once do, and the record
// shows each step's winner and the field it learned.
TEST(StepTrace, WatchingAmplitudeCodingChangesNothing) {
    LayerSetup s = smallLayer(true, 0.0);
    s.dynamics.spike_quantum = 1.0;
    s.dynamics.hurdle = 2.0;
    s.dynamics.target_rate = 0.05;
    s.dynamics.mu_d_ratio = 1.0;
    s.dynamics.lambda = 0.0;
    RepresentationLayer watched(s.structure, s.dynamics);
    RepresentationLayer alone(s.structure, s.dynamics);
    StepTracer tracer;
    tracer.prime(watched);
    const auto trains = spikeTrains(watched.inputs(), 200, 6);
    std::vector<std::int32_t> indices, offsets{0};
    for (const auto& t : trains) {
        indices.insert(indices.end(), t.begin(), t.end());
        offsets.push_back(static_cast<std::int32_t>(indices.size()));
    }
    std::uint64_t fired = 0;
    for (std::size_t t = 0; t < trains.size(); ++t) {
        if (t % 40 == 0)
            watched.beginPatch();
        watched.step(trains[t], &tracer);
        fired += watched.fired().size();
    }
    std::uint64_t fired_alone = 0;
    for (int first = 0; first < static_cast<int>(trains.size()); first += 40) {
        alone.beginPatch();
        fired_alone += alone.steps(indices, offsets, first, first + 40);
    }
    EXPECT_GT(fired, 0u);
    EXPECT_EQ(fired, fired_alone);
    EXPECT_EQ(watched.weights(), alone.weights());
    EXPECT_EQ(watched.thresholds(), alone.thresholds());
    const auto traces = tracer.take();
    ASSERT_EQ(traces.size(), trains.size());
    for (const StepTracePtr& t : traces) {
        ASSERT_LE(t->fired.size(), 1u);  // at most one spike per step
        ASSERT_EQ(t->winners.size(), t->fired.size());
        if (!t->fired.empty()) {
            EXPECT_EQ(t->winners[0].neuron, t->fired[0]);
            EXPECT_NE(t->winners[0].before, t->winners[0].after);
        }
    }
}

TEST(StepTrace, EachPhaseFollowsItsEquation) {
    for (const double tau_m : {0.0, 3.0}) {
        const LayerSetup s = smallLayer(true, tau_m);
        RepresentationLayer layer(s.structure, s.dynamics);
        StepTracer tracer;
        tracer.prime(layer);
        layer.beginPatch();
        const auto trains = spikeTrains(layer.inputs(), 300, 9);
        // W before the next step, followed from the traces alone (only winners change).
        WeightMatrix w = layer.weights();
        std::vector<double> u_prev(static_cast<std::size_t>(layer.units()), 0.0);
        int winners_seen = 0;
        for (const auto& spikes : trains) {
            layer.step(spikes, &tracer);
            const auto traces = tracer.take();
            ASSERT_EQ(traces.size(), 1u);
            const StepTrace& t = *traces[0];
            ASSERT_EQ(t.input_spikes, spikes);
            // Integrate: U_j = decay U_j(t-1) + sum_i W_ij x_i (before the reset).
            double sum = 0.0;
            for (int j = 0; j < t.units; ++j) {
                double u = t.membrane_decay * u_prev[static_cast<std::size_t>(j)];
                for (const std::int32_t i : spikes)
                    u += w(i, j);
                EXPECT_NEAR(t.potential[static_cast<std::size_t>(j)], u, 1e-4) << "U_" << j;
                sum += std::exp(t.potential[static_cast<std::size_t>(j)] / t.temperature);
            }
            // Inhibit: P = softmax(U / tau_s). Fire: z_j = [P_j >= theta_j].
            std::vector<std::int32_t> expected_fired;
            for (int j = 0; j < t.units; ++j) {
                const double p =
                    std::exp(t.potential[static_cast<std::size_t>(j)] / t.temperature) / sum;
                EXPECT_NEAR(t.softmax[static_cast<std::size_t>(j)], p, 1e-5) << "P_" << j;
                if (t.softmax[static_cast<std::size_t>(j)] >= t.thresholdOf(j, false))
                    expected_fired.push_back(j);
            }
            EXPECT_EQ(t.fired, expected_fired);
            // Learn: causal inputs LTP, all others LTD, each winner's field alone.
            ASSERT_EQ(t.winners.size(), t.fired.size());
            for (const auto& winner : t.winners) {
                ++winners_seen;
                for (int i = 0; i < t.inputs; ++i) {
                    const double before = w(i, winner.neuron);
                    EXPECT_FLOAT_EQ(winner.before[static_cast<std::size_t>(i)], float(before));
                    const bool causal = std::find(spikes.begin(), spikes.end(), i) != spikes.end();
                    const double after = causal ? before + t.mu * (1.0 - before * (1.0 + t.lambda))
                                                : before - t.mu_d * before * (1.0 + t.lambda);
                    EXPECT_NEAR(winner.after[static_cast<std::size_t>(i)], after, 1e-5);
                    w(i, winner.neuron) = winner.after[static_cast<std::size_t>(i)];
                }
            }
            // Adapt theta: theta += rho (n_fired - 1).
            const double theta =
                std::clamp(t.theta_before[0] + t.rho * (static_cast<double>(t.fired.size()) - 1.0),
                           t.theta_floor, 1.0);
            EXPECT_NEAR(t.theta_after[0], theta, 1e-6);
            for (int j = 0; j < t.units; ++j)
                u_prev[static_cast<std::size_t>(j)] = t.potential[static_cast<std::size_t>(j)];
            for (const std::int32_t j : t.fired)
                u_prev[static_cast<std::size_t>(j)] = 0.0;  // reset
        }
        EXPECT_GT(winners_seen, 20) << "the test must see learning";
        // What the traces say the weights became is what the layer holds.
        const WeightMatrix now = layer.weights();
        EXPECT_LT((now - w).cwiseAbs().maxCoeff(), 1e-6);
    }
}

TEST(StepTrace, WindowedStdpShowsTheWindowsInputs) {
    const LayerSetup s = smallLayer(true, 0.0, 3);
    RepresentationLayer layer(s.structure, s.dynamics);
    StepTracer tracer;
    tracer.prime(layer);
    layer.beginPatch();
    const auto trains = spikeTrains(layer.inputs(), 40, 21);
    int checked = 0;
    for (std::size_t t = 0; t < trains.size(); ++t) {
        layer.step(trains[t], &tracer);
        const auto traces = tracer.take();
        const StepTrace& trace = *traces[0];
        if (trace.fired.empty())
            continue;
        std::vector<std::int32_t> window;
        for (int i = 0; i < layer.inputs(); ++i)
            for (std::size_t back = 0; back <= 3 && back <= t; ++back)
                if (std::count(trains[t - back].begin(), trains[t - back].end(), i)) {
                    window.push_back(i);
                    break;
                }
        EXPECT_EQ(trace.causal, window) << "step " << t;
        ++checked;
    }
    EXPECT_GT(checked, 3);
}

TEST(StepTrace, PrimingAfterUnwatchedSteps) {
    const LayerSetup s = smallLayer(true, 0.0);
    RepresentationLayer layer(s.structure, s.dynamics);
    StepTracer tracer;
    tracer.prime(layer);
    const auto trains = spikeTrains(layer.inputs(), 120, 33);
    layer.beginPatch();
    for (std::size_t t = 0; t < 100; ++t)
        layer.step(trains[t]);  // unwatched: the tracer's copy is stale
    EXPECT_FALSE(tracer.primedFor(layer));
    for (std::size_t t = 100; t < trains.size(); ++t) {
        const WeightMatrix before = layer.weights();
        if (!tracer.primedFor(layer))
            tracer.prime(layer);
        layer.step(trains[t], &tracer);
        for (const auto& trace : tracer.take())
            for (const auto& winner : trace->winners)
                for (int i = 0; i < layer.inputs(); ++i)
                    EXPECT_EQ(winner.before[static_cast<std::size_t>(i)], before(i, winner.neuron));
    }
    EXPECT_TRUE(tracer.primedFor(layer));
}

TEST(StepTrace, KeepsOnlyTheNewest) {
    const LayerSetup s = smallLayer(false, 0.0);
    RepresentationLayer layer(s.structure, s.dynamics);
    StepTracer tracer;
    tracer.setKeep(5);
    tracer.prime(layer);
    layer.beginPatch();
    const auto trains = spikeTrains(layer.inputs(), 12, 2);
    for (const auto& spikes : trains)
        layer.step(spikes, &tracer);
    const auto traces = tracer.take();
    ASSERT_EQ(traces.size(), 5u);
    EXPECT_EQ(traces.front()->tick, 7u);
    EXPECT_EQ(traces.back()->tick, 11u);
    EXPECT_TRUE(tracer.take().empty());
}
