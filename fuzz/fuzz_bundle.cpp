// Model bundles: core/io/Bundle.h loadBundle on a folder written from the input.
//
// Input format: the bytes of model.json, weights.npy and thresholds.npy, in this order, separated
// by the marker kSeparator below (fuzz/bundle.dict gives it to libFuzzer as a dictionary word).
// With fewer than two markers the missing files are not written (a bundle with missing files);
// bytes after a third marker are ignored. fuzz/make_corpus.py encodes a real bundle this way:
//
//   python3 fuzz/make_corpus.py bundle-seed DIR OUT   # DIR = a bundle from stdp-cli train
//
// The folder is created once per process under $TMPDIR (so parallel fuzzing jobs do not share
// it) and removed at exit.
#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "FuzzTarget.h"
#include "foundation/Settings.h"
#include "io/Bundle.h"

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kSeparator = "\n--stdp-fuzz-next-file--\n";
constexpr const char* kFiles[] = {"model.json", "weights.npy", "thresholds.npy"};

struct TempFolder {
    fs::path path;
    TempFolder() {
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/stdp-fuzz-bundle-XXXXXX";
        if (mkdtemp(pattern.data()) == nullptr) {
            std::perror("fuzz_bundle: mkdtemp");
            std::abort();
        }
        path = pattern;
    }
    ~TempFolder() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

const fs::path& folder() {
    static TempFolder f;
    return f.path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const fs::path& dir = folder();
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::size_t start = 0;
    for (int i = 0; i < 3; ++i) {
        const fs::path file = dir / kFiles[i];
        std::error_code ec;
        fs::remove(file, ec);
        if (start > text.size())
            continue;  // fewer parts than files: leave this one missing
        std::size_t end = text.find(kSeparator, start);
        if (end == std::string_view::npos)
            end = text.size();
        std::ofstream out(file, std::ios::binary);
        out.write(text.data() + start, static_cast<std::streamsize>(end - start));
        if (!out) {
            std::perror("fuzz_bundle: write");
            std::abort();
        }
        start = end == text.size() ? text.size() + 1 : end + kSeparator.size();
    }
    try {
        const stdp::ModelBundle b = stdp::loadBundle(dir.string());
        // A bundle that loads must also make a layer (what `stdp-cli eval` does next).
        (void)stdp::layerFromBundle(b);
    } catch (const stdp::UserError&) {
    }
    return 0;
}
