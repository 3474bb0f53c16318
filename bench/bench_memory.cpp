// Peak resident memory (getrusage ru_maxrss) of a training run, one process per configuration so
// that peaks do not mix. Prints one line: the configuration, RSS after loading the data, peak
// RSS after training, and the weight matrix size for comparison.
//   bench_memory [mnist|natural] K IMAGES
// mnist: paper-mnist on the first IMAGES built-in digits; natural: paper-natural on IMAGES
// whitened 1/f-noise images of 256x256 (5000 random patches each, the preset's default).

#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "BenchData.h"
#include "model/Presets.h"
#include "model/TrainingSession.h"

using namespace stdp;

namespace {
double peakMiB() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_maxrss) / 1024.0;  // Linux reports KiB
}
}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: bench_memory mnist|natural K IMAGES\n");
        return 2;
    }
    const std::string which = argv[1];
    const int units = std::atoi(argv[2]);
    const auto images = static_cast<std::size_t>(std::atoll(argv[3]));
    const bool natural = which == "natural";
    Settings s = presetSettings(natural ? "paper-natural" : "paper-mnist");
    s.structure.units = units;
    const double start = peakMiB();
    const auto data = natural ? bench::pinkNoiseImages(int(images), 256) : bench::digits(0, images);
    const double loaded = peakMiB();
    TrainingSession session(s, data);
    session.trainImages(images);
    const double trained = peakMiB();
    const double weights_mib =
        double(session.layer().inputs()) * session.layer().units() * sizeof(float) / 1048576.0;
    std::printf(
        "%s K=%d images=%zu: start %.1f MiB, data loaded %.1f MiB, peak after training "
        "%.1f MiB (+%.2f MiB for training; weights %.3f MiB), %llu steps\n",
        which.c_str(), units, images, start, loaded, trained, trained - loaded, weights_mib,
        static_cast<unsigned long long>(session.counters().steps));
    return 0;
}
