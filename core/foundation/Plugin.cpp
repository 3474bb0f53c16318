#include "foundation/Plugin.h"

#include <dlfcn.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <vector>

#include "foundation/Settings.h"

namespace stdp::detail {

namespace {

struct Opened {
    void* handle = nullptr;
    std::string problem;  // why it could not be opened
};

Opened open(const std::string& file) {
    namespace fs = std::filesystem;
    std::vector<fs::path> paths;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec)
        paths.push_back(exe.parent_path() / STDP_PLUGIN_DIR_INSTALLED_RELATIVE / file);
    paths.push_back(fs::path(STDP_PLUGIN_DIR_BUILD) / file);
    Opened o;
    for (const fs::path& path : paths) {
        if (!fs::exists(path, ec))
            continue;
        o.handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (o.handle != nullptr)
            return o;
        o.problem = ::dlerror();
    }
    if (o.problem.empty())
        o.problem = file + " is not installed beside the program";
    return o;
}

}  // namespace

void* pluginSymbol(const std::string& file, const char* symbol, const std::string& needed_for) {
    static std::mutex mutex;
    static std::map<std::string, Opened> opened;
    std::lock_guard lock(mutex);
    auto it = opened.find(file);
    if (it == opened.end())
        it = opened.emplace(file, open(file)).first;
    if (it->second.handle == nullptr)
        throw UserError(needed_for + " needs the plugin " + file + " (" + it->second.problem + ")");
    void* found = ::dlsym(it->second.handle, symbol);
    if (found == nullptr)
        throw UserError(needed_for + " needs " + symbol + " in " + file + ", which lacks it");
    return found;
}

}  // namespace stdp::detail
