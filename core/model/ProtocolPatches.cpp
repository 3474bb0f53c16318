#include "model/ProtocolPatches.h"

namespace stdp {

DynamicsSettings frozenDynamics(DynamicsSettings d) {
    d.learn = false;
    d.theta_adapt = false;
    return d;
}

std::vector<ProtocolPatch> protocolPatchesOf(const Settings& settings, const Image& image,
                                             std::uint64_t seed, std::uint64_t stream) {
    const int pad = settings.data.sampling == PatchSampling::AllOverlapping
                        ? settings.structure.patch_size / 2
                        : 0;
    std::vector<ProtocolPatch> out;
    SpikeImage spike_image;
    PatchSpikes spikes;
    std::vector<float> pixels;
    Rng rng(Rng::mix(seed, stream));  // as evaluate() for image `stream`, respondToImage for 0
    forEachProtocolPatch(
        settings, image, rng, spike_image, spikes, pixels,
        [&](const std::vector<float>& values, const PatchSpikes& s, PatchPosition at) {
            out.push_back({{at.row - pad, at.col - pad}, values, s});
        });
    return out;
}

ProtocolPatch protocolPatchAt(const Settings& settings, const Image& image, PatchPosition at,
                              std::uint64_t seed) {
    const int p = settings.structure.patch_size;
    const int steps = settings.dynamics.steps;
    if (image.rows < p || image.cols < p)
        throw UserError("the image (" + std::to_string(image.rows) + "x" +
                        std::to_string(image.cols) + ") is smaller than the patch size " +
                        std::to_string(p));
    ProtocolPatch out;
    SpikeImage spike_image;
    Rng rng(Rng::mix(seed, 0));
    if (settings.data.sampling == PatchSampling::AllOverlapping) {
        const int pad = p / 2;
        at.row = std::clamp(at.row, -pad, image.rows - p + pad);
        at.col = std::clamp(at.col, -pad, image.cols - p + pad);
        const PatchPosition padded{at.row + pad, at.col + pad};
        spike_image.encode(image, settings.structure.onoff, steps, pad, rng);
        patchPixels(image, padded, p, pad, out.pixels);
        spike_image.cutPatch(padded, p, out.spikes);
    } else {
        at.row = std::clamp(at.row, 0, image.rows - p);
        at.col = std::clamp(at.col, 0, image.cols - p);
        patchPixels(image, at, p, 0, out.pixels);
        spike_image.encodeRegion(image, at.row, at.col, p, settings.structure.onoff, steps, rng);
        spike_image.cutPatch({0, 0}, p, out.spikes);
    }
    out.at = at;
    return out;
}

}  // namespace stdp
