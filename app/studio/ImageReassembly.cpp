#include "ImageReassembly.h"

#include <algorithm>

#include "analysis/Evaluator.h"
#include "foundation/Random.h"
#include "model/ProtocolPatches.h"
#include "model/SpikeEncoder.h"

namespace stdp::studio {

int reassemblyStride(int rows, int cols) {
    const int side = std::max({rows, cols, 1});
    return (side + kMaxReassembledSide - 1) / kMaxReassembledSide;
}

Image reassembleImage(const RepresentationLayer& layer, const Settings& settings,
                      const Image& image, int stride, std::uint64_t seed) {
    if (stride <= 1)
        return reconstructImage(layer, settings, image, seed);
    const int p = settings.structure.patch_size;
    const int pad = p / 2;
    Image out;
    out.rows = image.rows;
    out.cols = image.cols;
    out.pixels.assign(image.pixels.size(), 0.0f);
    std::vector<float> weight(image.pixels.size(), 0.0f);
    PatchReconstructor reconstructor(layer, settings);
    SpikeImage spike_image;
    PatchSpikes spikes;
    std::vector<float> pixels, counts, xhat;
    Rng rng(seed);
    spike_image.encode(image, settings.structure.onoff, settings.dynamics.steps, pad, rng);
    // The positions at every stride-th place, and the last one, so that the far border is
    // covered too.
    const auto positions = [stride](int count) {
        std::vector<int> at;
        for (int k = 0; k < count; k += stride)
            at.push_back(k);
        if (count > 0 && at.back() != count - 1)
            at.push_back(count - 1);
        return at;
    };
    for (const int r : positions(patchPositions(image.rows, p, pad))) {
        for (const int c : positions(patchPositions(image.cols, p, pad))) {
            patchPixels(image, {r, c}, p, pad, pixels);
            if (!hasPixels(pixels))
                continue;  // blank: no spikes, no reconstruction (as protocol A)
            spike_image.cutPatch({r, c}, p, spikes);
            reconstructor.run(spikes, counts, xhat);
            for (int a = 0; a < p; ++a) {
                for (int b = 0; b < p; ++b) {
                    const int ir = r + a - pad;
                    const int ic = c + b - pad;
                    if (ir < 0 || ir >= image.rows || ic < 0 || ic >= image.cols)
                        continue;
                    const auto k = static_cast<std::size_t>(ir) * image.cols + ic;
                    out.pixels[k] += xhat[static_cast<std::size_t>(a) * p + b];
                    weight[k] += 1.0f;
                }
            }
        }
    }
    for (std::size_t k = 0; k < out.pixels.size(); ++k)
        if (weight[k] > 0.0f)
            out.pixels[k] /= weight[k];
    return out;
}

}  // namespace stdp::studio
