#pragma once
// NumPy .npy files (format 1.0/2.0/3.0): float32 or float64, C or Fortran order.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace stdp {

struct NpyArray {
    std::vector<std::size_t> shape;
    std::vector<double> data;  // always C (row-major) order after reading

    std::size_t size() const {
        std::size_t n = 1;
        for (auto d : shape)
            n *= d;
        return n;
    }
};

enum class NpyDtype { Float32, Float64 };

// Throws UserError naming the file: missing, truncated, bad magic/header, unsupported dtype
// (anything but little-endian <f4 / <f8), data size not matching the shape, NaN/Inf values.
// Only regular files of at most kMaxNpyFileBytes are read.
NpyArray readNpy(const std::string& path);
// The same from bytes in memory; `name` appears in the messages.
NpyArray readNpyBytes(const std::uint8_t* bytes, std::size_t size, const std::string& name);

// The largest .npy file read: 16 times the largest weight array (2 x 32 x 32 inputs, 4096 units,
// float64) the program can use.
inline constexpr std::uint64_t kMaxNpyFileBytes = std::uint64_t{1} << 30;
// Writes C-order data of the given shape. Not atomic by itself (bundles write to a temp dir).
void writeNpy(const std::string& path, const std::vector<std::size_t>& shape, const double* data,
              NpyDtype dtype);
void writeNpy(const std::string& path, const std::vector<std::size_t>& shape, const float* data,
              NpyDtype dtype);

}  // namespace stdp
