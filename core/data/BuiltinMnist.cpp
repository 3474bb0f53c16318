#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "data/Dataset.h"
#include "data/IdxReader.h"
#include "data/ImageFolder.h"

namespace stdp::embedded {
// Generated at build time from resources/data/*.gz by cmake/EmbedFile.cmake.
extern const std::uint8_t mnist_images[];
extern const std::size_t mnist_images_size;
extern const std::uint8_t mnist_labels[];
extern const std::size_t mnist_labels_size;
}  // namespace stdp::embedded

namespace stdp {

namespace {

constexpr const char* kSpec = "builtin:mnist";
constexpr float kMaxPixel = 255.0f;
constexpr std::size_t kImageDims = 3;

const std::string kImagesName = "built-in MNIST images";
const std::string kLabelsName = "built-in MNIST labels";

// Images [first, first + count): only those (and what precedes them in the gzip stream) are
// inflated, and only those converted.
ImageSet decodeBuiltinMnist(std::size_t first, std::optional<std::size_t> count) {
    const IdxItems items{first, count};
    const IdxArray images =
        readIdxBytes(embedded::mnist_images, embedded::mnist_images_size, kImagesName, items);
    const IdxArray labels =
        readIdxBytes(embedded::mnist_labels, embedded::mnist_labels_size, kLabelsName, items);
    // These are build inputs, so a mismatch is a packaging bug; still report it plainly.
    if (images.dims.size() != kImageDims)
        throw UserError(kImagesName + ": expected N x rows x cols dimensions");
    if (labels.dims.size() != 1 || labels.dims[0] != images.dims[0])
        throw UserError(kLabelsName + ": count does not match the images");

    ImageSet set;
    set.source = kSpec;
    set.signed_values = false;
    const int rows = static_cast<int>(images.dims[1]);
    const int cols = static_cast<int>(images.dims[2]);
    const std::size_t pixels = static_cast<std::size_t>(rows) * cols;
    const std::size_t n = images.data.size() / pixels;
    set.images.resize(n);
    set.labels.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        Image& image = set.images[i];
        image.rows = rows;
        image.cols = cols;
        image.pixels.resize(pixels);
        for (std::size_t p = 0; p < pixels; ++p)
            image.pixels[p] = float(images.data[i * pixels + p]) / kMaxPixel;
        set.labels[i] = labels.data[i];
    }
    return set;
}

}  // namespace

// Decoded once, on first use; C++ guarantees thread-safe initialisation of function statics.
const ImageSet& detail::cachedBuiltinMnist() {
    static const ImageSet set = decodeBuiltinMnist(0, std::nullopt);
    return set;
}

std::size_t detail::builtinMnistCount() {
    // The header alone: no image is inflated.
    static const std::size_t n = readIdxBytes(embedded::mnist_images, embedded::mnist_images_size,
                                              kImagesName, IdxItems{0, 0})
                                     .dims.at(0);
    return n;
}

ImageSet detail::builtinMnistImages(std::size_t first, std::size_t count) {
    return decodeBuiltinMnist(first, count);
}

ImageSet builtinMnist() {
    return detail::cachedBuiltinMnist();
}

std::size_t builtinMnistSize() {
    return detail::builtinMnistCount();
}

}  // namespace stdp
