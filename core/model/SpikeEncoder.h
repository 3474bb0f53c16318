#pragma once
// Rate coding of docs/model.md §1: at each of T steps a pixel of intensity v spikes with
// probability v. As in the authors' code, a whole image is encoded once and every overlapping p x p
// patch is cut out of that spike image, so neighbouring patches share their spikes.

#include <cassert>
#include <cstdint>
#include <span>
#include <vector>

#include "data/Dataset.h"
#include "foundation/Random.h"

namespace stdp {

// The most inputs a patch can hold in the bit-mask form below (one 64-bit word per step).
inline constexpr int kMaxMaskInputs = 64;

// The input spikes of one patch over T steps, in one of two forms:
// - index lists: the active input indices of each step (CSR), for any number of inputs;
// - bit masks, for patches of at most kMaxMaskInputs inputs: one word per step, bit i set when
//   input i spiked. The cutter makes a mask with a few shifts and the layer walks its set bits,
//   so no list is built or read (the paper's 5x5 MNIST patches take this form in training).
// Input index = channel * p^2 + row * p + col (channel 1 = OFF when ON/OFF coding is used).
struct PatchSpikes {
    int steps = 0;
    int inputs = 0;
    bool masked = false;                // which form holds the spikes
    std::vector<std::int32_t> offsets;  // index lists: steps + 1 entries
    std::vector<std::int32_t> indices;
    std::vector<std::uint64_t> masks;  // bit masks: steps entries

    // Step t's list (index-list form only: see toIndexLists).
    std::span<const std::int32_t> at(int t) const {
        assert(!masked);
        return {indices.data() + offsets[t], indices.data() + offsets[t + 1]};
    }
    // Spikes over all steps (indices may hold spare capacity beyond it).
    std::size_t total() const;
    // Turns the bit-mask form into index lists (no-op for index lists).
    void toIndexLists();
};

// Where a patch lies in its image: (row, col) of its top-left corner in padded coordinates.
struct PatchPosition {
    int row = 0;
    int col = 0;
};

// The spikes of a whole (zero-padded) image, one bit per pixel, channel and step.
class SpikeImage {
  public:
    // Encodes `image` (values in [0, 1], or signed in [-1, 1] with onoff) for `steps` steps,
    // padding every side with `pad` zero pixels.
    void encode(const Image& image, bool onoff, int steps, int pad, Rng& rng);
    // Encodes only the size x size region whose top-left corner is (row, col) (no padding).
    void encodeRegion(const Image& image, int row, int col, int size, bool onoff, int steps,
                      Rng& rng);

    // Cuts the p x p patch at `at` (padded coordinates) into `out` as index lists, reusing its
    // storage.
    void cutPatch(PatchPosition at, int p, PatchSpikes& out) const;
    // The same patch as bit masks; needs p * p * channels <= kMaxMaskInputs.
    void cutPatchMasks(PatchPosition at, int p, PatchSpikes& out) const;
    // The inputs of a p x p patch (both channels with ON/OFF coding).
    int patchInputs(int p) const { return p * p * channels_; }
    // True if any input of that patch spiked at any step (cheaper than cutting it).
    bool anySpike(PatchPosition at, int p) const;
    // anySpike of the patches at (row, 0), ..., (row, columns - 1) (columns <= 64) as a bit mask:
    // bit c for the patch at column c. One pass over the row's spikes, where a sequential walk
    // asked anySpike of every position and branched on each answer.
    std::uint64_t nonemptyPatchColumns(int row, int p, int columns) const;
    static constexpr int kMaxMaskedColumns = 64;

  private:
    std::uint64_t rowBits(int t, int channel, int row, int col, int width) const;

    int steps_ = 0;
    int channels_ = 1;
    int rows_ = 0;
    int cols_ = 0;
    int pad_ = 0;
    int words_ = 0;                    // 64-bit words per row
    std::vector<std::uint64_t> bits_;  // [step][channel][row][word]
    // bits_ of a one-channel image whose rows are one word, as [row][step]: a patch's row at
    // every step is one contiguous run, which the cutter reads a vector at a time.
    std::vector<std::uint64_t> row_steps_;
    struct ActivePixel {
        std::uint32_t word;       // within one step's plane
        std::uint32_t threshold;  // spike when next32() < threshold
        std::uint64_t bit;
    };
    std::vector<ActivePixel> active_;  // pixels with a non-zero rate, reused
};

// All overlapping patch positions of an image (stride 1, zero padding pad), row-major.
int patchPositions(int image_size, int p, int pad);

// The pixels of a patch (zero outside the image), row-major p x p, for reconstruction metrics.
void patchPixels(const Image& image, PatchPosition at, int p, int pad, std::vector<float>& out);

}  // namespace stdp
