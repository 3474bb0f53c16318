#pragma once
// Reading user files safely: only regular files are data (a FIFO, a device or a symlink to
// /dev/zero is refused before anything is read), sizes are checked before memory is taken, and
// every failure is one line naming the file.

#include <cstdint>
#include <string>
#include <vector>

namespace stdp::detail {

// An open regular file, read by offset. Closes itself.
class RegularFile {
  public:
    // `kind` names what the file should be ("an IDX file") in the errors. Throws UserError when
    // the path is missing, unreadable, a folder or not a regular file.
    RegularFile(const std::string& path, const std::string& kind);
    ~RegularFile();
    RegularFile(const RegularFile&) = delete;
    RegularFile& operator=(const RegularFile&) = delete;

    std::uint64_t size() const { return size_; }
    const std::string& path() const { return path_; }
    // Reads exactly n bytes at `offset`; throws UserError if the file ends first or reading fails.
    void readAt(std::uint64_t offset, std::uint8_t* dst, std::size_t n) const;
    // The whole file, refused (before reading) when it is larger than max_bytes.
    std::vector<std::uint8_t> readAll(std::uint64_t max_bytes) const;

  private:
    std::string path_;
    std::string kind_;
    int fd_ = -1;
    std::uint64_t size_ = 0;
};

// All bytes of the regular file `path`, at most max_bytes. Throws UserError.
std::vector<std::uint8_t> readFileBytes(const std::string& path, const std::string& kind,
                                        std::uint64_t max_bytes);

// Writes `size` bytes to `path` (created or truncated) and flushes them to the disk. Throws
// UserError naming the path and the reason in words ("disk full", "permission denied"...); a
// partly written file is removed.
void writeFileBytes(const std::string& path, const void* data, std::size_t size);
// The same through a temporary sibling renamed over `path`: readers see the old file or the new
// one, never a part.
void writeFileAtomic(const std::string& path, const void* data, std::size_t size);
// The reason of a failed file operation in words, from errno.
std::string fileProblem(int error);

// "12.5 MiB": sizes in messages.
std::string byteSize(std::uint64_t bytes);

}  // namespace stdp::detail
