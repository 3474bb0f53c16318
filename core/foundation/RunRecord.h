#pragma once
// Where a run came from (a bundle's "provenance" in model.json), and its JSON form: written by
// stdp-cli train, read back by bundles, by `train --config` to rerun on the same images, and by
// `stdp-cli collect`.

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace stdp {

// Which images a run read: the SPEC, the images skipped first, the limit asked for (none: all)
// and how many there were.
struct DataRecord {
    std::string spec;
    std::uint64_t offset = 0;
    std::optional<std::uint64_t> images;
    std::uint64_t count = 0;
};

// Where a bundle came from, enough to find and rerun it later. Bundles written before it was
// recorded have none; a bundle with it is read as strictly as the rest of model.json.
struct RunRecord {
    DataRecord data;
    std::optional<DataRecord> eval;
    int epochs = 1;
    std::string program;     // "stdp-cli"
    std::string version;     // of the program
    std::string git_commit;  // of its source; "-dirty" when it had uncommitted changes
    std::string build_type;  // Release, Debug...
    std::string created;     // UTC, ISO 8601
    std::vector<std::string> command_line;
    std::string working_directory;  // the command line's relative paths start here
    double train_seconds = 0;
    double eval_seconds = 0;
};

// model.json's "provenance" object.
nlohmann::json provenanceToJson(const RunRecord& p);
// Throws UserError naming `where` and the key when a field is missing or of the wrong type.
RunRecord provenanceFromJson(const nlohmann::json& j, const std::string& where);

}  // namespace stdp
