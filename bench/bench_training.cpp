// Training and evaluation throughput on the built-in digits. Run:
//   build/bench/bench_training --benchmark_counters_tabular=true
// Figures for this machine are kept in bench/RESULTS.md and the README.

#include <benchmark/benchmark.h>

#include <memory>

#include "Dataset.h"
#include "Evaluator.h"
#include "Presets.h"
#include "TrainingSession.h"

using namespace stdp;

namespace {

constexpr std::size_t kImages = 200;

std::shared_ptr<const ImageSet> digits() {
    static const auto set =
        std::make_shared<const ImageSet>(loadDataSpec("builtin:mnist", {}, 0, kImages));
    return set;
}

// paper-mnist training: images per second, one thread, every non-empty overlapping patch.
void BM_TrainPaperMnist(benchmark::State& state) {
    Settings s = presetSettings("paper-mnist");
    s.structure.units = static_cast<int>(state.range(0));
    std::uint64_t images = 0, steps = 0;
    for (auto _ : state) {
        state.PauseTiming();
        TrainingSession session(s, digits());
        state.ResumeTiming();
        session.trainImages(kImages);
        images += session.counters().images;
        steps += session.counters().steps;
    }
    state.counters["images/s"] = benchmark::Counter(double(images), benchmark::Counter::kIsRate);
    state.counters["steps/s"] = benchmark::Counter(double(steps), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_TrainPaperMnist)
    ->Arg(32)
    ->Arg(8)
    ->Arg(64)
    ->Arg(256)
    ->Arg(1024)
    ->Unit(benchmark::kMillisecond);

void BM_EvaluatePaperMnist(benchmark::State& state) {
    const Settings s = presetSettings("paper-mnist");
    RepresentationLayer layer(s.structure, s.dynamics);
    EvalOptions o;
    o.workers = static_cast<int>(state.range(0));
    std::size_t patches = 0;
    for (auto _ : state)
        patches += evaluate(layer, s, *digits(), o).patches;
    state.counters["patches/s"] = benchmark::Counter(double(patches), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_EvaluatePaperMnist)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
