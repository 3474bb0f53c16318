#pragma once
// Protocol A's patches of an image (docs/model.md, "Protocol A"): which patches are presented,
// in which order, with which spikes. One definition for evaluation (analysis/Evaluator), for
// Draw and present's answer and for the live presentations of a training session.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "data/Dataset.h"
#include "foundation/Random.h"
#include "foundation/Settings.h"
#include "model/SpikeEncoder.h"

namespace stdp {

// The same dynamics with learning and threshold adaptation off: the layer answers, never changes.
DynamicsSettings frozenDynamics(DynamicsSettings d);

inline bool hasPixels(const std::vector<float>& pixels) {
    return std::any_of(pixels.begin(), pixels.end(), [](float v) { return v != 0.0f; });
}

// Visits the protocol-A patches of one image, drawing positions (random sampling) and spikes
// from `rng`: calls visit(pixels, spikes, position) for each
// (position in padded coordinates when every overlapping patch is used).
template <typename Visit>
void forEachProtocolPatch(const Settings& s, const Image& image, Rng& rng, SpikeImage& spike_image,
                          PatchSpikes& spikes, std::vector<float>& pixels, Visit&& visit) {
    const int p = s.structure.patch_size;
    const int steps = s.dynamics.steps;
    if (s.data.sampling == PatchSampling::AllOverlapping) {
        const int pad = p / 2;
        spike_image.encode(image, s.structure.onoff, steps, pad, rng);
        const int rows = patchPositions(image.rows, p, pad);
        const int cols = patchPositions(image.cols, p, pad);
        for (int r = 0; r < rows; ++r) {
            for (int c = 0; c < cols; ++c) {
                patchPixels(image, {r, c}, p, pad, pixels);
                if (!hasPixels(pixels))
                    continue;  // decided on pixels, not spikes
                spike_image.cutPatch({r, c}, p, spikes);
                visit(pixels, spikes, PatchPosition{r, c});
            }
        }
    } else {
        for (int k = 0; k < s.data.eval_patches_per_image; ++k) {
            const int r =
                static_cast<int>(rng.below(static_cast<std::uint64_t>(image.rows - p + 1)));
            const int c =
                static_cast<int>(rng.below(static_cast<std::uint64_t>(image.cols - p + 1)));
            patchPixels(image, {r, c}, p, 0, pixels);
            if (!hasPixels(pixels))
                continue;
            spike_image.encodeRegion(image, r, c, p, s.structure.onoff, steps, rng);
            spike_image.cutPatch({0, 0}, p, spikes);
            visit(pixels, spikes, PatchPosition{r, c});
        }
    }
}

// One patch of protocol A as the frozen layer receives it: where it lies, its pixels and spikes.
struct ProtocolPatch {
    PatchPosition at;  // top-left in image coordinates (may be negative: zero padding)
    std::vector<float> pixels;
    PatchSpikes spikes;  // index lists
};
// The patches respondToImage presents of `image`, in order, with the same spikes: what the
// studio runs through the live network when a user presents an image, so that its views and the
// Draw and present answer show the same spikes.
// `stream` is the image's place in an evaluated set: stream i gives evaluate()'s spikes for image
// i.
std::vector<ProtocolPatch> protocolPatchesOf(const Settings& settings, const Image& image,
                                             std::uint64_t seed, std::uint64_t stream = 0);
// The one patch whose top-left is `at` (image coordinates, clamped so the patch lies on the
// padded image), blank or not, with the spikes it has in protocolPatchesOf when it is there.
ProtocolPatch protocolPatchAt(const Settings& settings, const Image& image, PatchPosition at,
                              std::uint64_t seed);

}  // namespace stdp
