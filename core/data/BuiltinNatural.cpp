#include "data/EmbeddedFiles.h"
#include "data/ImageFolder.h"

namespace stdp {

namespace {

ImageSet decodeBuiltinNatural() {
    ImageSet set;
    set.source = "built-in natural images";
    set.images.reserve(embedded::natural_images_count);
    for (std::size_t i = 0; i < embedded::natural_images_count; ++i) {
        const embedded::EmbeddedFile& file = embedded::natural_images[i];
        set.images.push_back(
            detail::decodeGrayImage(file.data, file.size, std::string("built-in ") + file.name));
    }
    return set;
}

}  // namespace

// Decoded once, on first use (about 2.3 M pixels); whitening is applied per load, since it
// depends on the settings.
const ImageSet& detail::cachedBuiltinNatural() {
    static const ImageSet set = decodeBuiltinNatural();
    return set;
}

}  // namespace stdp
