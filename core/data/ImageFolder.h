#pragma once
// Private to the data layer (ImageFolder.cpp, BuiltinMnist.cpp, BuiltinNatural.cpp, DataSpec.cpp):
// reading a folder of images, and the decoded built-in sets that loadDataSpec cuts subsets from
// without a full copy.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "data/Dataset.h"

namespace stdp::detail {

// The image files (*.png, *.jpg, *.jpeg, *.tif, *.tiff, *.bmp, *.pgm, any case) directly in `dir`,
// sorted by file name. Throws UserError if the folder is missing, not a folder or has no images.
std::vector<std::filesystem::path> listImageFiles(const std::string& dir);

// One image as grayscale intensities in [0, 1] (8- and 16-bit files are scaled by their full
// range). Throws UserError naming the file if it cannot be decoded.
Image readGrayImage(const std::filesystem::path& file);
// The same from an image file's bytes (`name` for messages): a built-in photograph decodes exactly
// as the same file in a folder.
Image decodeGrayImage(const std::uint8_t* bytes, std::size_t size, const std::string& name);

// The built-in MNIST set, decoded on first use and shared (builtinMnist() returns a copy).
const ImageSet& cachedBuiltinMnist();
// All built-in photographs (training then held-out), grey intensities in [0, 1], not whitened.
const ImageSet& cachedBuiltinNatural();

}  // namespace stdp::detail
