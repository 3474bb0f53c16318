#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string_view>

#include "data/Dataset.h"
#include "data/IdxReader.h"
#include "data/ImageFolder.h"

namespace stdp {

namespace {

constexpr std::string_view kBuiltinScheme = "builtin:";
constexpr std::string_view kBuiltinMnist = "builtin:mnist";
constexpr const char* kBuiltinNames = "builtin:mnist, builtin:natural, builtin:natural-eval";
constexpr std::string_view kIdxScheme = "idx:";
constexpr std::string_view kImagesScheme = "images:";
constexpr const char* kSpecForms =
    "builtin:mnist, builtin:natural, builtin:natural-eval, idx:PATH or images:DIR";
// File-name parts that tie an (Fashion-)MNIST image file to its label file.
constexpr std::string_view kImagesTag = "images-idx3";
constexpr std::string_view kLabelsTag = "labels-idx1";
constexpr std::size_t kImageDims = 3;
constexpr float kMaxPixel = 255.0f;

struct Range {
    std::size_t first = 0;
    std::size_t count = 0;
};

// Which images [first, first + count) of `total` to take; `first` must name an existing image.
Range selectRange(const std::string& spec, std::size_t total, std::size_t first,
                  std::optional<std::size_t> count) {
    if (first >= total)
        throw UserError(spec + " has only " + std::to_string(total) +
                        " images (asked to start at " + std::to_string(first) + ")");
    const std::size_t available = total - first;
    return {first, count ? std::min(*count, available) : available};
}

// Images [first, first + count) of the part [part_first, part_first + part_size) of `all`.
ImageSet cutBuiltin(const std::string& spec, const ImageSet& all, std::size_t part_first,
                    std::size_t part_size, std::size_t first, std::optional<std::size_t> count) {
    const Range range = selectRange(spec, part_size, first, count);
    const auto begin = static_cast<std::ptrdiff_t>(part_first + range.first);
    const auto end = begin + static_cast<std::ptrdiff_t>(range.count);
    ImageSet set;
    set.images.assign(all.images.begin() + begin, all.images.begin() + end);
    if (!all.labels.empty())
        set.labels.assign(all.labels.begin() + begin, all.labels.begin() + end);
    return set;
}

// Whitening, then scaling by onoff_scale with the tails clipped (docs/model.md §1): the one path of
// photographs, whether they come from a folder or are built in.
void whitenForOnOff(ImageSet& set, const DataSettings& data) {
    set.signed_values = data.whiten;
    if (!data.whiten)
        return;
    for (Image& image : set.images)
        image = preparePhotograph(image, data);
}

void checkWhitening(const DataSettings& data) {
    if (data.whiten && !(data.onoff_scale > 0.0))
        throw UserError("onoff_scale must be > 0 for whitened images (got " +
                        std::to_string(data.onoff_scale) + ")");
}

ImageSet loadBuiltin(const std::string& spec, const DataSettings& data, std::size_t first,
                     std::optional<std::size_t> count) {
    if (spec == kBuiltinMnist) {
        // Only the images asked for are inflated and converted, not the whole set.
        const Range range = selectRange(spec, detail::builtinMnistCount(), first, count);
        return detail::builtinMnistImages(range.first, range.count);
    }
    const bool train = spec == kBuiltinNaturalSpec;
    if (!train && spec != kBuiltinNaturalEvalSpec)
        throw UserError("unknown built-in data set '" + spec + "' (known: " + kBuiltinNames + ")");
    checkWhitening(data);
    const ImageSet& all = detail::cachedBuiltinNatural();
    ImageSet set = train ? cutBuiltin(spec, all, 0, kBuiltinNaturalTrainImages, first, count)
                         : cutBuiltin(spec, all, kBuiltinNaturalTrainImages,
                                      kBuiltinNaturalEvalImages, first, count);
    whitenForOnOff(set, data);
    return set;
}

// The label file next to an image file, e.g. train-images-idx3-ubyte.gz ->
// train-labels-idx1-ubyte.gz; empty if the name does not follow that pattern.
std::filesystem::path siblingLabels(const std::filesystem::path& images) {
    std::string name = images.filename().string();
    const auto pos = name.find(kImagesTag);
    if (pos == std::string::npos)
        return {};
    name.replace(pos, kImagesTag.size(), kLabelsTag);
    return images.parent_path() / name;
}

ImageSet loadIdx(const std::string& spec, const std::string& path, std::size_t first,
                 std::optional<std::size_t> count) {
    const IdxArray images = readIdx(path, IdxItems{first, count, kMaxLoadedPixels});
    if (images.dims.size() != kImageDims)
        throw UserError(path +
                        ": expected an IDX image file with 3 dimensions (N x rows x cols), "
                        "got " +
                        std::to_string(images.dims.size()));
    const std::size_t total = images.dims[0];
    const Range range = selectRange(spec, total, first, count);
    const int rows = static_cast<int>(images.dims[1]);
    const int cols = static_cast<int>(images.dims[2]);
    const std::size_t pixels = static_cast<std::size_t>(rows) * cols;

    ImageSet set;
    set.images.resize(range.count);
    for (std::size_t i = 0; i < range.count; ++i) {
        Image& image = set.images[i];
        image.rows = rows;
        image.cols = cols;
        image.pixels.resize(pixels);
        const std::uint8_t* src = images.data.data() + i * pixels;
        for (std::size_t p = 0; p < pixels; ++p)
            image.pixels[p] = float(src[p]) / kMaxPixel;
    }

    const std::filesystem::path labels_path = siblingLabels(path);
    std::error_code ec;
    if (!labels_path.empty() && std::filesystem::is_regular_file(labels_path, ec)) {
        const IdxArray labels = readIdx(labels_path.string(), IdxItems{first, count});
        if (labels.dims.size() != 1 || labels.dims[0] != total)
            throw UserError(labels_path.string() + ": expected " + std::to_string(total) +
                            " labels (one per image of " + path + ")");
        set.labels.assign(labels.data.begin(), labels.data.end());
    }
    return set;
}

ImageSet loadFolder(const std::string& spec, const std::string& dir, const DataSettings& data,
                    std::size_t first, std::optional<std::size_t> count) {
    checkWhitening(data);
    const auto files = detail::listImageFiles(dir);
    const Range range = selectRange(spec, files.size(), first, count);
    ImageSet set;
    set.images.reserve(range.count);
    for (std::size_t i = 0; i < range.count; ++i)
        set.images.push_back(detail::readGrayImage(files[range.first + i]));
    whitenForOnOff(set, data);
    return set;
}

std::string afterPrefix(const std::string& spec, std::string_view prefix) {
    std::string rest = spec.substr(prefix.size());
    if (rest.empty())
        throw UserError("data SPEC '" + spec + "' names no " +
                        (prefix == kIdxScheme ? "file" : "folder") + " (use " + kSpecForms + ")");
    return rest;
}

}  // namespace

namespace {

// rows x cols pixels from (row, col), which the caller has checked lie inside `image`.
Image cropRect(const Image& image, int row, int col, int rows, int cols) {
    Image out;
    out.rows = rows;
    out.cols = cols;
    out.pixels.reserve(static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols));
    for (int r = row; r < row + rows; ++r) {
        const auto begin = image.pixels.begin() + static_cast<std::ptrdiff_t>(r) * image.cols + col;
        out.pixels.insert(out.pixels.end(), begin, begin + cols);
    }
    return out;
}

}  // namespace

Image preparePhotograph(const Image& intensities, const DataSettings& data) {
    if (!data.whiten)
        return intensities;
    checkWhitening(data);
    // Unit variance / onoff_scale puts nearly all values in [-1, 1]; clip the tails so ON/OFF
    // rates stay valid probabilities.
    if (intensities.rows <= 2 * kWhitenBorder || intensities.cols <= 2 * kWhitenBorder)
        throw UserError("a photograph of " + std::to_string(intensities.cols) + " x " +
                        std::to_string(intensities.rows) +
                        " pixels is too small to whiten (the whitening's border of " +
                        std::to_string(kWhitenBorder) + " pixels is cut from each side)");
    const Image whitened = whitenImage(intensities, data.whiten_f0);
    Image image = cropRect(whitened, kWhitenBorder, kWhitenBorder,
                           whitened.rows - 2 * kWhitenBorder, whitened.cols - 2 * kWhitenBorder);
    double sum = 0.0, squares = 0.0;
    for (const float v : image.pixels) {
        sum += v;
        squares += double(v) * v;
    }
    const double n = static_cast<double>(image.pixels.size());
    const double mean = sum / n;
    const double variance = std::max(0.0, squares / n - mean * mean);
    const double stddev = std::sqrt(variance);
    const double scale = stddev > 0.0 ? 1.0 / (stddev * data.onoff_scale) : 0.0;
    for (float& v : image.pixels)
        v = std::clamp(static_cast<float>((v - mean) * scale), -1.0f, 1.0f);
    return image;
}

Image readPhotograph(const std::string& path) {
    return detail::readGrayImage(path);
}

Image cropImage(const Image& image, int row, int col, int side) {
    if (side <= 0 || row < 0 || col < 0 || row + side > image.rows || col + side > image.cols)
        throw UserError("a " + std::to_string(side) + " x " + std::to_string(side) +
                        " crop at row " + std::to_string(row) + ", column " + std::to_string(col) +
                        " does not lie inside a " + std::to_string(image.cols) + " x " +
                        std::to_string(image.rows) + " image");
    return cropRect(image, row, col, side, side);
}

ImageSet loadDataSpec(const std::string& spec, const DataSettings& data, std::size_t first,
                      std::optional<std::size_t> count) {
    ImageSet set;
    // Only photographs (image folders, builtin:natural) are whitened: MNIST-style sets are
    // intensities by nature, and the `whiten` setting is documented as applying to photographs.
    if (spec.starts_with(kBuiltinScheme)) {
        set = loadBuiltin(spec, data, first, count);
    } else if (spec.starts_with(kIdxScheme)) {
        set = loadIdx(spec, afterPrefix(spec, kIdxScheme), first, count);
    } else if (spec.starts_with(kImagesScheme)) {
        set = loadFolder(spec, afterPrefix(spec, kImagesScheme), data, first, count);
    } else {
        throw UserError("unknown data SPEC '" + spec + "' (use " + kSpecForms + ")");
    }
    set.source = spec;
    return set;
}

std::optional<std::string> heldOutSpec(const std::string& spec) {
    if (spec == kBuiltinNaturalSpec)
        return std::string(kBuiltinNaturalEvalSpec);
    return std::nullopt;
}

}  // namespace stdp
