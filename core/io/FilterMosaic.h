#pragma once
// Receptive fields as images: the mosaic of all K fields, or one field, as 8-bit grayscale.

#include <opencv2/core.hpp>
#include <string>

#include "model/RepresentationLayer.h"

namespace stdp {

enum class MosaicContrast {
    Shared,     // one scale for all fields: compares strengths across neurons
    PerNeuron,  // each field stretched to its own range: shows every field's shape
};

struct MosaicOptions {
    int scale = 8;    // screen pixels per field pixel
    int columns = 0;  // 0 = about square
    int border = 1;   // pixels between fields (in output pixels)
    MosaicContrast contrast = MosaicContrast::Shared;
};

// Field j as p x p floats in signed pixel space (w, or w_on - w_off).
cv::Mat fieldImage(const WeightMatrix& weights, int j, int patch_size, bool onoff);
// All fields in a grid, 8-bit; signed fields map 0 to mid-grey.
cv::Mat renderMosaic(const WeightMatrix& weights, int patch_size, bool onoff,
                     const MosaicOptions& options = {});
// One field enlarged, 8-bit.
cv::Mat renderField(const WeightMatrix& weights, int j, int patch_size, bool onoff, int scale,
                    MosaicContrast contrast = MosaicContrast::PerNeuron);

// Writes a PNG atomically (temporary file + rename); throws UserError naming the file.
void writePngAtomic(const std::string& path, const cv::Mat& image);

}  // namespace stdp
