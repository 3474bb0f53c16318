#include "ReportCommand.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "foundation/Settings.h"
#include "report/Report.h"

namespace stdp::cli {

namespace {

// Where the shared data sit next to a checkout (the report runs from the repository root).
constexpr const char* kDefaultAuthorsDir = "../shared/data/authors-filters";

// The command as a user would retype it, for the README (not argv: paths stay as given).
std::string commandLine(const ReportArgs& a, const std::string& authors) {
    std::string c;
    if (!a.natural.empty())
        c += "scripts/fetch-natural-images.sh " + a.natural + "\n";
    c += "stdp-cli report --out " + a.out;
    if (a.quick)
        c += " --quick";
    if (!a.natural.empty())
        c += " --natural " + a.natural;
    if (!authors.empty())
        c += " --authors " + authors;
    for (const auto& p : a.mnist_presets)
        c += " --mnist-preset " + p;
    for (const auto& p : a.natural_presets)
        c += " --natural-preset " + p;
    return c;
}

// A folder the user named but that is not usable is refused before the hours of the MNIST part,
// not noted in a finished report that lacks the part it was meant to have.
void checkNamedFolders(const ReportArgs& a) {
    namespace fs = std::filesystem;
    if (!a.natural.empty() && (!fs::is_directory(fs::path(a.natural) / "train") ||
                               !fs::is_directory(fs::path(a.natural) / "eval")))
        throw UserError("--natural " + a.natural +
                        ": needs train/ and eval/ folders (scripts/fetch-natural-images.sh)");
    if (a.authors && !fs::is_directory(*a.authors))
        throw UserError("--authors " + *a.authors + ": not a folder");
}

}  // namespace

int runReport(const ReportArgs& a) {
    checkNamedFolders(a);
    std::string authors = a.authors.value_or("");
    if (!a.authors && std::filesystem::is_directory(kDefaultAuthorsDir))
        authors = kDefaultAuthorsDir;
    ReportOptions o;
    o.out_dir = a.out;
    o.quick = a.quick;
    o.natural_dir = a.natural;
    o.authors_dir = authors;
    o.mnist_presets = a.mnist_presets;
    o.natural_presets = a.natural_presets;
    o.workers = a.workers;
    o.command = commandLine(a, authors);
    const auto start = std::chrono::steady_clock::now();
    o.log = [start](const std::string& line) {
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::fprintf(stderr, "[%7.1f s] %s\n", s, line.c_str());
    };
    const ReportResult r = writeReport(o);
    std::fprintf(stderr, "wrote %s (%.1f s)\n", r.readme.c_str(), r.seconds);
    std::printf("%-14s %-22s %5s %9s %9s %8s %6s\n", "data", "method", "K", "rmse", "nmse",
                "active", "dead");
    for (const ReportRow& row : r.rows)
        std::printf("%-14s %-22s %5d %9.5f %9.5f %8.3f %6.3f\n", row.part.c_str(),
                    row.method.c_str(), row.units, row.metrics.rmse, row.metrics.nmse,
                    row.metrics.active_per_patch, row.metrics.dead_fraction);
    return 0;
}

}  // namespace stdp::cli
