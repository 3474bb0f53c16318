#pragma once
// CPU time used by each thread of this process, and by the whole machine, read from the kernel
// (Linux /proc; elsewhere the readings are empty): what the --stats harness reports and what
// tells the analysis whether the machine has a core to spare. Plain values, no Qt.

#include <cstdint>
#include <string>
#include <vector>

namespace stdp::studio {

// One thread as the kernel names it (QThread gives its object name: "simulation", "analysis";
// the GUI thread carries the program's name).
struct ThreadCpu {
    std::string name;
    double seconds = 0.0;  // user + system CPU time since the thread started
    int nice = 0;
};

// Every thread of this process now. Threads of the same name are summed.
std::vector<ThreadCpu> threadCpuTimes();

// CPU seconds used per thread name between two readings (threads that started in between count
// from zero); names with less than `min_seconds` are left out.
std::vector<ThreadCpu> threadCpuSince(const std::vector<ThreadCpu>& before,
                                      const std::vector<ThreadCpu>& after,
                                      double min_seconds = 0.0);

// The calling thread runs at this nice value (higher = yields to the others); false if the
// system refused or has no per-thread nice. Raising it is always allowed, lowering it is not.
bool setCurrentThreadNice(int nice);

// How busy the rest of the machine is: cores kept busy by other processes, measured between two
// calls of sample() (the first call only starts the measurement and returns a negative value).
class MachineLoadMeter {
  public:
    // Cores used by other processes since the previous call; negative when not known yet.
    double sample();
    static int cores();

  private:
    std::uint64_t total_ = 0;  // all CPU ticks of the machine, every core
    std::uint64_t idle_ = 0;
    std::uint64_t own_ = 0;  // this process's ticks
    bool primed_ = false;
};

}  // namespace stdp::studio
