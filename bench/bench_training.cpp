// Training throughput, end to end (encoding, patch cutting, layer steps), one thread. Run:
//   build/bench/bench_training --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
// bench/run.sh runs every suite and writes bench/RESULTS.md.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>

#include "BenchData.h"
#include "model/Presets.h"
#include "model/TrainingSession.h"

using namespace stdp;
using bench::CountingObserver;

namespace {

// The per-step workload (input events, output spikes) of one untimed run with an observer, so
// the timed runs pay no virtual call per step.
void addWorkloadCounters(benchmark::State& state, const Settings& s,
                         const std::shared_ptr<const ImageSet>& data, std::uint64_t images) {
    TrainingSession session(s, data);
    CountingObserver obs;
    session.trainImages(images, {}, &obs);
    const double steps = double(obs.steps);
    state.counters["inputs/step"] = double(obs.inputs) / steps;
    state.counters["fired/step"] = double(obs.fired) / steps;
    state.counters["nonempty"] = double(obs.nonempty_steps) / steps;
    state.counters["patches/img"] = double(session.counters().patches) / double(images);
}

void setRates(benchmark::State& state, double images, double patches, double steps) {
    using C = benchmark::Counter;
    state.counters["images/s"] = C(images, C::kIsRate);
    state.counters["patches/s"] = C(patches, C::kIsRate);
    state.counters["steps/s"] = C(steps, C::kIsRate);
    // Inverted rate: seconds per step, shown in ns by the 1e9 factor on the count.
    state.counters["ns/step"] = C(steps / 1e9, C::kIsRate | C::kInvert);
}

// Trains `s` on the first `images` built-in digits per iteration.
void trainOnDigits(benchmark::State& state, const Settings& s, std::uint64_t images) {
    const auto data = bench::digits(0, images);
    double done = 0, patches = 0, steps = 0;
    for (auto _ : state) {
        state.PauseTiming();
        TrainingSession session(s, data);  // weight init is not training
        state.ResumeTiming();
        session.trainImages(images);
        done += double(session.counters().images);
        patches += double(session.counters().patches);
        steps += double(session.counters().steps);
        benchmark::DoNotOptimize(session.layer().weights().data());
    }
    setRates(state, done, patches, steps);
    addWorkloadCounters(state, s, data, images);
}

// paper-mnist: 5x5, T = 40, every non-empty overlapping patch of the first `images` built-in
// digits; arg 0 = K, arg 1 = images per iteration (fewer for large K, so a repetition stays
// around a second).
void BM_TrainPaperMnist(benchmark::State& state) {
    Settings s = presetSettings("paper-mnist");
    s.structure.units = static_cast<int>(state.range(0));
    trainOnDigits(state, s, static_cast<std::uint64_t>(state.range(1)));
}
BENCHMARK(BM_TrainPaperMnist)
    ->ArgNames({"K", "images"})
    ->Args({32, 200})
    ->Args({8, 200})
    ->Args({64, 100})
    ->Args({256, 20})
    ->Args({1024, 5})
    ->Unit(benchmark::kMillisecond);

// coop-mnist (amplitude coding, model::CooperativeStep): as paper-mnist at K = 32.
void BM_TrainCoopMnist(benchmark::State& state) {
    trainOnDigits(state, presetSettings("coop-mnist"), static_cast<std::uint64_t>(state.range(0)));
}
BENCHMARK(BM_TrainCoopMnist)->ArgName("images")->Arg(50)->Unit(benchmark::kMillisecond);

// Trains `s` on 4 whitened 1/f-noise images (see BenchData.h) x 100 random patches per iteration.
void trainOnNoise(benchmark::State& state, Settings s) {
    s.data.patches_per_image = 100;
    constexpr std::uint64_t kImages = 4;
    static const auto data = bench::pinkNoiseImages(int(kImages), 128);
    double done = 0, patches = 0, steps = 0;
    for (auto _ : state) {
        state.PauseTiming();
        TrainingSession session(s, data);
        state.ResumeTiming();
        session.trainImages(kImages);
        done += double(session.counters().images);
        patches += double(session.counters().patches);
        steps += double(session.counters().steps);
        benchmark::DoNotOptimize(session.layer().weights().data());
    }
    setRates(state, done, patches, steps);
    addWorkloadCounters(state, s, data, kImages);
}

// paper-natural with K = 256 (the preset has K = 64; 256 shows the cost of a wide layer): 16x16
// patches, ON/OFF inputs (D = 512), random sampling. arg 0 = K.
void BM_TrainPaperNatural(benchmark::State& state) {
    Settings s = presetSettings("paper-natural");
    s.structure.units = static_cast<int>(state.range(0));
    trainOnNoise(state, s);
}
BENCHMARK(BM_TrainPaperNatural)->ArgName("K")->Arg(256)->Arg(64)->Unit(benchmark::kMillisecond);

// coop-natural (amplitude coding at D = 512, K = 64) on the same images.
void BM_TrainCoopNatural(benchmark::State& state) {
    trainOnNoise(state, presetSettings("coop-natural"));
}
BENCHMARK(BM_TrainCoopNatural)->Unit(benchmark::kMillisecond);

// The core's actual clock (the VM reports only the nominal one): a chain of dependent 64-bit
// multiplies, ten per loop turn so that the loop's own instructions hide under the chain. IMUL
// r64 takes 3 cycles on every x86-64 core since Nehalem and Zen, and nothing shortens it. A chain
// of `add $1` does not measure the clock: Golden Cove and later cores (Sapphire and Emerald
// Rapids) fold immediate adds at renaming, so such a chain ran at 0.6 turns of its loop per cycle
// there and read 1.35-1.9 GHz on a core at 2.45 GHz. Turns ns/step into cycles/step in
// bench/RESULTS.md.
void BM_ClockProbe(benchmark::State& state) {
    constexpr std::int64_t kTurns = 10'000'000;
    constexpr std::int64_t kMultipliesPerTurn = 10;
    constexpr std::int64_t kCyclesPerMultiply = 3;
    for (auto _ : state) {
        std::int64_t x = 3;
        for (std::int64_t i = 0; i < kTurns; ++i)
            asm volatile(
                "imul %0, %0\n\timul %0, %0\n\timul %0, %0\n\timul %0, %0\n\timul %0, %0\n\t"
                "imul %0, %0\n\timul %0, %0\n\timul %0, %0\n\timul %0, %0\n\timul %0, %0"
                : "+r"(x));
        benchmark::DoNotOptimize(x);
    }
    state.counters["GHz"] = benchmark::Counter(
        static_cast<double>(kTurns * kMultipliesPerTurn * kCyclesPerMultiply) * 1e-9,
        benchmark::Counter::kIsIterationInvariantRate);
}
#if defined(__x86_64__)
BENCHMARK(BM_ClockProbe)->Unit(benchmark::kMillisecond);
#endif

}  // namespace

BENCHMARK_MAIN();
