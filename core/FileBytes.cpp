#include "FileBytes.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "Settings.h"

namespace stdp::detail {

std::vector<std::uint8_t> readFileBytes(const std::string& path, const std::string& kind) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw UserError(path + ": file not found");
    if (std::filesystem::is_directory(path, ec))
        throw UserError(path + ": is a directory, not " + kind);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw UserError(path + ": cannot open file for reading");
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                    std::istreambuf_iterator<char>());
    if (in.bad())
        throw UserError(path + ": read error");
    return bytes;
}

}  // namespace stdp::detail
