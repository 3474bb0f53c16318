#pragma once
// `stdp-cli sweep` writes a grid of train runs as a manifest (one shell command a line) for GNU
// parallel, a Slurm job array or its own small local runner; `stdp-cli collect` gathers the
// finished bundles into one table. Neither schedules anything beyond the local runner: the
// engines people already use do that better.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "Commands.h"

namespace stdp::cli {

struct SweepArgs {
    std::string preset = "paper-mnist";
    std::string config;                       // instead of a preset, as in train
    std::vector<std::string> sets;            // KEY=V1,V2,... ; every combination is a run
    std::vector<std::string> seeds;           // --seeds 1,2,3
    std::optional<std::uint64_t> seed_count;  // --seed-count N: seeds 1..N
    DataSelection data;
    std::optional<DataSelection> eval;
    bool curves = false;  // each run writes its learning curve
    int threads = 1;      // per run
    std::string out;      // sweep folder: manifest.txt, runs/, logs/
    std::string slurm;    // write an sbatch job-array script here
    bool run = false;     // run the manifest here
    int jobs = 0;         // concurrent runs of --run; 0: the CPUs the process may use
    std::string program;  // this executable, named in every line
};

struct CollectArgs {
    std::vector<std::string> dirs;
    std::string csv;  // empty with no jsonl: CSV on stdout
    std::string jsonl;
};

int runSweep(const SweepArgs& a);
int runCollect(const CollectArgs& a);

}  // namespace stdp::cli
