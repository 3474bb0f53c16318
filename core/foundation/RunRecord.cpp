#include "foundation/RunRecord.h"

#include <limits>

#include "foundation/Settings.h"
#include "foundation/SettingsJson.h"

namespace stdp {

using nlohmann::json;

namespace {

// Image counts and offsets: the bound the command line puts on them.
constexpr std::uint64_t kMaxCount = std::uint64_t{1} << 62;

json dataRecordToJson(const DataRecord& d) {
    return {{"spec", d.spec},
            {"offset", d.offset},
            {"images", d.images ? json(*d.images) : json()},
            {"count", d.count}};
}

DataRecord dataRecordFromJson(const json& o, const std::string& key, const std::string& where) {
    const std::string w = where + " (provenance." + key + ")";
    if (!o.is_object())
        badKey(where, "provenance." + key, "an object", o);
    DataRecord d;
    d.spec = stringAt(o, "spec", w);
    d.offset = unsignedAt(o, "offset", w, kMaxCount);
    if (!o.contains("images"))
        throw UserError(w + ": 'images' is missing");
    if (!o["images"].is_null())
        d.images = unsignedAt(o, "images", w, kMaxCount);
    d.count = unsignedAt(o, "count", w, kMaxCount);
    return d;
}

double secondsAt(const json& o, const std::string& key, const std::string& where) {
    const double v = finiteAt(o, key, where);
    if (v < 0)
        badKey(where, key, "a duration in seconds, not negative", o[key]);
    return v;
}

}  // namespace

json provenanceToJson(const RunRecord& p) {
    return {{"data", dataRecordToJson(p.data)},
            {"eval", p.eval ? dataRecordToJson(*p.eval) : json()},
            {"epochs", p.epochs},
            {"program", p.program},
            {"version", p.version},
            {"git_commit", p.git_commit},
            {"build_type", p.build_type},
            {"created", p.created},
            {"command_line", p.command_line},
            {"working_directory", p.working_directory},
            {"train_seconds", p.train_seconds},
            {"eval_seconds", p.eval_seconds}};
}

RunRecord provenanceFromJson(const json& j, const std::string& where) {
    if (!j.is_object())
        badKey(where, "provenance", "an object", j);
    const std::string w = where + " (provenance)";
    RunRecord p;
    if (!j.contains("data"))
        throw UserError(w + ": 'data' is missing");
    p.data = dataRecordFromJson(j["data"], "data", where);
    if (!j.contains("eval"))
        throw UserError(w + ": 'eval' is missing");
    if (!j["eval"].is_null())
        p.eval = dataRecordFromJson(j["eval"], "eval", where);
    p.epochs = static_cast<int>(unsignedAt(j, "epochs", w, std::numeric_limits<int>::max()));
    p.program = stringAt(j, "program", w);
    p.version = stringAt(j, "version", w);
    p.git_commit = stringAt(j, "git_commit", w);
    p.build_type = stringAt(j, "build_type", w);
    p.created = stringAt(j, "created", w);
    if (!j.contains("command_line"))
        throw UserError(w + ": 'command_line' is missing");
    const json& args = j["command_line"];
    if (!args.is_array())
        badKey(w, "command_line", "an array of strings", args);
    for (const json& a : args) {
        if (!a.is_string())
            badKey(w, "command_line", "an array of strings", args);
        p.command_line.push_back(a.get<std::string>());
    }
    p.working_directory = stringAt(j, "working_directory", w);
    p.train_seconds = secondsAt(j, "train_seconds", w);
    p.eval_seconds = secondsAt(j, "eval_seconds", w);
    return p;
}

}  // namespace stdp
