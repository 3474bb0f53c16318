#pragma once
// Reader of the IDX format of MNIST and Fashion-MNIST (plain or gzip-compressed).

#include <cstdint>
#include <string>
#include <vector>

namespace stdp {

struct IdxArray {
    std::uint8_t type = 0x08;         // IDX type code; only 0x08 (unsigned byte) is read
    std::vector<std::uint32_t> dims;  // e.g. {N, 28, 28} for images, {N} for labels
    std::vector<std::uint8_t> data;   // row-major
};

// Reads a whole IDX file; transparently gunzips (by magic bytes, not by name).
// Throws UserError naming the file: missing, truncated, bad magic, unsupported type,
// size not matching the dimensions.
IdxArray readIdx(const std::string& path);
// Same from bytes already in memory (for the embedded data set); `name` appears in messages.
IdxArray readIdxBytes(const std::uint8_t* bytes, std::size_t size, const std::string& name);

void writeIdx(const std::string& path, const IdxArray& array);  // plain, uncompressed

}  // namespace stdp
