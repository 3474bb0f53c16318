#pragma once
// Shared by the fuzz targets. Each target defines LLVMFuzzerTestOneInput; it is linked either
// with libFuzzer (-DSTDP_FUZZ=ON, clang) or with ReplayMain.cpp, a plain main() that runs the
// committed corpus once (ctest label "fuzz" in the normal build).
//
// Contract: a stdp::UserError is the expected outcome for bad input and is swallowed. Any other
// exception escapes, terminates the program and so is reported as a finding, like a crash, an
// assertion or a sanitizer report.

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
