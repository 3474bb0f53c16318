#include "SweepCommand.h"

#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>

#include "foundation/FileBytes.h"
#include "foundation/Parallel.h"
#include "foundation/Settings.h"
#include "foundation/SettingsJson.h"
#include "io/Bundle.h"
#include "model/Experiment.h"
#include "model/Presets.h"

extern char** environ;

namespace stdp::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kManifestFile = "manifest.txt";
constexpr const char* kRunsFolder = "runs";
constexpr const char* kLogsFolder = "logs";
// Beyond this a grid is almost certainly a typing mistake (and beyond Slurm's array limits).
constexpr std::size_t kMaxRuns = 1000000;

std::vector<std::string> splitList(const std::string& text, const std::string& what) {
    std::vector<std::string> items;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ','))
        items.push_back(item);
    if (text.empty() || text.back() == ',' ||
        std::any_of(items.begin(), items.end(), [](const std::string& s) { return s.empty(); }))
        throw UserError(what + ": '" + text + "' has an empty item (write V1,V2,...)");
    return items;
}

struct Axis {
    std::string key;
    std::vector<std::string> values;
};

std::vector<Axis> axesOf(const SweepArgs& a, const Settings& base) {
    std::vector<Axis> axes;
    for (const std::string& set : a.sets) {
        const auto eq = set.find('=');
        if (eq == std::string::npos || eq == 0)
            throw UserError("--set: '" + set + "' is not KEY=V1,V2,...");
        Axis axis{set.substr(0, eq), splitList(set.substr(eq + 1), "--set " + set.substr(0, eq))};
        for (const Axis& other : axes)
            if (other.key == axis.key)
                throw UserError("--set: '" + axis.key + "' is given twice");
        for (const std::string& v : axis.values) {
            Settings probe = base;
            applyAssignment(probe, axis.key + "=" + v);  // names the key and value if bad
        }
        axes.push_back(std::move(axis));
    }
    std::vector<std::string> seeds;
    for (const std::string& list : a.seeds)
        for (const std::string& s : splitList(list, "--seeds")) {
            parseWholeNumber("--seeds", s, 0, std::numeric_limits<std::uint64_t>::max());
            seeds.push_back(s);
        }
    for (std::uint64_t s = 1; a.seed_count && s <= *a.seed_count; ++s)
        seeds.push_back(std::to_string(s));
    if (!seeds.empty())
        axes.push_back(Axis{"seed", seeds});
    return axes;
}

void addData(std::vector<std::string>& cmd, const char* prefix, const DataSelection& d) {
    const std::string p = prefix;
    cmd.insert(cmd.end(), {"--" + p + "data", d.spec});
    if (d.offset > 0)
        cmd.insert(cmd.end(), {"--" + p + "offset", std::to_string(d.offset)});
    if (d.images)
        cmd.insert(cmd.end(), {"--" + p + "images", std::to_string(*d.images)});
}

std::string joinQuoted(const std::vector<std::string>& words) {
    std::string line;
    for (const std::string& w : words) {
        if (!line.empty())
            line += ' ';
        line += shellQuote(w);
    }
    return line;
}

void createFolder(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir, ec))
        throw UserError(dir.string() + ": cannot create the folder (" +
                        (ec ? ec.message() : std::string("a file has that name")) + ")");
}

// Writes `text` to `path` unless the file already holds exactly it: a sweep can be written again
// to resume, but never silently turned into another sweep under the same runs.
void writeOnce(const fs::path& path, const std::string& text, const std::string& what) {
    std::error_code ec;
    if (fs::exists(path, ec)) {
        const std::vector<std::uint8_t> old =
            detail::readFileBytes(path.string(), what, std::uint64_t{1} << 30);
        if (std::string(old.begin(), old.end()) == text)
            return;
        throw UserError(path.string() +
                        ": exists with other runs; choose another --out or remove it");
    }
    detail::writeFileAtomic(path.string(), text.data(), text.size());
}

std::string slurmScript(const fs::path& manifest, const fs::path& logs, std::size_t runs,
                        int threads) {
    std::ostringstream s;
    s << "#!/bin/bash\n"
      << "# One array task per line of " << manifest.string() << ".\n"
      << "# A run whose bundle is complete is skipped (--skip-existing), so resubmitting the\n"
      << "# array after a failure or a time limit only does what is left.\n"
      << "#SBATCH --job-name=stdp-sweep\n"
      << "#SBATCH --array=1-" << runs << "\n"
      << "#SBATCH --ntasks=1\n"
      << "#SBATCH --cpus-per-task=" << threads << "\n"
      << "#SBATCH --output=" << (logs / "slurm-%A_%a.out").string() << "\n"
      << "set -euo pipefail\n"
      << "line=$(sed -n \"${SLURM_ARRAY_TASK_ID}p\" " << shellQuote(manifest.string()) << ")\n"
      << "exec /bin/sh -c \"$line\"\n";
    return s.str();
}

// Runs the manifest's lines here, at most `jobs` at once; each run's output goes to its log.
// Returns how many failed.
std::size_t runLocally(const std::vector<std::string>& lines, const std::vector<std::string>& names,
                       const fs::path& logs, int jobs) {
    std::map<pid_t, std::size_t> running;
    std::size_t next = 0;
    std::size_t failed = 0;
    std::size_t finished = 0;
    while (next < lines.size() || !running.empty()) {
        while (next < lines.size() && running.size() < static_cast<std::size_t>(jobs)) {
            const std::string log = (logs / (names[next] + ".log")).string();
            const std::string line = lines[next] + " >" + shellQuote(log) + " 2>&1";
            const char* argv[] = {"/bin/sh", "-c", line.c_str(), nullptr};
            pid_t pid = 0;
            const int rc = posix_spawn(&pid, "/bin/sh", nullptr, nullptr,
                                       const_cast<char* const*>(argv), environ);
            if (rc != 0)
                throw UserError(std::string("cannot start /bin/sh (") + std::strerror(rc) + ")");
            running[pid] = next++;
        }
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            throw UserError(std::string("waiting for a run: ") + std::strerror(errno));
        }
        const auto it = running.find(pid);
        if (it == running.end())
            continue;
        const std::size_t k = it->second;
        running.erase(it);
        ++finished;
        const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        if (!ok)
            ++failed;
        std::fprintf(
            stderr, "[%zu/%zu] %s %s\n", finished, lines.size(), names[k].c_str(),
            ok ? "done" : ("FAILED (see " + (logs / (names[k] + ".log")).string() + ")").c_str());
    }
    return failed;
}

}  // namespace

int runSweep(const SweepArgs& a) {
    const Settings base =
        a.config.empty() ? presetSettings(a.preset) : loadConfig(a.config).settings;
    const std::vector<Axis> axes = axesOf(a, base);
    std::size_t runs = 1;
    for (const Axis& axis : axes) {
        runs *= axis.values.size();
        if (runs > kMaxRuns)
            throw UserError("the grid has more than " + std::to_string(kMaxRuns) + " runs");
    }

    const fs::path root = fs::absolute(a.out).lexically_normal();
    const fs::path runs_dir = root / kRunsFolder;
    const fs::path logs = root / kLogsFolder;
    const int width = static_cast<int>(std::to_string(runs).size());
    std::vector<std::string> lines;
    std::vector<std::string> names;
    for (std::size_t r = 0; r < runs; ++r) {
        // Mixed radix, last axis fastest: runs of one setting combination sit together.
        std::vector<std::size_t> pick(axes.size());
        for (std::size_t rest = r, i = axes.size(); i-- > 0;) {
            pick[i] = rest % axes[i].values.size();
            rest /= axes[i].values.size();
        }
        char name[32];
        std::snprintf(name, sizeof name, "%0*zu", width, r + 1);
        std::vector<std::string> cmd{a.program, "train"};
        if (a.config.empty())
            cmd.insert(cmd.end(), {"--preset", a.preset});
        else
            cmd.insert(cmd.end(), {"--config", fs::absolute(a.config).string()});
        addData(cmd, "", a.data);
        if (a.eval)
            addData(cmd, "eval-", *a.eval);
        Settings check = base;
        for (std::size_t i = 0; i < axes.size(); ++i) {
            const std::string& v = axes[i].values[pick[i]];
            if (axes[i].key == "seed")
                cmd.insert(cmd.end(), {"--seed", v});
            else
                cmd.insert(cmd.end(), {"--set", axes[i].key + "=" + v});
            applyAssignment(check, axes[i].key + "=" + v);
        }
        try {
            validate(check);  // a combination can be invalid where each value alone is fine
        } catch (const UserError& e) {
            throw UserError("run " + std::string(name) + ": " + e.what());
        }
        cmd.insert(cmd.end(), {"--threads", std::to_string(a.threads), "--skip-existing"});
        if (a.curves)
            cmd.insert(cmd.end(), {"--log", (logs / (std::string(name) + ".csv")).string()});
        cmd.insert(cmd.end(), {"--out", (runs_dir / name).string()});
        lines.push_back(joinQuoted(cmd));
        names.emplace_back(name);
    }

    createFolder(runs_dir);
    createFolder(logs);
    const fs::path manifest = root / kManifestFile;
    std::string text;
    for (const std::string& line : lines)
        text += line + "\n";
    writeOnce(manifest, text, "a sweep manifest");
    if (!a.slurm.empty()) {
        const std::string script = slurmScript(manifest, logs, runs, a.threads);
        detail::writeFileAtomic(a.slurm, script.data(), script.size());
        ::chmod(a.slurm.c_str(), 0755);
    }
    std::fprintf(stderr, "%zu runs in %s\n", runs, manifest.c_str());
    std::printf("%s\n", manifest.c_str());
    if (!a.run)
        return 0;
    // Each run uses --threads CPUs: together they stay within what this process may use.
    const int allowed = std::max(1, workerCount() / std::max(1, a.threads));
    const int jobs = a.jobs > 0 ? std::min(a.jobs, allowed) : allowed;
    const std::size_t failed = runLocally(lines, names, logs, jobs);
    if (failed > 0)
        throw UserError(std::to_string(failed) + " of " + std::to_string(runs) +
                        " runs failed; run the sweep again to retry them (finished runs are "
                        "skipped)");
    return 0;
}

namespace {

// Rows keep their columns in the order they were set, so JSON Lines reads like the CSV.
using Row = nlohmann::ordered_json;

// A table cell under RFC 4180: quoted when it holds a comma, a quote or a line break.
std::string csvCell(const Row& v) {
    std::string text;
    if (v.is_null())
        return text;
    text = v.is_string() ? v.get<std::string>() : v.dump();
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string q = "\"";
    for (char c : text)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

template <class T>
Row valueOr(bool present, const T& value) {
    return present ? Row(value) : Row();
}

// One row: where the bundle is, every setting, the provenance, the metrics. Every bundle gets the
// same columns (null where it has no value), so the table is rectangular.
Row rowOf(const fs::path& dir, const ModelBundle& b) {
    Row row = Row::object();
    row["run"] = dir.string();
    row["preset"] = b.preset;
    row["data"] = b.data_source;
    row["images_seen"] = b.images_seen;
    row["theta"] = std::accumulate(b.thresholds.begin(), b.thresholds.end(), 0.0) /
                   static_cast<double>(std::max<std::size_t>(1, b.thresholds.size()));
    const json settings = settingsToJson(b.settings);
    for (const SettingInfo& info : settingInfos())
        row[info.name] = Row::parse(settings.at(info.name).dump());
    const bool has = b.provenance.has_value();
    const RunRecord p = b.provenance.value_or(RunRecord{});
    for (const auto& [prefix, d] :
         {std::pair{"data_", std::optional<DataRecord>(p.data)}, std::pair{"eval_", p.eval}}) {
        const bool known = has && d.has_value();
        const DataRecord r = d.value_or(DataRecord{});
        row[std::string(prefix) + "spec"] = valueOr(known, r.spec);
        row[std::string(prefix) + "offset"] = valueOr(known, r.offset);
        row[std::string(prefix) + "images"] = valueOr(known && r.images, r.images.value_or(0));
        row[std::string(prefix) + "count"] = valueOr(known, r.count);
    }
    row["program"] = valueOr(has, p.program);
    row["version"] = valueOr(has, p.version);
    row["git_commit"] = valueOr(has, p.git_commit);
    row["build_type"] = valueOr(has, p.build_type);
    row["created"] = valueOr(has, p.created);
    row["command_line"] = valueOr(has, joinQuoted(p.command_line));
    row["working_directory"] = valueOr(has, p.working_directory);
    row["train_seconds"] = valueOr(has, p.train_seconds);
    row["eval_seconds"] = valueOr(has, p.eval_seconds);
    const bool hm = b.metrics.has_value();
    const ReconstructionMetrics m = b.metrics.value_or(ReconstructionMetrics{});
    row["metric_rmse"] = valueOr(hm, m.rmse);
    row["metric_nmse"] = valueOr(hm, m.nmse);
    row["metric_activity"] = valueOr(hm && m.has_activity, m.activity);
    row["metric_treves_rolls"] = valueOr(hm, m.treves_rolls);
    row["metric_active_per_patch"] = valueOr(hm, m.active_per_patch);
    row["metric_dead_fraction"] = valueOr(hm, m.dead_fraction);
    row["metric_silent_fraction"] = valueOr(hm, m.silent_fraction);
    row["metric_patches"] = valueOr(hm, m.patches);
    return row;
}

// Every bundle under `dirs` (a folder may itself be one), skipping the temporary folders of
// saves in progress or killed. Sorted, so the table does not depend on directory order.
std::vector<fs::path> findBundles(const std::vector<std::string>& dirs) {
    std::vector<fs::path> found;
    for (const std::string& d : dirs) {
        std::error_code ec;
        if (!fs::is_directory(d, ec))
            throw UserError(d + ": no such folder");
        if (fs::exists(fs::path(d) / "model.json", ec)) {
            found.emplace_back(d);
            continue;
        }
        fs::recursive_directory_iterator it(d, ec), end;
        if (ec)
            throw UserError(d + ": " + ec.message());
        for (; it != end; it.increment(ec)) {
            if (ec)
                throw UserError(d + ": " + ec.message());
            const std::string name = it->path().filename().string();
            if (name.starts_with(".tmp-")) {
                it.disable_recursion_pending();
                continue;
            }
            if (it->is_directory(ec) && fs::exists(it->path() / "model.json", ec)) {
                found.push_back(it->path());
                it.disable_recursion_pending();
            }
        }
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    return found;
}

}  // namespace

int runCollect(const CollectArgs& a) {
    const std::vector<fs::path> bundles = findBundles(a.dirs);
    if (bundles.empty())
        throw UserError("no model bundles under the given folders");
    std::vector<Row> rows;
    for (const fs::path& dir : bundles)
        rows.push_back(rowOf(dir, loadBundle(dir.string())));

    std::string csv;
    for (const auto& [key, value] : rows.front().items()) {
        if (key != "run")  // the first column
            csv += ',';
        csv += csvCell(key);
    }
    csv += "\r\n";
    std::string jsonl;
    for (const Row& row : rows) {
        std::string line;
        for (const auto& [key, value] : row.items()) {
            if (key != "run")
                line += ',';
            line += csvCell(value);
        }
        csv += line + "\r\n";
        jsonl += row.dump() + "\n";
    }
    if (!a.csv.empty())
        detail::writeFileAtomic(a.csv, csv.data(), csv.size());
    if (!a.jsonl.empty())
        detail::writeFileAtomic(a.jsonl, jsonl.data(), jsonl.size());
    if (a.csv.empty() && a.jsonl.empty())
        std::fwrite(csv.data(), 1, csv.size(), stdout);
    std::fprintf(stderr, "collected %zu bundles\n", rows.size());
    return 0;
}

}  // namespace stdp::cli
