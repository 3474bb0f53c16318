// stdp-cli: train, evaluate, import and export event-based STDP models from the command line.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <limits>
#include <string>
#include <type_traits>

#include "Commands.h"
#include "ReportCommand.h"
#include "foundation/Settings.h"

namespace {

constexpr std::uint64_t kMaxCount = std::uint64_t{1} << 62;
constexpr std::uint64_t kMaxSeed = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t kMaxUnits = 4096;
constexpr std::uint64_t kMaxScale = 256;
constexpr std::uint64_t kMaxWorkers = 1024;

// A whole number as a user types it: digits only. CLI11 alone would wrap -1 to 2^64 - 1 and
// read 0x10 or " 1"; here they are errors naming the option (exit 1, like every bad input).
template <class T>
CLI::Option* addWhole(CLI::App* cmd, const std::string& name, T& target, const std::string& help,
                      std::uint64_t min, std::uint64_t max) {
    return cmd->add_option_function<std::string>(
        name,
        [&target, name, min, max](const std::string& text) {
            const std::uint64_t v = stdp::parseWholeNumber(name, text, min, max);
            using Value = std::remove_cvref_t<decltype(stdp::cli::valueOf(target))>;
            target = static_cast<Value>(v);
        },
        help);
}

void addData(CLI::App* cmd, stdp::cli::DataSelection& d, bool required = true) {
    auto* opt =
        cmd->add_option("--data", d.spec,
                        "Data SPEC: builtin:mnist, builtin:natural, builtin:natural-eval, idx:PATH "
                        "or images:DIR");
    if (required)
        opt->required();
    addWhole(cmd, "--images", d.images, "Use the first N images (after --offset); all if omitted",
             1, kMaxCount);
    addWhole(cmd, "--offset", d.offset, "Skip the first M images (keeps train and eval disjoint)",
             0, kMaxCount);
}

}  // namespace

int main(int argc, char** argv) {
    using namespace stdp::cli;
    CLI::App app{
        "stdp-cli: event-based STDP representation learning (Tavanaei, Masquelier & "
        "Maida 2018)"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "stdp-cli " STDP_VERSION);

    TrainArgs train;
    std::string train_eval_spec;
    std::optional<std::size_t> train_eval_images;
    std::size_t train_eval_offset = 0;
    auto* t = app.add_subcommand("train", "Train a model and save it as a bundle folder");
    addData(t, train.data, false);
    auto* train_preset =
        t->add_option("--preset", train.preset, "Preset to start from (see `presets`)")
            ->capture_default_str();
    t->add_option("--config", train.config,
                  "Start from a file instead of a preset: an experiment (File > Export experiment "
                  "in the studio: settings, data, live changes, replayed exactly), a bundle's "
                  "model.json or a bundle folder; --set and --data override it")
        ->excludes(train_preset);
    t->add_option("--set", train.sets, "Override a setting: KEY=VALUE (repeatable)");
    addWhole(t, "--seed", train.seed, "Random seed", 0, kMaxSeed);
    t->add_option("--out", train.out, "Output bundle folder")->required();
    t->add_option("--eval-data", train_eval_spec, "Evaluate on this SPEC after training");
    addWhole(t, "--eval-images", train_eval_images, "Evaluation images", 1, kMaxCount);
    addWhole(t, "--eval-offset", train_eval_offset, "Skip this many evaluation images first", 0,
             kMaxCount);

    EvalArgs eval;
    auto* e = app.add_subcommand("eval", "Evaluate a model under protocol A (PAPER.md §3)");
    e->add_option("--model", eval.model, "Bundle folder")->required();
    addData(e, eval.data);
    addWhole(e, "--seed", eval.seed, "Seed of the evaluation spikes (default: the model's)", 0,
             kMaxSeed);
    e->add_flag("--json", eval.json, "Print one JSON object");

    ImportArgs imp;
    auto* i = app.add_subcommand("import", "Make a bundle from a (D, K) weight array");
    i->add_option("--weights", imp.weights, "NumPy .npy file, (D, K), values in [0, 1]")
        ->required();
    i->add_option("--preset", imp.preset, "Preset giving the other settings")
        ->capture_default_str();
    i->add_option("--set", imp.sets, "Override a setting: KEY=VALUE (repeatable)");
    i->add_option("--out", imp.out, "Output bundle folder")->required();

    BaselineArgs base;
    std::string base_train_spec;
    std::optional<std::size_t> base_train_images;
    std::size_t base_train_offset = 0;
    auto* b = app.add_subcommand("baseline", "Classical coding on the same patches");
    b->add_option("--method", base.method, "kmeans, sparse-coding or pca")->required();
    addWhole(b, "--units", base.units, "Number of units K", 1, kMaxUnits)->required();
    addWhole(b, "--active", base.active, "Active units per patch (sparse coding; default 2)", 1,
             kMaxUnits);
    addData(b, base.data);
    b->add_option("--train-data", base_train_spec, "Training SPEC (default: --data)");
    addWhole(b, "--train-images", base_train_images, "Training images", 1, kMaxCount);
    addWhole(b, "--train-offset", base_train_offset, "Skip this many training images first", 0,
             kMaxCount);
    b->add_option("--preset", base.preset, "Preset giving the patch settings")
        ->capture_default_str();
    b->add_option("--set", base.sets, "Override a setting: KEY=VALUE (repeatable)");
    addWhole(b, "--seed", base.seed, "Random seed", 0, kMaxSeed);
    b->add_flag("--json", base.json, "Print one JSON object");

    ExportArgs exp;
    auto* x =
        app.add_subcommand("export", "Write the receptive-field mosaic as PNG, or a NIR graph");
    x->add_option("--model", exp.model, "Bundle folder")->required();
    x->add_option("--filters", exp.filters, "Output PNG (the mosaic)");
    x->add_option("--nir", exp.nir,
                  "Write the network as a NIR graph (HDF5), with its threshold calibrated on "
                  "--data, and print what the export changes in protocol A");
    x->add_option("--data", exp.data,
                  "Images the NIR threshold is calibrated and measured on (default: the "
                  "preset's evaluation data, e.g. builtin:mnist's last images)");
    addWhole(x, "--eval-images", exp.eval_images, "Images of --data to use (default 20)", 1,
             kMaxCount);
    addWhole(x, "--scale", exp.scale, "Pixels per weight (1 to 256, default 8)", 1, kMaxScale);
    x->add_option("--contrast", exp.contrast, "shared or per-neuron")->capture_default_str();
    x->add_option("--neurons", exp.neurons_dir, "Also write one PNG per neuron into this folder");

    ReportArgs report;
    std::string report_authors;
    auto* r = app.add_subcommand("report", "Regenerate the reproduction report (Markdown + PNG)");
    r->add_option("--out", report.out, "Output folder")->capture_default_str();
    r->add_flag("--quick", report.quick, "Smoke run: few images, K = 32 only");
    r->add_option("--natural", report.natural,
                  "Natural images folder with train/ and eval/ (scripts/fetch-natural-images.sh)");
    r->add_option("--authors", report_authors,
                  "Folder with the authors' u08.npy ... u64.npy (default: "
                  "../shared/data/authors-filters if it exists)");
    r->add_option("--mnist-preset", report.mnist_presets, "MNIST preset to include (repeatable)");
    r->add_option("--natural-preset", report.natural_presets,
                  "Natural-image preset to include (repeatable)");
    addWhole(r, "--workers", report.workers, "Threads (0 = all cores)", 0, kMaxWorkers);

    std::string preset_name;
    auto* p = app.add_subcommand("presets", "List presets, or print every setting of one");
    p->add_option("name", preset_name, "Preset name");

    try {
        try {
            app.parse(argc, argv);
        } catch (const CLI::ParseError& err) {
            return app.exit(err);
        }
        if (*t) {
            if (!train_eval_spec.empty())
                train.eval = DataSelection{train_eval_spec, train_eval_images, train_eval_offset};
            return runTrain(train);
        }
        if (*e)
            return runEval(eval);
        if (*i)
            return runImport(imp);
        if (*b) {
            if (!base_train_spec.empty() || base_train_images || base_train_offset)
                base.train =
                    DataSelection{base_train_spec.empty() ? base.data.spec : base_train_spec,
                                  base_train_images, base_train_offset};
            return runBaseline(base);
        }
        if (*x)
            return runExport(exp);
        if (*p)
            return runPresets(preset_name);
        if (*r) {
            if (!report_authors.empty())
                report.authors = report_authors;
            return runReport(report);
        }
    } catch (const stdp::UserError& err) {
        std::fprintf(stderr, "stdp-cli: %s\n", err.what());
        return 1;
    } catch (const std::filesystem::filesystem_error& err) {
        // A file problem the commands did not word themselves: still the user's path, one line.
        const std::string path = err.path1().empty() ? std::string() : err.path1().string() + ": ";
        std::fprintf(stderr, "stdp-cli: %s%s\n", path.c_str(), err.code().message().c_str());
        return 1;

    } catch (const std::exception& err) {
        std::fprintf(stderr, "stdp-cli: internal error: %s\n", err.what());
        return 2;
    }
    return 0;
}
