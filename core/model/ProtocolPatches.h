#pragma once
// Protocol A's patches of an image (docs/model.md §4): which patches are presented,
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

// The position after `at` when every stride-th of `count` positions is visited, and the last one,
// so that the far border is covered too (stride 1: every position).
inline int nextStridedPosition(int at, int count, int stride) {
    const int next = at + stride;
    return next < count || at == count - 1 ? next : count - 1;
}

// Visits the overlapping patches (zero padding p / 2) of one image at every stride-th position in
// each direction, and the last, skipping blank ones: calls visit(pixels, spikes, position), the
// position in padded coordinates. Spikes are drawn from `rng` for the whole image first, so a
// patch has the same spikes whatever the stride.
template <typename Visit>
void forEachOverlappingPatch(const Settings& s, const Image& image, int stride, Rng& rng,
                             SpikeImage& spike_image, PatchSpikes& spikes,
                             std::vector<float>& pixels, Visit&& visit) {
    const int p = s.structure.patch_size;
    const int pad = p / 2;
    spike_image.encode(image, s.structure.onoff, s.dynamics.steps, pad, rng);
    const int rows = patchPositions(image.rows, p, pad);
    const int cols = patchPositions(image.cols, p, pad);
    for (int r = 0; r < rows; r = nextStridedPosition(r, rows, stride)) {
        for (int c = 0; c < cols; c = nextStridedPosition(c, cols, stride)) {
            patchPixels(image, {r, c}, p, pad, pixels);
            if (!hasPixels(pixels))
                continue;  // decided on pixels, not spikes
            spike_image.cutPatch({r, c}, p, spikes);
            visit(pixels, spikes, PatchPosition{r, c});
        }
    }
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
        forEachOverlappingPatch(s, image, 1, rng, spike_image, spikes, pixels, visit);
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
