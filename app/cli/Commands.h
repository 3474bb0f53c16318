#pragma once
// The subcommands of stdp-cli. Each returns the process exit code; errors are thrown as
// stdp::UserError and reported by main() as one line.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stdp::cli {

// The value an option fills, for options held as optional or plain values.
template <class T>
T& valueOf(std::optional<T>& v) {
    return v.emplace();
}
template <class T>
T& valueOf(T& v) {
    return v;
}

struct DataSelection {
    std::string spec;
    std::optional<std::size_t> images;  // first N (after offset)
    std::size_t offset = 0;             // skip this many images first
};

struct TrainArgs {
    DataSelection data;  // spec empty: the --config file's
    std::string preset = "paper-mnist";
    std::string config;  // experiment file, model.json or bundle folder
    std::vector<std::string> sets;
    std::optional<std::uint64_t> seed;
    std::string out;
    std::optional<DataSelection> eval;       // evaluate after training, metrics go into model.json
    bool json = false;                       // one JSON object on stdout
    std::string log;                         // learning curve CSV
    std::optional<std::uint64_t> log_every;  // images between rows of the log
    bool skip_existing = false;              // a complete bundle at `out` is left as it is
    int threads = 0;                         // 0: all the CPUs the process may use
    std::vector<std::string> command_line;   // as typed, for the provenance
};
struct EvalArgs {
    std::string model;
    DataSelection data;
    std::optional<std::uint64_t> seed;
    bool json = false;
    int threads = 0;
};
struct ImportArgs {
    std::string weights;
    std::string preset = "paper-mnist";
    std::vector<std::string> sets;
    std::string out;
};
struct BaselineArgs {
    std::string method;
    int units = 0;  // required
    int active = 2;
    DataSelection data;
    std::optional<DataSelection> train;
    std::string preset;  // empty: the paper preset of the data's kind (paperPresetForSpec)
    std::vector<std::string> sets;
    std::optional<std::uint64_t> seed;
    bool json = false;
    int threads = 0;
};
struct ExportArgs {
    std::string model;
    std::string filters;
    int scale = 8;
    std::string contrast = "shared";
    std::string neurons_dir;  // one PNG per neuron when set
    std::string nir;          // a NIR file when set
    std::string data;         // NIR calibration data (empty: the preset's)
    std::uint64_t eval_images = 20;
};

struct FieldsArgs {
    std::string model;
    bool json = false;
    bool list = false;  // one line per field
    int threads = 0;
};

int runTrain(const TrainArgs& a);
int runFields(const FieldsArgs& a);
int runEval(const EvalArgs& a);
int runImport(const ImportArgs& a);
int runBaseline(const BaselineArgs& a);
int runExport(const ExportArgs& a);
int runPresets(const std::string& name);

}  // namespace stdp::cli
