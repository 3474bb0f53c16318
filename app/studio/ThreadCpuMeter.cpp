#include "ThreadCpuMeter.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#ifdef __linux__
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace stdp::studio {

namespace {
// Fields of /proc/.../stat after the command name (which may hold spaces and parentheses): the
// state is field 3 of the whole line, utime 14, stime 15, nice 19.
constexpr int kUtimeField = 14;
constexpr int kStimeField = 15;
constexpr int kNiceField = 19;
constexpr int kFirstFieldAfterName = 3;

struct StatLine {
    std::string name;
    std::uint64_t ticks = 0;  // utime + stime
    int nice = 0;
    bool ok = false;
};

StatLine readStat(const std::filesystem::path& file) {
    StatLine out;
    std::ifstream in(file);
    std::string line;
    if (!std::getline(in, line))
        return out;
    const auto open = line.find('(');
    const auto close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open)
        return out;
    out.name = line.substr(open + 1, close - open - 1);
    std::istringstream rest(line.substr(close + 1));
    std::string field;
    for (int i = kFirstFieldAfterName; rest >> field; ++i) {
        if (i == kUtimeField || i == kStimeField)
            out.ticks += std::stoull(field);
        if (i == kNiceField) {
            out.nice = std::stoi(field);
            out.ok = true;
            break;
        }
    }
    return out;
}

double ticksPerSecond() {
#ifdef __linux__
    return static_cast<double>(sysconf(_SC_CLK_TCK));
#else
    return 100.0;
#endif
}
}  // namespace

std::vector<ThreadCpu> threadCpuTimes() {
    std::map<std::string, ThreadCpu> by_name;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task", error)) {
        const StatLine s = readStat(entry.path() / "stat");
        if (!s.ok)
            continue;
        ThreadCpu& t = by_name[s.name];
        t.name = s.name;
        t.seconds += static_cast<double>(s.ticks) / ticksPerSecond();
        t.nice = s.nice;
    }
    std::vector<ThreadCpu> out;
    for (auto& [name, t] : by_name)
        out.push_back(t);
    return out;
}

std::vector<ThreadCpu> threadCpuSince(const std::vector<ThreadCpu>& before,
                                      const std::vector<ThreadCpu>& after, double min_seconds) {
    std::vector<ThreadCpu> out;
    for (const ThreadCpu& a : after) {
        const auto b = std::find_if(before.begin(), before.end(),
                                    [&](const ThreadCpu& t) { return t.name == a.name; });
        ThreadCpu d = a;
        d.seconds = std::max(0.0, a.seconds - (b != before.end() ? b->seconds : 0.0));
        if (d.seconds >= min_seconds)
            out.push_back(d);
    }
    std::sort(out.begin(), out.end(),
              [](const ThreadCpu& x, const ThreadCpu& y) { return x.seconds > y.seconds; });
    return out;
}

bool setCurrentThreadNice(int nice) {
#ifdef __linux__
    // On Linux a nice value belongs to a thread (setpriority with a thread id); QThread's own
    // priorities map to nothing under the default scheduler.
    return setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), nice) == 0;
#else
    (void)nice;
    return false;
#endif
}

int MachineLoadMeter::cores() {
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

double MachineLoadMeter::sample() {
    std::ifstream in("/proc/stat");
    std::string cpu;
    in >> cpu;
    if (cpu != "cpu")
        return -1.0;
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    std::uint64_t v[8] = {};
    for (auto& x : v)
        in >> x;
    if (!in)
        return -1.0;
    std::uint64_t total = 0;
    for (auto x : v)
        total += x;
    const std::uint64_t idle = v[3] + v[4];
    const StatLine own = readStat("/proc/self/stat");
    if (!own.ok)
        return -1.0;
    const bool primed = primed_;
    const std::uint64_t d_total = total - total_;
    const std::uint64_t d_busy = d_total - std::min(d_total, idle - idle_);
    const std::uint64_t d_own = own.ticks - own_;
    total_ = total;
    idle_ = idle;
    own_ = own.ticks;
    primed_ = true;
    if (!primed || d_total == 0)
        return -1.0;
    const double others = static_cast<double>(d_busy - std::min(d_busy, d_own));
    return others / static_cast<double>(d_total) * cores();
}

}  // namespace stdp::studio
