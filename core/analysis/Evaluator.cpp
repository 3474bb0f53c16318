#include "analysis/Evaluator.h"

#include "foundation/FileBytes.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "foundation/Parallel.h"
#include "model/ProtocolPatches.h"

namespace stdp {

namespace {
// Protocol-A patches held at once for the baselines (every patch is kept to fit a dictionary).
constexpr std::uint64_t kMaxPatchSetBytes = std::uint64_t{2} << 30;
}  // namespace

namespace {

void checkCompatible(const RepresentationLayer& trained, const Settings& s, const ImageSet& data) {
    if (trained.inputs() != s.structure.inputs())
        throw UserError("model has " + std::to_string(trained.inputs()) +
                        " inputs but the settings need " + std::to_string(s.structure.inputs()));
    if (data.signed_values && !s.structure.onoff)
        throw UserError("data '" + data.source +
                        "' is signed (whitened); the model has no ON/OFF "
                        "inputs");
    for (const Image& im : data.images)
        if (im.rows < s.structure.patch_size || im.cols < s.structure.patch_size)
            throw UserError("data '" + data.source + "': an image is smaller than the patch");
}

}  // namespace

RepresentationLayer frozenLayer(const Settings& settings, const WeightMatrix& weights,
                                const std::vector<float>& thresholds) {
    RepresentationLayer layer(settings.structure, frozenDynamics(settings.dynamics));
    layer.setWeights(weights);
    layer.setThresholds(thresholds);
    return layer;
}

PatchReconstructor::PatchReconstructor(const RepresentationLayer& trained, const Settings& settings)
    : layer_(trained),
      filters_(pixelFilters(trained.weights(), settings.structure.patch_size,
                            settings.structure.onoff)) {
    layer_.setDynamics(frozenDynamics(layer_.dynamics()));
    const DynamicsSettings& d = layer_.dynamics();
    if (!d.amplitudeCoding() || d.decoder_hurdle <= 0.0)
        return;
    // A spike spends q |w_j|^2 of neuron j's evidence, and the hurdle it cleared before its
    // first spike, h theta_j plus h2 theta_j per neuron already active, was evidence too: the
    // read-out counts it in spikes of the same quantum (LCA's coefficient: the potential above
    // the threshold plus the threshold).
    const WeightMatrix w = trained.weights();
    const std::vector<float>& theta = trained.thresholds();
    const int units = trained.units();
    hurdle_spikes_.assign(units, 0.0f);
    recruit_spikes_.assign(units, 0.0f);
    for (int j = 0; j < units; ++j) {
        const double quantum = d.spike_quantum * static_cast<double>(w.col(j).squaredNorm());
        if (quantum <= 0.0)
            continue;  // a field of zeros adds nothing to x^ whatever its coefficient
        const double per_theta =
            d.decoder_hurdle * (theta.size() == 1 ? theta[0] : theta[j]) / quantum;
        hurdle_spikes_[j] = static_cast<float>(d.hurdle * per_theta);
        recruit_spikes_[j] = static_cast<float>(d.recruit_hurdle * per_theta);
    }
}

void PatchReconstructor::addHurdles(const std::vector<float>& counts,
                                    const std::vector<int>& joined) {
    code_ = counts;
    if (hurdle_spikes_.empty())
        return;
    for (std::size_t j = 0; j < code_.size(); ++j)
        if (counts[j] > 0.0f)
            code_[j] += hurdle_spikes_[j] + static_cast<float>(joined[j]) * recruit_spikes_[j];
}

int PatchReconstructor::run(const PatchSpikes& spikes, std::vector<float>& counts,
                            std::vector<float>& xhat) {
    const int units = layer_.units();
    counts.assign(units, 0.0f);
    joined_.assign(units, 0);
    layer_.beginPatch();
    int total = 0;
    int active = 0;
    for (int t = 0; t < spikes.steps; ++t) {
        layer_.step(spikes.at(t));
        for (std::int32_t j : layer_.fired()) {
            if (counts[j] == 0.0f)
                joined_[j] = active++;
            counts[j] += 1.0f;
        }
        total += static_cast<int>(layer_.fired().size());
    }
    xhat.assign(filters_.rows(), 0.0f);
    if (total > 0) {
        addHurdles(counts, joined_);
        Eigen::Map<const Eigen::VectorXf> c(code_.data(), units);
        Eigen::Map<Eigen::VectorXf> out(xhat.data(), filters_.rows());
        const DynamicsSettings& d = layer_.dynamics();
        if (d.amplitudeCoding())
            out = filters_ * c * static_cast<float>(d.decoderGain());  // g sum_j a_j w_j
        else
            out = filters_ * c / static_cast<float>(total);  // the spike-weighted mean of fields
    }
    return total;
}

std::string decoderName(const DynamicsSettings& d) {
    if (!d.amplitudeCoding())
        return "mean of winners";
    std::ostringstream os;
    os.precision(4);
    os << "additive, g = " << d.decoderGain();
    if (d.decoder_hurdle > 0.0)
        os << ", hurdle added back (lambda_h = " << d.decoder_hurdle << ")";
    return os.str();
}

ReconstructionMetrics evaluate(const RepresentationLayer& trained, const Settings& settings,
                               const ImageSet& data, const EvalOptions& options) {
    checkCompatible(trained, settings, data);
    const std::size_t n = data.size();
    // An empty evaluation is an error, never a perfect score.
    if (n == 0)
        throw UserError("nothing to evaluate: no images" +
                        (data.source.empty() ? std::string() : " in " + data.source));
    const int workers = allowedWorkers(options.workers);
    std::vector<ReconstructionAccumulator> per_image(n, ReconstructionAccumulator(trained.units()));
    std::atomic<std::size_t> done{0};
    std::atomic<bool> cancelled{false};

    parallelFor(n, workers, [&](int worker, std::size_t begin, std::size_t end) {
        PatchReconstructor reconstructor(trained, settings);
        SpikeImage spike_image;
        PatchSpikes spikes;
        std::vector<float> pixels, counts, xhat;
        const int units = trained.units();
        for (std::size_t i = begin; i < end && !cancelled.load(); ++i) {
            // One random stream per image: results do not depend on the thread split.
            Rng rng(Rng::mix(options.seed, i));
            ReconstructionAccumulator& acc = per_image[i];
            forEachProtocolPatch(
                settings, data.images[i], rng, spike_image, spikes, pixels,
                [&](const std::vector<float>& x, const PatchSpikes& s, PatchPosition) {
                    const int total = reconstructor.run(s, counts, xhat);
                    acc.add(x.data(), xhat.data(), static_cast<int>(x.size()), counts.data(),
                            units);
                    acc.addSpikes(static_cast<std::uint64_t>(total),
                                  static_cast<std::uint64_t>(units) * s.steps);
                });
            const std::size_t d = done.fetch_add(1) + 1;
            if (worker == 0 && options.progress &&
                !options.progress(static_cast<double>(d) / static_cast<double>(n)))
                cancelled.store(true);
        }
    });
    if (cancelled.load())
        throw UserError("evaluation cancelled");
    ReconstructionAccumulator total(trained.units());
    for (const auto& acc : per_image)
        total.merge(acc);
    ReconstructionMetrics m = total.result();
    m.decoder = decoderName(trained.dynamics());
    if (m.patches == 0)
        throw UserError("nothing to evaluate: " +
                        (data.source.empty() ? std::string("the images") : data.source) +
                        " have no patch with a non-zero pixel");
    return m;
}

PatchSet protocolPatches(const Settings& settings, const ImageSet& data, std::uint64_t seed) {
    PatchSet set;
    set.dim = settings.structure.patch_size * settings.structure.patch_size;
    // Every patch is stored: refuse, before drawing any, a set that would not fit in memory.
    std::uint64_t most = 0;
    for (const Image& image : data.images) {
        const int p = settings.structure.patch_size;
        most += settings.data.sampling == PatchSampling::AllOverlapping
                    ? static_cast<std::uint64_t>(patchPositions(image.rows, p, p / 2)) *
                          static_cast<std::uint64_t>(patchPositions(image.cols, p, p / 2))
                    : static_cast<std::uint64_t>(settings.data.eval_patches_per_image);
    }
    const std::uint64_t bytes = most * static_cast<std::uint64_t>(set.dim) * sizeof(float);
    if (bytes > kMaxPatchSetBytes)
        throw UserError("the patches of " + std::to_string(data.size()) + " images (up to " +
                        std::to_string(most) + ") would take " + detail::byteSize(bytes) +
                        ", more than " + detail::byteSize(kMaxPatchSetBytes) +
                        ": use fewer images or a smaller eval_patches_per_image");
    SpikeImage spike_image;
    PatchSpikes spikes;
    std::vector<float> pixels;
    // Spikes are not needed here, but drawing them keeps the random stream (and so the random
    // patch positions) identical to evaluate()'s.
    for (std::size_t i = 0; i < data.size(); ++i) {
        Rng rng(Rng::mix(seed, i));
        forEachProtocolPatch(settings, data.images[i], rng, spike_image, spikes, pixels,
                             [&](const std::vector<float>& x, const PatchSpikes&, PatchPosition) {
                                 set.values.insert(set.values.end(), x.begin(), x.end());
                             });
    }
    return set;
}

Image reconstructImage(const RepresentationLayer& trained, const Settings& settings,
                       const Image& image, std::uint64_t seed, int stride) {
    if (stride < 1)
        throw UserError("reconstructImage: the stride must be at least 1, got " +
                        std::to_string(stride));
    // Overlapping patches whatever the training sampling.
    const int p = settings.structure.patch_size;
    const int pad = p / 2;
    Image out;
    out.rows = image.rows;
    out.cols = image.cols;
    out.pixels.assign(image.pixels.size(), 0.0f);
    std::vector<float> weight(image.pixels.size(), 0.0f);
    PatchReconstructor reconstructor(trained, settings);
    SpikeImage spike_image;
    PatchSpikes spikes;
    std::vector<float> pixels, counts, xhat;
    Rng rng(seed);
    forEachOverlappingPatch(
        settings, image, stride, rng, spike_image, spikes, pixels,
        [&](const std::vector<float>&, const PatchSpikes& s, PatchPosition at) {
            reconstructor.run(s, counts, xhat);
            for (int a = 0; a < p; ++a) {
                for (int b = 0; b < p; ++b) {
                    const int ir = at.row + a - pad;
                    const int ic = at.col + b - pad;
                    if (ir < 0 || ir >= image.rows || ic < 0 || ic >= image.cols)
                        continue;
                    const std::size_t k = static_cast<std::size_t>(ir) * image.cols + ic;
                    out.pixels[k] += xhat[static_cast<std::size_t>(a) * p + b];
                    weight[k] += 1.0f;
                }
            }
        });
    for (std::size_t k = 0; k < out.pixels.size(); ++k)
        if (weight[k] > 0.0f)
            out.pixels[k] /= weight[k];
    return out;
}

ImageResponse respondToImage(const RepresentationLayer& trained, const Settings& settings,
                             const Image& image, std::uint64_t seed) {
    const int p = settings.structure.patch_size;
    const int pad = settings.data.sampling == PatchSampling::AllOverlapping ? p / 2 : 0;
    ImageResponse out;
    out.counts.assign(static_cast<std::size_t>(trained.units()), 0.0);
    out.reconstruction.rows = image.rows;
    out.reconstruction.cols = image.cols;
    out.reconstruction.pixels.assign(image.pixels.size(), 0.0f);
    std::vector<float> cover(image.pixels.size(), 0.0f);
    PatchReconstructor reconstructor(trained, settings);
    SpikeImage spike_image;
    PatchSpikes spikes;
    std::vector<float> pixels;
    // The seed of image 0 in evaluate(): the same spikes as `stdp-cli eval` on this image alone.
    Rng rng(Rng::mix(seed, 0));
    forEachProtocolPatch(
        settings, image, rng, spike_image, spikes, pixels,
        [&](const std::vector<float>& values, const PatchSpikes& s, PatchPosition at) {
            ImageResponse::Patch patch;
            patch.at = {at.row - pad, at.col - pad};
            patch.pixels = values;
            out.spikes += reconstructor.run(s, patch.counts, patch.xhat);
            for (std::size_t j = 0; j < patch.counts.size(); ++j)
                out.counts[j] += patch.counts[j];
            for (int a = 0; a < p; ++a) {
                for (int b = 0; b < p; ++b) {
                    const int ir = patch.at.row + a;
                    const int ic = patch.at.col + b;
                    if (ir < 0 || ir >= image.rows || ic < 0 || ic >= image.cols)
                        continue;
                    const std::size_t k = static_cast<std::size_t>(ir) * image.cols + ic;
                    out.reconstruction.pixels[k] += patch.xhat[static_cast<std::size_t>(a) * p + b];
                    cover[k] += 1.0f;
                }
            }
            out.patches.push_back(std::move(patch));
        });
    for (std::size_t k = 0; k < cover.size(); ++k)
        if (cover[k] > 0.0f)
            out.reconstruction.pixels[k] /= cover[k];
    return out;
}

}  // namespace stdp
