#include "data/PngDecoder.h"

#include <png.h>

#include <csetjmp>
#include <cstring>
#include <vector>

#include "foundation/Settings.h"

namespace stdp::detail {

namespace {

constexpr double kRedWeight = 0.299;
constexpr double kGreenWeight = 0.587;
constexpr int kUseGivenWeights = 1;  // png_set_rgb_to_gray's "error action": convert silently

struct MemoryReader {
    const std::uint8_t* bytes = nullptr;
    std::size_t size = 0;
    std::size_t at = 0;
    std::string error;
};

void readBytes(png_structp png, png_bytep out, png_size_t n) {
    auto* r = static_cast<MemoryReader*>(png_get_io_ptr(png));
    if (n > r->size - r->at)
        png_error(png, "truncated PNG data");
    std::memcpy(out, r->bytes + r->at, n);
    r->at += n;
}

[[noreturn]] void onError(png_structp png, png_const_charp message) {
    static_cast<MemoryReader*>(png_get_error_ptr(png))->error = message;
    png_longjmp(png, 1);
}

void onWarning(png_structp /*png*/, png_const_charp /*message*/) {
    // libpng's warnings concern ancillary chunks (colour profiles, text, timestamps), never the
    // grey levels read here: they are not the user's business.
}

// Holds no C++ object with a destructor: libpng's errors leave it by longjmp.
bool decodeInto(png_structp png, png_infop info, cv::Mat& image, std::vector<png_bytep>& rows) {
    if (setjmp(png_jmpbuf(png)))
        return false;
    png_read_info(png, info);
    const png_byte colour = png_get_color_type(png, info);
    const int depth = png_get_bit_depth(png, info);
    if (colour == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(png);
    if (colour == PNG_COLOR_TYPE_GRAY && depth < 8)
        png_set_expand_gray_1_2_4_to_8(png);
    if ((colour & PNG_COLOR_MASK_COLOR) != 0)
        png_set_rgb_to_gray(png, kUseGivenWeights, kRedWeight, kGreenWeight);
    if ((colour & PNG_COLOR_MASK_ALPHA) != 0)
        png_set_strip_alpha(png);
    if (depth == 16)
        png_set_swap(png);  // PNG stores 16-bit samples big-endian
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if (png_get_channels(png, info) != 1)
        png_error(png, "unexpected channel count after grey conversion");
    const auto height = static_cast<int>(png_get_image_height(png, info));
    const auto width = static_cast<int>(png_get_image_width(png, info));
    image.create(height, width, png_get_bit_depth(png, info) == 16 ? CV_16UC1 : CV_8UC1);
    rows.resize(static_cast<std::size_t>(height));
    for (int r = 0; r < height; ++r)
        rows[static_cast<std::size_t>(r)] = image.ptr<png_byte>(r);
    png_read_image(png, rows.data());
    png_read_end(png, nullptr);
    return true;
}

}  // namespace

cv::Mat decodePngGray(const std::uint8_t* bytes, std::size_t size, const std::string& name) {
    MemoryReader reader{bytes, size, 0, {}};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader, onError, onWarning);
    if (png == nullptr)
        throw UserError(name + ": cannot read image (libpng could not start)");
    png_infop info = png_create_info_struct(png);
    if (info == nullptr) {
        png_destroy_read_struct(&png, nullptr, nullptr);
        throw UserError(name + ": cannot read image (libpng could not start)");
    }
    png_set_read_fn(png, &reader, readBytes);
    cv::Mat image;
    std::vector<png_bytep> rows;
    const bool ok = decodeInto(png, info, image, rows);
    png_destroy_read_struct(&png, &info, nullptr);
    if (!ok)
        throw UserError(name + ": cannot read image (corrupt PNG: " + reader.error + ")");
    return image;
}

}  // namespace stdp::detail
