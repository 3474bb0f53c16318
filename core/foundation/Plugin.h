#pragma once
// Libraries that pull in many others (OpenCV's image codecs, HDF5) live in plugins opened with
// dlopen the first time they are needed: linked into the program, their dependencies would be
// loaded and initialised at every start-up, by processes that never read a JPEG or write a NIR
// file.

#include <string>

namespace stdp::detail {

// `symbol` of the plugin `file` (e.g. "libstdp_imgcodecs.so"), looked for beside an installed
// program (PREFIX/bin -> PREFIX/lib/stdp-studio), then in the build tree. Each plugin is opened
// once (thread-safe). Throws UserError saying `needed_for` and why the plugin could not be used.
void* pluginSymbol(const std::string& file, const char* symbol, const std::string& needed_for);

}  // namespace stdp::detail
