#pragma once
// Reader of the IDX format of MNIST and Fashion-MNIST (plain or gzip-compressed).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stdp {

struct IdxArray {
    std::uint8_t type = 0x08;         // IDX type code; only 0x08 (unsigned byte) is read
    std::vector<std::uint32_t> dims;  // as in the file, e.g. {N, 28, 28} images, {N} labels
    std::size_t first = 0;            // data holds items first, first + 1 ... along dims[0]
    std::vector<std::uint8_t> data;   // row-major
};

// Which items (along the first dimension) to read; the others are skipped, not stored (in a
// gzip file they are inflated into a small scratch buffer, past the last one nothing is).
struct IdxItems {
    std::size_t first = 0;
    std::optional<std::size_t> count;  // to the end if empty; fewer if the file ends first
    // Refuse (before reading the items) when they need more bytes than this.
    std::uint64_t max_bytes = std::uint64_t{1} << 30;
};

// Reads an IDX file, transparently gunzipping (by magic bytes, not by name). Only regular files
// are read. Throws UserError naming the file: missing, truncated, bad magic, unsupported type,
// size not matching the dimensions (checked whole for plain files; for gzip, as far as the
// selected items reach), more than max_bytes selected.
IdxArray readIdx(const std::string& path, const IdxItems& items = {});
// Same from bytes already in memory (for the embedded data set); `name` appears in messages.
IdxArray readIdxBytes(const std::uint8_t* bytes, std::size_t size, const std::string& name,
                      const IdxItems& items = {});

void writeIdx(const std::string& path, const IdxArray& array);  // plain, uncompressed

}  // namespace stdp
