#include "ImageCodecPlugin.h"

#include <dlfcn.h>

#include <array>
#include <filesystem>
#include <mutex>
#include <vector>

#include "Settings.h"

namespace stdp::detail {

namespace {

constexpr std::size_t kErrorBytes = 512;

struct Plugin {
    ImageDecodeFunction* decode = nullptr;
    std::string problem;  // why it could not be loaded
};

// Beside an installed program (PREFIX/bin -> PREFIX/lib/stdp-studio), then in the build tree.
std::vector<std::filesystem::path> candidates() {
    namespace fs = std::filesystem;
    std::vector<fs::path> paths;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec)
        paths.push_back(exe.parent_path() / STDP_CODEC_PLUGIN_INSTALLED_RELATIVE);
    paths.emplace_back(STDP_CODEC_PLUGIN_BUILD_PATH);
    return paths;
}

Plugin load() {
    Plugin p;
    for (const auto& path : candidates()) {
        std::error_code ec;
        if (!std::filesystem::exists(path, ec))
            continue;
        void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (handle == nullptr) {
            p.problem = ::dlerror();
            continue;
        }
        p.decode = reinterpret_cast<ImageDecodeFunction*>(::dlsym(handle, kImageDecodeSymbol));
        if (p.decode != nullptr)
            return p;
        p.problem = path.string() + " has no " + kImageDecodeSymbol;
    }
    if (p.problem.empty())
        p.problem = "libstdp_imgcodecs.so is not installed beside the program";
    return p;
}

}  // namespace

cv::Mat decodeGrayWithPlugin(const std::uint8_t* bytes, std::size_t size, const std::string& name) {
    static const Plugin plugin = load();  // thread-safe, once
    if (plugin.decode == nullptr)
        throw UserError(name + ": cannot read this format without the image codec plugin (" +
                        plugin.problem + ")");
    cv::Mat out;
    std::array<char, kErrorBytes> error{};
    if (plugin.decode(bytes, size, &out, error.data(), error.size()) != 0)
        throw UserError(name + ": cannot read image (" + std::string(error.data()) + ")");
    return out;
}

}  // namespace stdp::detail
