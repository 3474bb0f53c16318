#pragma once
// Image formats other than PNG (JPEG, TIFF, BMP, PGM) through OpenCV's codecs, loaded with
// dlopen the first time such a file is read. Linked into the program, Debian's opencv_imgcodecs
// would load some 140 libraries (GDAL, GDCM, libheif...) into every process at start-up, most of
// which never reads one of those files.

#include <cstddef>
#include <cstdint>
#include <opencv2/core.hpp>
#include <string>

namespace stdp::detail {

// The plugin's one entry point: OpenCV's imdecode of `size` bytes into one grey channel at the
// file's own depth (16-bit files keep their precision); returns 0, or non-zero with a message in
// `error` (at most `error_size` bytes, NUL included).
extern "C" using ImageDecodeFunction = int(const std::uint8_t* bytes, std::size_t size,
                                           cv::Mat* out, char* error, std::size_t error_size);
inline constexpr const char* kImageDecodeSymbol = "stdp_image_decode";

// Decodes with the plugin (foundation/Plugin.h); an empty Mat if OpenCV cannot read it. Throws
// UserError naming `name` when the plugin cannot be found or OpenCV fails.
cv::Mat decodeGrayWithPlugin(const std::uint8_t* bytes, std::size_t size, const std::string& name);

}  // namespace stdp::detail
