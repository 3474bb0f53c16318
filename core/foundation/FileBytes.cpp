#include "foundation/FileBytes.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "foundation/Settings.h"

namespace stdp::detail {

namespace {

std::string openProblem(int error) {
    if (error == ENOENT || error == ENOTDIR)
        return "file not found";
    return "cannot open file (" + fileProblem(error) + ")";
}

std::string fileTypeName(mode_t mode) {
    if (S_ISFIFO(mode))
        return "a pipe (FIFO)";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "a special file";
}

}  // namespace

RegularFile::RegularFile(const std::string& path, const std::string& kind)
    : path_(path), kind_(kind) {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0)
        throw UserError(path + ": " + openProblem(errno));
    struct stat st {};
    const bool stat_ok = ::fstat(fd_, &st) == 0;
    if (!stat_ok || !S_ISREG(st.st_mode)) {
        const int error = errno;
        ::close(fd_);
        fd_ = -1;
        if (!stat_ok)
            throw UserError(path + ": cannot read file (" + std::strerror(error) + ")");
        if (S_ISDIR(st.st_mode))
            throw UserError(path + ": is a directory, not " + kind);
        throw UserError(path + ": is " + fileTypeName(st.st_mode) + ", not " + kind +
                        " (only regular files are read)");
    }
    size_ = static_cast<std::uint64_t>(st.st_size);
}

RegularFile::~RegularFile() {
    if (fd_ >= 0)
        ::close(fd_);
}

void RegularFile::readAt(std::uint64_t offset, std::uint8_t* dst, std::size_t n) const {
    while (n > 0) {
        const ssize_t got = ::pread(fd_, dst, n, static_cast<off_t>(offset));
        if (got < 0) {
            if (errno == EINTR)
                continue;
            throw UserError(path_ + ": read error (" + std::strerror(errno) + ")");
        }
        if (got == 0)
            throw UserError(path_ + ": file ended early (changed while being read?)");
        dst += got;
        n -= static_cast<std::size_t>(got);
        offset += static_cast<std::uint64_t>(got);
    }
}

std::vector<std::uint8_t> RegularFile::readAll(std::uint64_t max_bytes) const {
    if (size_ > max_bytes)
        throw UserError(path_ + ": file too large for " + kind_ + " (" + byteSize(size_) +
                        "; at most " + byteSize(max_bytes) + ")");
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size_));
    readAt(0, bytes.data(), bytes.size());
    return bytes;
}

std::vector<std::uint8_t> readFileBytes(const std::string& path, const std::string& kind,
                                        std::uint64_t max_bytes) {
    return RegularFile(path, kind).readAll(max_bytes);
}

std::string fileProblem(int error) {
    switch (error) {
        case ENOSPC:
        case EDQUOT:
            return "disk full";
        case EACCES:
        case EPERM:
            return "permission denied";
        case ENOENT:
            return "no such file or folder";
        case ENOTDIR:
            return "a part of the path is not a folder";
        case EROFS:
            return "read-only file system";
        case EISDIR:
            return "is a folder";
        default:
            return std::strerror(error);
    }
}

namespace {

// Writes `path`; errors name `shown` (the user's file when `path` is its temporary sibling).
void writeBytesNamed(const std::string& path, const std::string& shown, const void* data,
                     std::size_t size) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        throw UserError(shown + ": cannot write (" + fileProblem(errno) + ")");
    const auto* p = static_cast<const std::uint8_t*>(data);
    std::size_t left = size;
    int error = 0;
    while (left > 0 && error == 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno != EINTR)
                error = errno;
            continue;
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    // Delayed allocation can report a full disk only at fsync or close.
    if (error == 0 && ::fsync(fd) != 0)
        error = errno;
    if (::close(fd) != 0 && error == 0)
        error = errno;
    if (error != 0) {
        ::unlink(path.c_str());
        throw UserError(shown + ": cannot write (" + fileProblem(error) + ")");
    }
}

}  // namespace

void writeFileBytes(const std::string& path, const void* data, std::size_t size) {
    writeBytesNamed(path, path, data, size);
}

void writeFileAtomic(const std::string& path, const void* data, std::size_t size) {
    const std::string dir =
        path.find('/') == std::string::npos ? std::string() : path.substr(0, path.rfind('/') + 1);
    const std::string name = path.substr(dir.size());
    if (name.empty())
        throw UserError(path + ": not a file name");
    const std::string tmp = dir + ".tmp-" + name + "-" + std::to_string(::getpid());
    writeBytesNamed(tmp, path, data, size);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(tmp.c_str());
        throw UserError(path + ": cannot replace the file (" + fileProblem(error) + ")");
    }
}

std::string byteSize(std::uint64_t bytes) {
    constexpr std::array<const char*, 5> kUnits = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    constexpr double kStep = 1024.0;
    if (bytes < 1024)
        return std::to_string(bytes) + " bytes";
    double v = static_cast<double>(bytes);
    std::size_t u = 0;
    while (v >= kStep && u + 1 < kUnits.size()) {
        v /= kStep;
        ++u;
    }
    std::array<char, 32> text{};
    std::snprintf(text.data(), text.size(), "%.1f %s", v, kUnits[u]);
    return text.data();
}

}  // namespace stdp::detail
