// Protocol-A evaluation and the baselines with 1 and 2 worker threads (patches are independent at
// inference, so 2 workers should approach 2x on this 2-core machine). Wall-clock time: with
// threads, the main thread's CPU time would understate the cost.
//   build/bench/bench_eval --benchmark_repetitions=3 --benchmark_report_aggregates_only=true

#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>

#include "BenchData.h"
#include "analysis/Baselines.h"
#include "analysis/Evaluator.h"
#include "model/Presets.h"
#include "model/TrainingSession.h"

using namespace stdp;

namespace {

// Evaluation images are never training images: digits 1000.. (training used 0..49).
constexpr std::size_t kTrainImages = 50;
constexpr std::size_t kEvalFirst = 1000;
constexpr std::size_t kEvalImages = 40;

// Google Benchmark 1.7 divides rate counters by the main thread's CPU time even with
// UseRealTime() (checked: images/s x CPU time = images), which would overstate multi-threaded
// rates; so only patches per iteration are reported and report.py divides by the wall time.
void setCounters(benchmark::State& state, double patches) {
    const double per_iteration = patches / double(state.iterations());
    state.counters["patches/iter"] = per_iteration;
}

// A layer trained briefly, so that firing is as sparse as a real model's (an untrained layer's
// thresholds would give a different spike count per step).
const RepresentationLayer& trainedMnist(int units) {
    static std::map<int, RepresentationLayer> cache;
    auto it = cache.find(units);
    if (it == cache.end()) {
        Settings s = presetSettings("paper-mnist");
        s.structure.units = units;
        TrainingSession session(s, bench::digits(0, kTrainImages));
        session.trainImages(kTrainImages);
        it = cache.emplace(units, session.layer()).first;
    }
    return it->second;
}

// arg 0 = workers, arg 1 = K.
void BM_EvaluatePaperMnist(benchmark::State& state) {
    Settings s = presetSettings("paper-mnist");
    s.structure.units = static_cast<int>(state.range(1));
    const RepresentationLayer& layer = trainedMnist(s.structure.units);
    static const auto data = bench::digits(kEvalFirst, kEvalImages);
    EvalOptions o;
    o.workers = static_cast<int>(state.range(0));
    double patches = 0;
    for (auto _ : state)
        patches += double(evaluate(layer, s, *data, o).patches);
    setCounters(state, patches);
}
BENCHMARK(BM_EvaluatePaperMnist)
    ->ArgNames({"workers", "K"})
    ->ArgsProduct({{1, 2}, {32, 256}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// paper-natural, K = 256, untrained layer (weights U[0,1)): ON/OFF 16x16, random patches.
void BM_EvaluatePaperNatural(benchmark::State& state) {
    Settings s = presetSettings("paper-natural");
    s.structure.units = 256;
    s.data.eval_patches_per_image = 100;
    static const auto data = bench::pinkNoiseImages(4, 128);
    const RepresentationLayer layer(s.structure, s.dynamics);
    EvalOptions o;
    o.workers = static_cast<int>(state.range(0));
    double patches = 0;
    for (auto _ : state)
        patches += double(evaluate(layer, s, *data, o).patches);
    setCounters(state, patches);
}
BENCHMARK(BM_EvaluatePaperNatural)
    ->ArgName("workers")
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// The protocol-A patches of the evaluation digits as a matrix (as stdp-cli baseline builds it).
const PatchMatrix& evalPatchMatrix() {
    static const PatchMatrix m = [] {
        const Settings s = presetSettings("paper-mnist");
        const PatchSet set = protocolPatches(s, *bench::digits(kEvalFirst, kEvalImages), 7);
        PatchMatrix out(static_cast<Eigen::Index>(set.count()), set.dim);
        std::copy(set.values.begin(), set.values.end(), out.data());
        return out;
    }();
    return m;
}

// Baselines at K = 32: arg 0 = method (0 k-means, 1 sparse coding, 2 PCA), arg 1 = workers.
// Fit (a fixed number of iterations) + evaluation on the same patches.
void BM_Baseline(benchmark::State& state) {
    const PatchMatrix& patches = evalPatchMatrix();
    BaselineOptions o;
    o.method = static_cast<BaselineMethod>(state.range(0));
    o.units = 32;
    o.max_iterations = 10;
    o.workers = static_cast<int>(state.range(1));
    double n = 0;
    for (auto _ : state) {
        const BaselineModel model = fitBaseline(patches, o);
        n += double(evaluateBaseline(model, patches, o.workers).patches);
    }
    setCounters(state, n);
    state.SetLabel(baselineMethodName(o.method));
}
BENCHMARK(BM_Baseline)
    ->ArgNames({"method", "workers"})
    ->ArgsProduct({{0, 1, 2}, {1, 2}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
