#pragma once
// The reproduction report of issue 4: trains the presets on MNIST (and on natural images when a
// folder is given), evaluates them under protocol A next to the classical baselines and the
// authors' own filters, fits Gabors to the natural-image fields, and writes README.md + PNG
// figures. Presets are data: every name in the lists is run, so new presets need no code here.
// Deterministic: independent runs go to parallel threads, each with its own seeds.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "analysis/Metrics.h"

namespace stdp {

struct ReportOptions {
    std::string out_dir;  // created if missing; README.md and *.png go here
    bool quick = false;   // smoke run: few images, K = 32 only
    // Folder with train/ and eval/ image subfolders (scripts/fetch-natural-images.sh); empty or
    // missing: the natural-image part is skipped with a note.
    std::string natural_dir;
    // Folder with u08.npy ... u64.npy; empty or missing: skipped with a note.
    std::string authors_dir;
    // Empty: defaultReportPresets("mnist") / ("natural").
    std::vector<std::string> mnist_presets;
    std::vector<std::string> natural_presets;
    std::string command;  // the command line that produced the report, quoted in README.md
    int workers = 0;      // threads for independent runs; <= 0: all cores
    std::function<void(const std::string&)> log;  // progress lines (may be empty)
};

// One line of the summary table.
struct ReportRow {
    std::string part;    // "MNIST 5x5" or "natural 16x16"
    std::string method;  // preset name, "authors' filters", "k-means", "sparse coding (2)", "PCA"
    int units = 0;
    ReconstructionMetrics metrics;
};

struct ReportResult {
    std::vector<ReportRow> rows;  // every evaluated model, in table order
    std::string readme;           // path of README.md
    double seconds = 0.0;
};

// "paper-<kind>" and "improved-<kind>", each if it exists in presets().
std::vector<std::string> defaultReportPresets(const std::string& kind);

// Throws UserError for unusable options (unknown preset, unwritable folder).
ReportResult writeReport(const ReportOptions& options);

}  // namespace stdp
