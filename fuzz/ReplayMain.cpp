// A main() for the fuzz targets without libFuzzer: runs LLVMFuzzerTestOneInput once on each file
// given, or on every file (recursively, in name order) of each folder given. Used by ctest to
// replay fuzz/corpus/<target>/, so every committed crash reproducer is a regression test.
//
//   replay_fuzz_idx fuzz/corpus/fuzz_idx [more files or folders]

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "FuzzTarget.h"

namespace fs = std::filesystem;

static void runFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
        std::exit(2);
    }
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
    std::fprintf(stderr, "replay: %s (%zu bytes)\n", path.c_str(), bytes.size());
    // A copy in its own heap block of exactly the input's size, as libFuzzer passes it, so ASan
    // sees a read past the end.
    std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
    LLVMFuzzerTestOneInput(data.empty() ? nullptr : data.data(), data.size());
}

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FILE_OR_FOLDER...\n", argv[0]);
        return 2;
    }
    std::size_t count = 0;
    for (int i = 1; i < argc; ++i) {
        const fs::path arg(argv[i]);
        if (fs::is_directory(arg)) {
            std::vector<fs::path> files;
            for (const auto& entry : fs::recursive_directory_iterator(arg))
                if (entry.is_regular_file())
                    files.push_back(entry.path());
            std::sort(files.begin(), files.end());
            for (const auto& f : files) {
                runFile(f);
                ++count;
            }
        } else {
            runFile(arg);
            ++count;
        }
    }
    if (count == 0) {
        std::fprintf(stderr, "replay: no input files\n");
        return 2;
    }
    std::fprintf(stderr, "replay: %zu input(s), no finding\n", count);
    return 0;
}
