#pragma once
// The format and dimensions of an image file, read from its header bytes alone, so that an image
// too large to decode is refused before any pixel memory is taken.

#include <cstddef>
#include <cstdint>
#include <string>

namespace stdp {

struct ImageHeader {
    std::string format;  // "PNG", "JPEG", "TIFF", "BMP" or "PNM"
    std::uint32_t width = 0;
    std::uint32_t height = 0;
};

// Reads PNG (IHDR), JPEG (the first frame header), TIFF and BigTIFF (the first IFD), BMP and
// PNM (P1-P6, e.g. PGM). Throws UserError naming `name` for anything else, for a truncated or
// inconsistent header and for a zero dimension.
ImageHeader readImageHeader(const std::uint8_t* bytes, std::size_t size, const std::string& name);

}  // namespace stdp
