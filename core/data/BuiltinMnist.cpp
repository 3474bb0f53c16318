#include <cstddef>
#include <cstdint>

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

ImageSet decodeBuiltinMnist() {
    const std::string images_name = "built-in MNIST images";
    const std::string labels_name = "built-in MNIST labels";
    const IdxArray images =
        readIdxBytes(embedded::mnist_images, embedded::mnist_images_size, images_name);
    const IdxArray labels =
        readIdxBytes(embedded::mnist_labels, embedded::mnist_labels_size, labels_name);
    // These are build inputs, so a mismatch is a packaging bug; still report it plainly.
    if (images.dims.size() != kImageDims)
        throw UserError(images_name + ": expected N x rows x cols dimensions");
    if (labels.dims.size() != 1 || labels.dims[0] != images.dims[0])
        throw UserError(labels_name + ": count does not match the images");

    ImageSet set;
    set.source = kSpec;
    set.signed_values = false;
    const std::size_t n = images.dims[0];
    const int rows = static_cast<int>(images.dims[1]);
    const int cols = static_cast<int>(images.dims[2]);
    const std::size_t pixels = static_cast<std::size_t>(rows) * cols;
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
    static const ImageSet set = decodeBuiltinMnist();
    return set;
}

ImageSet builtinMnist() {
    return detail::cachedBuiltinMnist();
}

std::size_t builtinMnistSize() {
    return detail::cachedBuiltinMnist().size();
}

}  // namespace stdp
