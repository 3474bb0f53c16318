#pragma once
// Private to Report.cpp: the measured results of a report run and their Markdown rendering.

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/Baselines.h"
#include "analysis/GaborFit.h"
#include "analysis/Metrics.h"
#include "report/Report.h"

namespace stdp {

struct RunResult {
    std::string method;  // preset name or baseline label
    int units = 0;
    ReconstructionMetrics metrics;             // final, protocol A
    std::vector<ReconstructionMetrics> curve;  // MNIST STDP: one per checkpoint
    FieldCensus census;                        // natural images: shape of every field
    std::string figure;                        // file name in the output folder, if any
    std::string gabor_figure;                  // orientation / frequency histograms
    double theta = 0.0;                        // mean threshold after training (spiking)
    double seconds = 0.0;
};

struct MnistResults {
    std::size_t train_images = 0;
    std::size_t eval_first = 0;  // index of the first held-out digit
    std::size_t eval_images = 0;
    std::size_t eval_patches = 0;
    std::size_t baseline_train_patches = 0;
    std::size_t baseline_pool = 0;  // training patches the baseline subset was drawn from
    std::vector<std::uint64_t> checkpoints;
    std::vector<RunResult> stdp;  // per K (descending) x preset
    std::vector<RunResult> baselines;
    std::vector<RunResult> authors;            // at theta0 = 0.15, as in their code
    std::vector<RunResult> authors_our_theta;  // at the theta paper-mnist ended with
    std::string authors_figure;
    std::string authors_note;
};

struct NaturalResults {
    bool ran = false;
    std::string note;  // why it did not run
    std::size_t train_images = 0;
    std::size_t eval_images = 0;
    int patches_per_image = 0;
    int eval_patches_per_image = 0;
    std::size_t eval_patches = 0;
    std::size_t baseline_train_patches = 0;
    std::vector<RunResult> stdp;
    std::vector<RunResult> baselines;  // with Gabor fits of the dictionaries
};

struct Timing {
    std::string part;
    double seconds = 0.0;
};

struct ReportContent {
    std::string command;
    bool quick = false;
    int workers = 1;
    std::vector<std::string> mnist_presets;
    std::vector<std::string> natural_presets;
    MnistResults mnist;
    NaturalResults natural;
    std::vector<Timing> timings;
    double seconds = 0.0;
};

std::string baselineLabel(BaselineMethod method, int active);
// Writes README.md atomically (temporary file + rename); throws UserError naming the file.
void writeReadme(const std::string& path, const ReportContent& rc);
// The rows of the summary table (also returned to callers of writeReport).
std::vector<ReportRow> summaryRows(const ReportContent& rc);

}  // namespace stdp
