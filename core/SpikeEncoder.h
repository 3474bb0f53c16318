#pragma once
// Rate coding of PAPER.md §1: at each of T steps a pixel of intensity v spikes with probability v.
// As in the authors' code, a whole image is encoded once and every overlapping p x p patch is cut
// out of that spike image, so neighbouring patches share their spikes.

#include <cstdint>
#include <span>
#include <vector>

#include "Dataset.h"
#include "Random.h"

namespace stdp {

// The input spikes of one patch over T steps, as lists of active input indices per step (CSR).
// Input index = channel * p^2 + row * p + col (channel 1 = OFF when ON/OFF coding is used).
struct PatchSpikes {
    int steps = 0;
    int inputs = 0;
    std::vector<std::int32_t> offsets;  // steps + 1 entries
    std::vector<std::int32_t> indices;

    std::span<const std::int32_t> at(int t) const {
        return {indices.data() + offsets[t], indices.data() + offsets[t + 1]};
    }
    // Spikes over all steps (indices may hold spare capacity beyond it).
    std::size_t total() const {
        return static_cast<std::size_t>(offsets.empty() ? 0 : offsets.back());
    }
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

    // Cuts the p x p patch at `at` (padded coordinates) into `out`, reusing its storage.
    void cutPatch(PatchPosition at, int p, PatchSpikes& out) const;
    // True if any input of that patch spiked at any step (cheaper than cutting it).
    bool anySpike(PatchPosition at, int p) const;

    int paddedRows() const { return rows_; }
    int paddedCols() const { return cols_; }
    int pad() const { return pad_; }

  private:
    std::uint64_t rowBits(int t, int channel, int row, int col, int width) const;

    int steps_ = 0;
    int channels_ = 1;
    int rows_ = 0;
    int cols_ = 0;
    int pad_ = 0;
    int words_ = 0;                    // 64-bit words per row
    std::vector<std::uint64_t> bits_;  // [step][channel][row][word]
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
