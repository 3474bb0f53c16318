#include "data/ImageCodecPlugin.h"

#include <array>

#include "foundation/Plugin.h"
#include "foundation/Settings.h"

namespace stdp::detail {

namespace {

constexpr std::size_t kErrorBytes = 512;

}  // namespace

cv::Mat decodeGrayWithPlugin(const std::uint8_t* bytes, std::size_t size, const std::string& name) {
    auto* decode = reinterpret_cast<ImageDecodeFunction*>(
        pluginSymbol("libstdp_imgcodecs.so", kImageDecodeSymbol, name + ": reading this format"));
    cv::Mat out;
    std::array<char, kErrorBytes> error{};
    if (decode(bytes, size, &out, error.data(), error.size()) != 0)
        throw UserError(name + ": cannot read image (" + std::string(error.data()) + ")");
    return out;
}

}  // namespace stdp::detail
