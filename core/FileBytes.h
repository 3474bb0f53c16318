#pragma once
// Whole-file reads shared by the binary readers (IDX, NPY), with one-line errors naming the file.

#include <cstdint>
#include <string>
#include <vector>

namespace stdp::detail {

// Reads all bytes of `path`; `kind` names what the file should be ("an IDX file") in the error
// for a folder. Throws UserError.
std::vector<std::uint8_t> readFileBytes(const std::string& path, const std::string& kind);

}  // namespace stdp::detail
