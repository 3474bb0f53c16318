#include "report/Report.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <numbers>

#include "analysis/Baselines.h"
#include "analysis/Evaluator.h"
#include "analysis/GaborFit.h"
#include "data/Dataset.h"
#include "foundation/Parallel.h"
#include "io/FilterMosaic.h"
#include "io/NpyIO.h"
#include "model/Presets.h"
#include "model/TrainingSession.h"
#include "report/ReportFigures.h"
#include "report/ReportWriter.h"

namespace stdp {

namespace fs = std::filesystem;

namespace {

// The checkpoints at which the authors saved their filters (docs/model.md §1).
constexpr std::uint64_t kFullCheckpoints[] = {1, 10, 100, 1000, 10000};
constexpr std::uint64_t kQuickCheckpoints[] = {1, 10, 100};
// The built-in set has 2,000 digits: the first 1,800 train, the last 200 are held out.
constexpr std::size_t kMnistTrain = 1800;
constexpr std::size_t kMnistEvalFirst = 1800;
constexpr std::size_t kMnistEval = 200;
constexpr std::size_t kQuickMnistTrain = 100;
constexpr std::size_t kQuickMnistEval = 40;
constexpr int kSparseActive[] = {1, 2, 3, 5};
// Baselines are fitted on a random subset of the training patches: k-means and dictionary
// learning converge long before they see all ~600,000 MNIST patches.
constexpr std::size_t kBaselinePatches = 50000;
constexpr std::size_t kQuickBaselinePatches = 4000;
constexpr int kBaselineIterations = 50;
constexpr int kQuickBaselineIterations = 10;
constexpr std::size_t kNaturalBaselinePatches = kMinBaselineFitPatches;
constexpr int kQuickNaturalPatchesPerImage = 200;
constexpr std::uint64_t kSubsampleStream = 11;
constexpr int kMnistMosaicScale = 6;
constexpr int kNaturalMosaicScale = 2;
constexpr const char* kAuthorsPreset = "paper-mnist";
// Gabor histograms: orientation over [0, 180) degrees, frequency up to Nyquist.
constexpr double kMaxOrientation = 180.0;
constexpr int kOrientationBins = 12;
constexpr int kOrientationTickEvery = 2;
constexpr double kMaxFrequency = 0.5;
constexpr int kFrequencyBins = 10;
constexpr int kFrequencyTickEvery = 2;

struct Plan {
    std::vector<std::uint64_t> checkpoints;
    std::size_t mnist_train = kMnistTrain;
    std::size_t mnist_eval = kMnistEval;
    std::vector<int> mnist_units;
    std::vector<int> natural_units;
    std::size_t baseline_patches = kBaselinePatches;
    std::size_t natural_baseline_patches = kNaturalBaselinePatches;
    int baseline_iterations = kBaselineIterations;
    int natural_patches_per_image = 0;  // 0: the preset's own
};

Plan makePlan(bool quick) {
    Plan p;
    if (!quick) {
        p.checkpoints.assign(std::begin(kFullCheckpoints), std::end(kFullCheckpoints));
        p.mnist_units = {8, 16, 32, 64};
        p.natural_units = {64, 256};
        return p;
    }
    p.checkpoints.assign(std::begin(kQuickCheckpoints), std::end(kQuickCheckpoints));
    p.mnist_train = kQuickMnistTrain;
    p.mnist_eval = kQuickMnistEval;
    p.mnist_units = {32};
    p.natural_units = {32};
    p.baseline_patches = kQuickBaselinePatches;
    p.natural_baseline_patches = kQuickBaselinePatches;
    p.baseline_iterations = kQuickBaselineIterations;
    p.natural_patches_per_image = kQuickNaturalPatchesPerImage;
    return p;
}

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

// Independent runs on `workers` threads; each writes only its own result slot, so the results do
// not depend on the scheduling.
void runAll(const std::vector<std::function<void()>>& tasks, int workers) {
    parallelFor(tasks.size(), workers, [&](int, std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i)
            tasks[i]();
    });
}

// At most `n` rows, drawn without replacement (partial Fisher-Yates), kept in their old order.
PatchMatrix subsample(const PatchMatrix& all, std::size_t n, std::uint64_t seed) {
    const auto total = static_cast<std::size_t>(all.rows());
    if (total <= n)
        return all;
    std::vector<std::size_t> index(total);
    for (std::size_t i = 0; i < total; ++i)
        index[i] = i;
    Rng rng(seed);
    for (std::size_t i = 0; i < n; ++i)
        std::swap(index[i], index[i + rng.below(total - i)]);
    std::sort(index.begin(), index.begin() + static_cast<std::ptrdiff_t>(n));
    PatchMatrix out(static_cast<Eigen::Index>(n), all.cols());
    for (std::size_t i = 0; i < n; ++i)
        out.row(static_cast<Eigen::Index>(i)) = all.row(static_cast<Eigen::Index>(index[i]));
    return out;
}

std::string unitsTag(int k) {
    return (k < 10 ? "k0" : "k") + std::to_string(k);
}

// Histograms of orientation and spatial frequency over the localised oriented Gabors.
cv::Mat gaborCharts(const FieldCensus& census, const std::string& title) {
    std::vector<double> theta, freq;
    for (int j = 0; j < census.fields(); ++j)
        if (census.shapes[j] == FieldShape::Gabor) {
            theta.push_back(census.fits[j].params.theta * 180.0 / std::numbers::pi);
            freq.push_back(census.fits[j].params.frequency);
        }
    const std::string n = " (n = " + std::to_string(theta.size()) + ")";
    return sideBySide(
        {drawHistogram(Histogram::of(theta, 0.0, kMaxOrientation, kOrientationBins),
                       title + ": orientation" + n, "theta (degrees), localised Gabors",
                       kOrientationTickEvery),
         drawHistogram(Histogram::of(freq, 0.0, kMaxFrequency, kFrequencyBins),
                       title + ": frequency", "f (cycles / pixel)", kFrequencyTickEvery, 2)});
}

// One baseline configuration: (method, active units).
struct BaselineKind {
    BaselineMethod method;
    int active;
};
std::vector<BaselineKind> baselineKinds() {
    std::vector<BaselineKind> kinds = {{BaselineMethod::KMeans, 1}};
    for (const int a : kSparseActive)
        kinds.push_back({BaselineMethod::SparseCoding, a});
    kinds.push_back({BaselineMethod::Pca, 0});
    return kinds;
}

// Baseline runs for every K: fitted on `train`, evaluated on `test`; optional Gabor fits of the
// dictionaries (natural images). Appends the tasks; results land in `out` (pre-sized here).
void addBaselineTasks(std::vector<std::function<void()>>& tasks, std::vector<RunResult>& out,
                      const PatchMatrix& train, const PatchMatrix& test, const Plan& plan,
                      const std::vector<int>& units, std::uint64_t seed, bool gabor, int p) {
    const auto kinds = baselineKinds();
    const std::size_t first = out.size();
    out.resize(first + units.size() * kinds.size());
    std::size_t slot = first;
    for (const int k : units)
        for (const BaselineKind& kind : kinds) {
            RunResult* r = &out[slot++];
            tasks.push_back([r, k, kind, &train, &test, &plan, seed, gabor, p] {
                const auto t0 = Clock::now();
                BaselineOptions o;
                o.method = kind.method;
                o.units = k;
                o.active = kind.method == BaselineMethod::SparseCoding ? kind.active : 1;
                o.seed = seed;
                o.max_iterations = plan.baseline_iterations;
                o.workers = 1;  // the runs themselves are parallel
                const BaselineModel model = fitBaseline(train, o);
                r->method = baselineLabel(kind.method, kind.active);
                r->units = k;
                r->metrics = evaluateBaseline(model, test, 1);
                if (gabor)
                    r->census = fieldCensus(model.dictionary, p);
                r->seconds = since(t0);
            });
        }
}

// Trains `preset` with K units, snapshots the mosaic (and protocol-A metrics) at each checkpoint.
RunResult trainMnist(const std::string& preset, int k, const Plan& plan,
                     const std::shared_ptr<const ImageSet>& train, const ImageSet& eval,
                     const fs::path& out) {
    const auto t0 = Clock::now();
    Settings s = presetSettings(preset);
    s.structure.units = k;
    const std::uint64_t last = plan.checkpoints.back();
    s.data.epochs = static_cast<int>((last + train->size() - 1) / train->size());
    validate(s);
    TrainingSession session(s, train);
    MosaicOptions mo;
    mo.scale = kMnistMosaicScale;
    std::vector<cv::Mat> panels;
    std::vector<std::string> captions;
    RunResult r;
    r.method = preset;
    r.units = k;
    for (const std::uint64_t c : plan.checkpoints) {
        session.trainImages(c - session.counters().images);
        const WeightMatrix& w = session.layer().weights();
        panels.push_back(renderMosaic(w, s.structure.patch_size, s.structure.onoff, mo));
        captions.push_back(std::to_string(c) + (c == 1 ? " image" : " images"));
        EvalOptions eo;
        eo.seed = s.structure.seed;
        eo.workers = 1;
        r.curve.push_back(evaluate(session.layer(), s, eval, eo));
    }
    r.metrics = r.curve.back();
    r.theta = session.layer().meanThreshold();
    r.figure = "mnist-" + preset + "-" + unitsTag(k) + ".png";
    writePngAtomic((out / r.figure).string(),
                   labelledRow(panels, captions, preset + ", K = " + std::to_string(k)));
    r.seconds = since(t0);
    return r;
}

// The authors' filters (25 x K, row-major 5x5, in [0, 1]) in paper-mnist settings, evaluated on
// the same held-out digits. Returns false (with a note) if the file is absent or unusable.
// `theta` > 0 replaces theta0, to see how much of a difference the threshold explains.
bool evaluateAuthors(const fs::path& file, int k, double theta, const ImageSet& eval, RunResult& r,
                     cv::Mat& mosaic, std::string& note) {
    if (!fs::exists(file)) {
        note = file.filename().string() + " not found";
        return false;
    }
    const auto t0 = Clock::now();
    Settings s = presetSettings(kAuthorsPreset);
    s.structure.units = k;
    if (theta > 0.0)
        s.structure.theta0 = theta;
    validate(s);
    const NpyArray a = readNpy(file.string());
    const auto d = static_cast<std::size_t>(s.structure.inputs());
    if (a.shape.size() != 2 || a.shape[0] != d || a.shape[1] != static_cast<std::size_t>(k)) {
        note = file.filename().string() + " does not have shape (25, " + std::to_string(k) + ")";
        return false;
    }
    WeightMatrix w(static_cast<Eigen::Index>(d), k);
    for (std::size_t i = 0; i < a.data.size(); ++i)
        w.data()[i] = static_cast<float>(std::clamp(a.data[i], 0.0, 1.0));
    RepresentationLayer layer(s.structure, s.dynamics);
    layer.setWeights(w);
    EvalOptions eo;
    eo.seed = s.structure.seed;
    eo.workers = 1;
    r.method = "authors' filters";
    r.units = k;
    r.metrics = evaluate(layer, s, eval, eo);
    r.theta = layer.meanThreshold();
    MosaicOptions mo;
    mo.scale = kMnistMosaicScale;
    mosaic = renderMosaic(w, s.structure.patch_size, false, mo);
    r.seconds = since(t0);
    return true;
}

void mnistPart(const ReportOptions& o, const Plan& plan, const fs::path& out, int workers,
               const std::vector<std::string>& presets, ReportContent& rc) {
    auto log = [&](const std::string& m) {
        if (o.log)
            o.log(m);
    };
    const Settings base = presetSettings(presets.front());
    auto train = std::make_shared<const ImageSet>(
        loadDataSpec("builtin:mnist", base.data, 0, plan.mnist_train));
    const ImageSet eval =
        loadDataSpec("builtin:mnist", base.data, kMnistEvalFirst, plan.mnist_eval);
    rc.mnist.train_images = train->size();
    rc.mnist.eval_first = kMnistEvalFirst;
    rc.mnist.eval_images = eval.size();
    rc.mnist.checkpoints = plan.checkpoints;

    // Spiking runs, the largest K first so the two threads finish together.
    auto t0 = Clock::now();
    std::vector<std::function<void()>> tasks;
    std::vector<int> order = plan.mnist_units;
    std::sort(order.rbegin(), order.rend());
    rc.mnist.stdp.resize(presets.size() * order.size());
    std::size_t slot = 0;
    for (const int k : order)
        for (const std::string& preset : presets) {
            RunResult* r = &rc.mnist.stdp[slot++];
            tasks.push_back([&, r, k, preset] {
                *r = trainMnist(preset, k, plan, train, eval, out);
                log("MNIST " + preset + " K=" + std::to_string(k) + " done");
            });
        }
    runAll(tasks, workers);
    rc.timings.push_back({"MNIST: STDP training + evaluation", since(t0)});

    // Baselines on the same patches.
    t0 = Clock::now();
    const std::uint64_t seed = base.structure.seed;
    const PatchMatrix test = toMatrix(protocolPatches(base, eval, seed));
    const PatchMatrix all_train = baselineFitPatches(base, *train, seed);
    const PatchMatrix btrain =
        subsample(all_train, plan.baseline_patches, Rng::mix(seed, kSubsampleStream));
    rc.mnist.baseline_train_patches = static_cast<std::size_t>(btrain.rows());
    rc.mnist.baseline_pool = static_cast<std::size_t>(all_train.rows());
    rc.mnist.eval_patches = static_cast<std::size_t>(test.rows());
    tasks.clear();
    addBaselineTasks(tasks, rc.mnist.baselines, btrain, test, plan, order, seed, false,
                     base.structure.patch_size);
    runAll(tasks, workers);
    log("MNIST baselines done");
    rc.timings.push_back({"MNIST: baselines", since(t0)});

    // The authors' filters.
    t0 = Clock::now();
    if (o.authors_dir.empty() || !fs::is_directory(o.authors_dir)) {
        rc.mnist.authors_note = "the authors' filters were not found (" +
                                (o.authors_dir.empty() ? std::string("no folder given")
                                                       : o.authors_dir + " is not a folder") +
                                "): skipped";
        return;
    }
    std::vector<cv::Mat> panels;
    std::vector<std::string> captions;
    for (const int k : plan.mnist_units) {
        char name[16];
        std::snprintf(name, sizeof name, "u%02d.npy", k);
        RunResult r;
        cv::Mat mosaic;
        std::string note;
        const fs::path file = fs::path(o.authors_dir) / name;
        if (evaluateAuthors(file, k, 0.0, eval, r, mosaic, note)) {
            rc.mnist.authors.push_back(r);
            // The files carry no threshold: also try the one our paper-mnist run ended with.
            for (const RunResult& ours : rc.mnist.stdp)
                if (ours.method == kAuthorsPreset && ours.units == k &&
                    evaluateAuthors(file, k, ours.theta, eval, r, mosaic, note))
                    rc.mnist.authors_our_theta.push_back(r);
            panels.push_back(mosaic);
            captions.push_back("K = " + std::to_string(k));
        } else {
            rc.mnist.authors_note += (rc.mnist.authors_note.empty() ? "" : "; ") + note;
        }
    }
    if (!panels.empty()) {
        rc.mnist.authors_figure = "mnist-authors-filters.png";
        writePngAtomic((out / rc.mnist.authors_figure).string(),
                       labelledRow(panels, captions, "authors' filters (10,000 MNIST images)"));
    }
    rc.timings.push_back({"MNIST: authors' filters", since(t0)});
}

void naturalPart(const ReportOptions& o, const Plan& plan, const fs::path& out, int workers,
                 const std::vector<std::string>& presets, ReportContent& rc) {
    const fs::path dir(o.natural_dir);
    if (o.natural_dir.empty() || !fs::is_directory(dir / "train") ||
        !fs::is_directory(dir / "eval")) {
        rc.natural.note = o.natural_dir.empty()
                              ? "no --natural folder given: skipped"
                              : o.natural_dir + " has no train/ and eval/ folders: skipped";
        return;
    }
    if (presets.empty()) {
        rc.natural.note = "no natural-image preset: skipped";
        return;
    }
    rc.natural.ran = true;
    const std::string train_spec = "images:" + (dir / "train").string();
    const std::string eval_spec = "images:" + (dir / "eval").string();
    auto settingsFor = [&](const std::string& preset, int k) {
        Settings s = presetSettings(preset);
        s.structure.units = k;
        if (plan.natural_patches_per_image > 0)
            s.data.patches_per_image = plan.natural_patches_per_image;
        validate(s);
        return s;
    };
    auto t0 = Clock::now();
    std::vector<int> order = plan.natural_units;
    std::sort(order.rbegin(), order.rend());
    std::vector<std::function<void()>> tasks;
    rc.natural.stdp.resize(presets.size() * order.size());
    std::size_t slot = 0;
    for (const int k : order)
        for (const std::string& preset : presets) {
            RunResult* r = &rc.natural.stdp[slot++];
            tasks.push_back([&, r, k, preset] {
                const auto start = Clock::now();
                const Settings s = settingsFor(preset, k);
                auto train = std::make_shared<const ImageSet>(loadDataSpec(train_spec, s.data));
                const ImageSet eval = loadDataSpec(eval_spec, s.data);
                TrainingSession session(s, train);
                session.trainImages(train->size() * static_cast<std::uint64_t>(s.data.epochs));
                const RepresentationLayer& layer = session.layer();
                EvalOptions eo;
                eo.seed = s.structure.seed;
                eo.workers = 1;
                r->method = preset;
                r->units = k;
                r->metrics = evaluate(layer, s, eval, eo);
                r->theta = layer.meanThreshold();
                const int p = s.structure.patch_size;
                r->census = fieldCensus(pixelFilters(layer.weights(), p, s.structure.onoff), p);
                MosaicOptions mo;
                mo.scale = kNaturalMosaicScale;
                mo.contrast = MosaicContrast::PerNeuron;
                r->figure = "natural-" + preset + "-" + unitsTag(k) + ".png";
                writePngAtomic(
                    (out / r->figure).string(),
                    labelledRow({renderMosaic(layer.weights(), p, true, mo)}, {},
                                preset + ", K = " + std::to_string(k) + " (w_on - w_off)"));
                r->gabor_figure = "natural-" + preset + "-" + unitsTag(k) + "-gabor.png";
                writePngAtomic((out / r->gabor_figure).string(),
                               gaborCharts(r->census, preset + ", K = " + std::to_string(k)));
                r->seconds = since(start);
                if (o.log)
                    o.log("natural " + preset + " K=" + std::to_string(k) + " done");
            });
        }
    runAll(tasks, workers);
    rc.timings.push_back({"natural: STDP training + evaluation + Gabor fits", since(t0)});

    t0 = Clock::now();
    Settings base = settingsFor(presets.front(), order.front());
    const ImageSet train = loadDataSpec(train_spec, base.data);
    const ImageSet eval = loadDataSpec(eval_spec, base.data);
    rc.natural.train_images = train.size();
    rc.natural.eval_images = eval.size();
    rc.natural.patches_per_image = base.data.patches_per_image;
    rc.natural.eval_patches_per_image = base.data.eval_patches_per_image;
    const std::uint64_t seed = base.structure.seed;
    const PatchMatrix test = toMatrix(protocolPatches(base, eval, seed));
    Settings pool = base;  // more random patches per image for fitting than for evaluating
    pool.data.eval_patches_per_image = static_cast<int>(std::max<std::size_t>(
        1, plan.natural_baseline_patches / std::max<std::size_t>(1, train.size())));
    const PatchMatrix btrain = baselineFitPatches(pool, train, seed);
    rc.natural.baseline_train_patches = static_cast<std::size_t>(btrain.rows());
    rc.natural.eval_patches = static_cast<std::size_t>(test.rows());
    tasks.clear();
    addBaselineTasks(tasks, rc.natural.baselines, btrain, test, plan, order, seed, true,
                     base.structure.patch_size);
    runAll(tasks, workers);
    if (o.log)
        o.log("natural baselines done");
    rc.timings.push_back({"natural: baselines + Gabor fits", since(t0)});
}

}  // namespace

std::vector<std::string> defaultReportPresets(const std::string& kind) {
    std::vector<std::string> out;
    for (const std::string prefix : {"paper-", "improved-", "coop-"})
        for (const Preset& p : presets())
            if (p.name == prefix + kind)
                out.push_back(p.name);
    return out;
}

ReportResult writeReport(const ReportOptions& o) {
    const auto t0 = Clock::now();
    if (o.out_dir.empty())
        throw UserError("report: no output folder given");
    const std::vector<std::string> mnist =
        o.mnist_presets.empty() ? defaultReportPresets("mnist") : o.mnist_presets;
    const std::vector<std::string> natural =
        o.natural_presets.empty() ? defaultReportPresets("natural") : o.natural_presets;
    if (mnist.empty())
        throw UserError("report: no MNIST preset to run");
    for (const auto& n : mnist)
        findPreset(n);  // throws naming the known presets
    for (const auto& n : natural)
        findPreset(n);
    const fs::path out(o.out_dir);
    std::error_code ec;
    fs::create_directories(out, ec);
    if (!fs::is_directory(out))
        throw UserError(o.out_dir + ": cannot create the output folder");

    const Plan plan = makePlan(o.quick);
    const int workers = allowedWorkers(o.workers);
    ReportContent rc;
    rc.command = o.command;
    rc.quick = o.quick;
    rc.workers = workers;
    rc.mnist_presets = mnist;
    rc.natural_presets = natural;
    mnistPart(o, plan, out, workers, mnist, rc);
    naturalPart(o, plan, out, workers, natural, rc);
    rc.seconds = since(t0);

    ReportResult result;
    result.readme = (out / "README.md").string();
    writeReadme(result.readme, rc);
    result.rows = summaryRows(rc);
    result.seconds = rc.seconds;
    return result;
}

}  // namespace stdp
