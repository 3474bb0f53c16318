#pragma once
// PNG files decoded with libpng under our own error and warning handlers: libpng's default
// handlers print to stderr (e.g. "iCCP: known incorrect sRGB profile"), and a program's messages
// must be its own, one line each.

#include <cstddef>
#include <cstdint>
#include <opencv2/core.hpp>
#include <string>

namespace stdp::detail {

// One grey channel, 8 or 16 bits as stored (CV_8UC1 or CV_16UC1). Colour is converted with the
// same weights as OpenCV's IMREAD_GRAYSCALE (0.299, 0.587, 0.114); alpha is dropped. Throws
// UserError naming `name` for a corrupt file.
cv::Mat decodePngGray(const std::uint8_t* bytes, std::size_t size, const std::string& name);

}  // namespace stdp::detail
