// stdp-cli: train, evaluate, import and export event-based STDP models from the command line.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "Commands.h"
#include "ReportCommand.h"
#include "Settings.h"

namespace {

void addData(CLI::App* cmd, stdp::cli::DataSelection& d, bool required = true) {
    auto* opt =
        cmd->add_option("--data", d.spec, "Data SPEC: builtin:mnist, idx:PATH or images:DIR");
    if (required)
        opt->required();
    cmd->add_option("--images", d.images,
                    "Use the first N images (after --offset); all if omitted");
    cmd->add_option("--offset", d.offset,
                    "Skip the first M images (keeps train and eval disjoint)");
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
    addData(t, train.data);
    t->add_option("--preset", train.preset, "Preset to start from (see `presets`)")
        ->capture_default_str();
    t->add_option("--set", train.sets, "Override a setting: KEY=VALUE (repeatable)");
    t->add_option("--seed", train.seed, "Random seed");
    t->add_option("--out", train.out, "Output bundle folder")->required();
    t->add_option("--eval-data", train_eval_spec, "Evaluate on this SPEC after training");
    t->add_option("--eval-images", train_eval_images, "Evaluation images");
    t->add_option("--eval-offset", train_eval_offset, "Skip this many evaluation images first");

    EvalArgs eval;
    auto* e = app.add_subcommand("eval", "Evaluate a model under protocol A (PAPER.md §3)");
    e->add_option("--model", eval.model, "Bundle folder")->required();
    addData(e, eval.data);
    e->add_option("--seed", eval.seed, "Seed of the evaluation spikes (default: the model's)");
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
    b->add_option("--units", base.units, "Number of units K")->required();
    b->add_option("--active", base.active, "Active units per patch (sparse coding)")
        ->capture_default_str();
    addData(b, base.data);
    b->add_option("--train-data", base_train_spec, "Training SPEC (default: --data)");
    b->add_option("--train-images", base_train_images, "Training images");
    b->add_option("--train-offset", base_train_offset, "Skip this many training images first");
    b->add_option("--preset", base.preset, "Preset giving the patch settings")
        ->capture_default_str();
    b->add_option("--set", base.sets, "Override a setting: KEY=VALUE (repeatable)");
    b->add_option("--seed", base.seed, "Random seed");
    b->add_flag("--json", base.json, "Print one JSON object");

    ExportArgs exp;
    auto* x = app.add_subcommand("export", "Write the receptive-field mosaic as PNG");
    x->add_option("--model", exp.model, "Bundle folder")->required();
    x->add_option("--filters", exp.filters, "Output PNG")->required();
    x->add_option("--scale", exp.scale, "Pixels per weight")->capture_default_str();
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
    r->add_option("--workers", report.workers, "Threads (0 = all cores)");

    std::string preset_name;
    auto* p = app.add_subcommand("presets", "List presets, or print every setting of one");
    p->add_option("name", preset_name, "Preset name");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& err) {
        return app.exit(err);
    }

    try {
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
    } catch (const std::exception& err) {
        std::fprintf(stderr, "stdp-cli: internal error: %s\n", err.what());
        return 2;
    }
    return 0;
}
