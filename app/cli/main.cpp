// stdp-cli: train, evaluate, import and export event-based STDP models from the command line.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>

#include "Commands.h"
#include "ReportCommand.h"
#include "SweepCommand.h"
#include "foundation/Settings.h"
#include "foundation/TerminalText.h"

namespace {

constexpr std::uint64_t kMaxCount = std::uint64_t{1} << 62;
constexpr std::uint64_t kMaxSeed = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t kMaxUnits = 4096;
constexpr std::uint64_t kMaxScale = 256;
constexpr std::uint64_t kMaxWorkers = 1024;

// Exit statuses, as sysexits.h and most Unix tools use them: a script or a job scheduler can tell
// a run to fix (1) from a command line to fix (2) from a bug to report (70).
constexpr int kExitBadInput = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInternal = 70;  // EX_SOFTWARE
constexpr const char* kExitCodesHelp =
    "Exit status: 0 success, 1 bad input or data (a file, a setting, a value), 2 usage (an "
    "unknown option, a missing argument), 70 internal error (a bug: please report it).";

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

void addThreads(CLI::App* cmd, int& threads) {
    addWhole(cmd, "--threads", threads,
             "Threads (default: every CPU this process may use; never more than that)", 1,
             kMaxWorkers);
}

}  // namespace

int main(int argc, char** argv) {
    using namespace stdp::cli;
    CLI::App app{
        "stdp-cli: event-based STDP representation learning (Tavanaei, Masquelier & "
        "Maida 2018)"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "stdp-cli " STDP_VERSION);
    app.footer(kExitCodesHelp);

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
    t->add_flag("--json", train.json,
                "Print one JSON object: counters, final metrics, timings (seconds)");
    t->add_option("--log", train.log,
                  "Write the learning curve to this CSV: images seen, theta, spikes per step "
                  "(and validation RMSE on --eval-data)");
    addWhole(t, "--log-every", train.log_every,
             "Images between rows of --log (default: 1/100 of the run)", 1, kMaxCount);
    t->add_flag("--skip-existing", train.skip_existing,
                "If --out is already a complete bundle written by train, leave it and exit 0");
    addThreads(t, train.threads);

    EvalArgs eval;
    auto* e = app.add_subcommand("eval", "Evaluate a model under protocol A (docs/model.md §4)");
    e->add_option("--model", eval.model, "Bundle folder")->required();
    addData(e, eval.data);
    addWhole(e, "--seed", eval.seed, "Seed of the evaluation spikes (default: the model's)", 0,
             kMaxSeed);
    e->add_flag("--json", eval.json, "Print one JSON object");
    addThreads(e, eval.threads);

    FieldsArgs fields;
    auto* f = app.add_subcommand(
        "fields",
        "Census of a model's fields: localised oriented Gabors, blobs, border lines, ...");
    f->add_option("--model", fields.model, "Bundle folder")->required();
    f->add_flag("--list", fields.list, "Also print one line per field: shape and Gabor fit");
    f->add_flag("--json", fields.json, "Print one JSON object (with every field's fit)");
    addThreads(f, fields.threads);

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
    b->add_option("--preset", base.preset,
                  "Preset giving the patch settings (default: paper-natural's 16x16 ON/OFF "
                  "patches for photographs, paper-mnist's 5x5 for digits)");
    b->add_option("--set", base.sets, "Override a setting: KEY=VALUE (repeatable)");
    addWhole(b, "--seed", base.seed, "Random seed", 0, kMaxSeed);
    b->add_flag("--json", base.json, "Print one JSON object");
    addThreads(b, base.threads);

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
    auto* report_threads = addWhole(r, "--threads", report.workers,
                                    "Threads (default: every CPU this process may use; never "
                                    "more than that)",
                                    1, kMaxWorkers);
    addWhole(r, "--workers", report.workers, "Same as --threads (0 = the default)", 0, kMaxWorkers)
        ->excludes(report_threads);

    SweepArgs sweep;
    std::string sweep_eval_spec;
    std::optional<std::size_t> sweep_eval_images;
    std::size_t sweep_eval_offset = 0;
    auto* w = app.add_subcommand(
        "sweep",
        "Write a grid of train runs as a manifest (one command a line) for GNU parallel or a "
        "Slurm job array; runs nothing unless --run");
    addData(w, sweep.data);
    auto* sweep_preset = w->add_option("--preset", sweep.preset, "Preset every run starts from")
                             ->capture_default_str();
    w->add_option("--config", sweep.config, "Start every run from this file instead (as train)")
        ->excludes(sweep_preset);
    w->add_option("--set", sweep.sets,
                  "KEY=V1,V2,...: one value per run along this axis (repeatable; every "
                  "combination is a run)");
    w->add_option("--seeds", sweep.seeds, "Seeds S1,S2,...: an axis of the grid");
    addWhole(w, "--seed-count", sweep.seed_count, "Seeds 1..N: an axis of the grid", 1, kMaxCount);
    w->add_option("--eval-data", sweep_eval_spec, "Each run evaluates on this SPEC");
    addWhole(w, "--eval-images", sweep_eval_images, "Evaluation images", 1, kMaxCount);
    addWhole(w, "--eval-offset", sweep_eval_offset, "Skip this many evaluation images first", 0,
             kMaxCount);
    w->add_flag("--curves", sweep.curves, "Each run writes its learning curve (logs/RUN.csv)");
    addWhole(w, "--threads", sweep.threads, "Threads of each run (default 1)", 1, kMaxWorkers);
    w->add_option("--out", sweep.out, "Sweep folder: manifest.txt, runs/, logs/")->required();
    w->add_option("--slurm", sweep.slurm, "Also write an sbatch job-array script here");
    w->add_flag("--run", sweep.run,
                "Run the manifest here, skipping finished runs, within the CPUs this process may "
                "use");
    addWhole(w, "--jobs", sweep.jobs, "Concurrent runs of --run (default: as many as fit)", 1,
             kMaxWorkers);

    CollectArgs collect;
    auto* c = app.add_subcommand(
        "collect", "Gather every bundle's settings, provenance and metrics into one table");
    c->add_option("dirs", collect.dirs, "Bundle folders or folders holding them")->required();
    c->add_option("--csv", collect.csv, "Write the table as CSV (RFC 4180) here");
    c->add_option("--jsonl", collect.jsonl, "Write the table as JSON Lines here");

    std::string preset_name;
    auto* p = app.add_subcommand("presets", "List presets, or print every setting of one");
    p->add_option("name", preset_name, "Preset name");

    try {
        try {
            app.parse(argc, argv);
        } catch (const CLI::CallForHelp& err) {
            return app.exit(err);
        } catch (const CLI::CallForAllHelp& err) {
            return app.exit(err);
        } catch (const CLI::CallForVersion& err) {
            return app.exit(err);
        } catch (const CLI::ParseError& err) {
            std::fprintf(stderr, "stdp-cli: %s (see stdp-cli --help)\n",
                         stdp::terminalSafe(err.what()).c_str());
            return kExitUsage;
        }
        if (*t) {
            if (!train_eval_spec.empty())
                train.eval = DataSelection{train_eval_spec, train_eval_images, train_eval_offset};
            train.command_line.assign(argv, argv + argc);
            return runTrain(train);
        }
        if (*e)
            return runEval(eval);
        if (*f)
            return runFields(fields);
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
        if (*w) {
            if (!sweep_eval_spec.empty())
                sweep.eval = DataSelection{sweep_eval_spec, sweep_eval_images, sweep_eval_offset};
            std::error_code ec;
            sweep.program = std::filesystem::read_symlink("/proc/self/exe", ec).string();
            if (ec)
                sweep.program = std::filesystem::absolute(argv[0]).string();
            return runSweep(sweep);
        }
        if (*c)
            return runCollect(collect);
        if (*r) {
            if (!report_authors.empty())
                report.authors = report_authors;
            return runReport(report);
        }
    } catch (const stdp::UserError& err) {
        std::fprintf(stderr, "stdp-cli: %s\n", stdp::terminalSafe(err.what()).c_str());
        return kExitBadInput;
    } catch (const std::filesystem::filesystem_error& err) {
        // A file problem the commands did not word themselves: still the user's path, one line.
        const std::string path = err.path1().empty() ? std::string() : err.path1().string() + ": ";
        std::fprintf(stderr, "stdp-cli: %s%s\n", stdp::terminalSafe(path).c_str(),
                     err.code().message().c_str());
        return kExitBadInput;
    } catch (const std::exception& err) {
        std::fprintf(stderr, "stdp-cli: internal error: %s\n",
                     stdp::terminalSafe(err.what()).c_str());
        return kExitInternal;
    } catch (...) {
        std::fprintf(stderr, "stdp-cli: internal error (an unknown exception)\n");
        return kExitInternal;
    }
    return 0;
}
