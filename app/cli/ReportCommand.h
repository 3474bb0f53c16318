#pragma once
// `stdp-cli report`: regenerates the reproduction report (app/report/Report.h).

#include <optional>
#include <string>
#include <vector>

namespace stdp::cli {

struct ReportArgs {
    std::string out = "docs/results";  // --out DIR
    bool quick = false;                // --quick: smoke run, K = 32 only, well under a minute
    std::string natural;               // --natural DIR (train/ + eval/); empty: part skipped
    // --authors DIR with u08.npy ... u64.npy; unset: ../shared/data/authors-filters if it exists
    std::optional<std::string> authors;
    std::vector<std::string> mnist_presets;    // --mnist-preset NAME (repeatable); empty: default
    std::vector<std::string> natural_presets;  // --natural-preset NAME (repeatable)
    int workers = 0;                           // --workers N; 0: all cores
};

int runReport(const ReportArgs& a);

}  // namespace stdp::cli
