// Cost of one layer step as K and the patch size p grow, on pre-cut patches (no encoding), so
// the figures isolate RepresentationLayer::step. The event-driven claim of issue 5 is that the
// cost grows with (active inputs x K), not (D x K): "ns/(act*K)" should stay roughly flat.
//   build/bench/bench_scaling --benchmark_repetitions=3 --benchmark_report_aggregates_only=true

#include <benchmark/benchmark.h>

#include <map>
#include <utility>

#include "BenchData.h"
#include "model/Presets.h"

using namespace stdp;

namespace {

// Built-in digits 0..9, all overlapping non-empty patches (stride 1), cached per patch size.
const std::vector<PatchSpikes>& patchesFor(int p) {
    static std::map<int, std::vector<PatchSpikes>> cache;
    auto it = cache.find(p);
    if (it == cache.end()) {
        const auto data = bench::digits(0, 10);
        it = cache.emplace(p, bench::cutPatches(*data, p, 40, false, 1)).first;
    }
    return it->second;
}

// Runs the layer over the patch list once per iteration and reports normalised costs.
void runSteps(benchmark::State& state, const Settings& s) {
    const auto& patches = patchesFor(s.structure.patch_size);
    RepresentationLayer layer(s.structure, s.dynamics);
    double steps = 0, events = 0, fired = 0;
    for (auto _ : state) {
        for (const PatchSpikes& ps : patches) {
            layer.beginPatch();
            for (int t = 0; t < ps.steps; ++t)
                fired += layer.step(ps.at(t));
        }
        steps += double(patches.size()) * s.dynamics.steps;
        events += double(bench::totalInputSpikes(patches));
        benchmark::DoNotOptimize(layer.weights().data());
    }
    const double k = s.structure.units;
    const double d = s.structure.inputs();
    using C = benchmark::Counter;
    state.counters["steps/s"] = C(steps, C::kIsRate);
    state.counters["ns/step"] = C(steps / 1e9, C::kIsRate | C::kInvert);
    // Integration work: one add per (input event x neuron).
    state.counters["ns/(act*K)"] = C(events * k / 1e9, C::kIsRate | C::kInvert);
    // Integration + learning work (D weight updates per output spike) + K exps per step.
    state.counters["ns/op"] =
        C((events * k + fired * d + steps * k) / 1e9, C::kIsRate | C::kInvert);
    state.counters["act/step"] = events / steps;
    state.counters["fired/step"] = fired / steps;
}

// arg 0 = K, arg 1 = learning on (1) or frozen (0, the inference step of evaluation).
void BM_StepK(benchmark::State& state) {
    Settings s = presetSettings("paper-mnist");
    s.structure.units = static_cast<int>(state.range(0));
    s.dynamics.learn = state.range(1) != 0;
    runSteps(state, s);
}
BENCHMARK(BM_StepK)
    ->ArgNames({"K", "learn"})
    ->ArgsProduct({{8, 16, 32, 64, 128, 256, 512, 1024}, {1, 0}})
    ->Unit(benchmark::kMillisecond);

// arg 0 = p at K = 32 (28x28 digits, zero padding p/2: for p > 28 a patch holds most of a digit).
void BM_StepPatch(benchmark::State& state) {
    Settings s = presetSettings("paper-mnist");
    s.structure.patch_size = static_cast<int>(state.range(0));
    runSteps(state, s);
}
BENCHMARK(BM_StepPatch)
    ->ArgName("p")
    ->Arg(5)
    ->Arg(8)
    ->Arg(12)
    ->Arg(16)
    ->Arg(24)
    ->Arg(32)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
