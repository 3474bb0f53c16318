#include "model/SpikeEncoder.h"

#include "kernels/Dispatch.h"
#include "kernels/SetBits.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

namespace stdp {

namespace {
constexpr int kWordBits = 64;
constexpr int kByteBits = 8;
constexpr unsigned kByteMask = 0xFF;
}  // namespace

int patchPositions(int image_size, int p, int pad) {
    return std::max(0, image_size + 2 * pad - p + 1);
}

void SpikeImage::encode(const Image& image, bool onoff, int steps, int pad, Rng& rng) {
    encodeRegion(image, -pad, -pad, 0, onoff, steps, rng);
}

void SpikeImage::encodeRegion(const Image& image, int row, int col, int size, bool onoff, int steps,
                              Rng& rng) {
    // size == 0 means "the whole image with -row/-col padding" (see encode()).
    const bool whole = size == 0;
    pad_ = whole ? -row : 0;
    rows_ = whole ? image.rows + 2 * pad_ : size;
    cols_ = whole ? image.cols + 2 * pad_ : size;
    steps_ = steps;
    channels_ = onoff ? 2 : 1;
    words_ = (cols_ + kWordBits - 1) / kWordBits;
    // One plane per step, plus a last plane holding the OR over all steps (for anySpike()).
    const std::size_t step_plane = static_cast<std::size_t>(channels_) * rows_ * words_;
    bits_.assign((static_cast<std::size_t>(steps_) + 1) * step_plane, 0);

    // The pixels that can spike, in (channel, row, column) order: zero-rate pixels draw no
    // random numbers at all, and the step-major order of draws fixes the stream for a seed.
    active_.clear();
    for (int ch = 0; ch < channels_; ++ch) {
        for (int r = 0; r < rows_; ++r) {
            const int ir = row + r;
            if (ir < 0 || ir >= image.rows)
                continue;
            for (int c = 0; c < cols_; ++c) {
                const int ic = col + c;
                if (ic < 0 || ic >= image.cols)
                    continue;
                const float v = image.at(ir, ic);
                // ON/OFF: channel 0 carries max(x, 0), channel 1 max(-x, 0).
                const float rate = !onoff ? v : (ch == 0 ? std::max(v, 0.0f) : std::max(-v, 0.0f));
                const std::uint32_t p = probabilityThreshold(rate);
                if (p == 0)
                    continue;
                const auto word =
                    static_cast<std::uint32_t>((ch * rows_ + r) * words_ + c / kWordBits);
                active_.push_back({word, p, std::uint64_t{1} << (c % kWordBits)});
            }
        }
    }
    // A local copy of the generator: its state stays in registers instead of being reloaded
    // after every store to the planes (both are 64-bit words, so they could alias).
    Rng local = rng;
    for (int t = 0; t < steps_; ++t) {
        std::uint64_t* out = bits_.data() + static_cast<std::size_t>(t) * step_plane;
        // Without a branch on the draw (a spike is a coin toss at the pixel's rate, so a branch
        // mispredicts often): the word's bits so far, kept in a register while the pixels stay
        // in one word (they are in word order), are stored after every pixel; the last store
        // of a word holds all its spikes.
        std::uint64_t word_bits = 0;
        std::uint32_t word = 0;
        for (const ActivePixel& a : active_) {
            const std::uint64_t spike = -static_cast<std::uint64_t>(local.next32() < a.threshold);
            word_bits = (a.word == word ? word_bits : 0) | (a.bit & spike);
            word = a.word;
            out[word] = word_bits;
        }
    }
    rng = local;
    std::uint64_t* any = bits_.data() + static_cast<std::size_t>(steps_) * step_plane;
    for (int t = 0; t < steps_; ++t) {
        const std::uint64_t* bits = bits_.data() + static_cast<std::size_t>(t) * step_plane;
        for (std::size_t k = 0; k < step_plane; ++k)
            any[k] |= bits[k];
    }
    row_steps_.clear();
    if (words_ == 1 && channels_ == 1) {
        row_steps_.resize(static_cast<std::size_t>(rows_) * steps_);
        for (int t = 0; t < steps_; ++t)
            for (int r = 0; r < rows_; ++r)
                row_steps_[static_cast<std::size_t>(r) * steps_ + t] =
                    bits_[static_cast<std::size_t>(t) * rows_ + r];
    }
}

namespace {
constexpr int kMnistPatch = 5;

// cutPatch for one channel of p x p patches (p <= 8) of images whose padded rows fit one word.
template <int P>
[[gnu::always_inline]] inline void cutByteRows(const std::uint64_t* plane, int col, int steps,
                                               int rows, std::int32_t* offsets,
                                               std::int32_t* write) {
    constexpr std::uint64_t kMask = (std::uint64_t{1} << P) - 1;
    std::int32_t* const begin = write;
    for (int t = 0; t < steps; ++t, plane += rows) {
        offsets[t] = static_cast<std::int32_t>(write - begin);
        for (int r = 0; r < P; ++r)
            write = appendSetBits(write, static_cast<unsigned>((plane[r] >> col) & kMask), r * P);
    }
    offsets[steps] = static_cast<std::int32_t>(write - begin);
}
}  // namespace

std::uint64_t SpikeImage::rowBits(int t, int channel, int row, int col, int width) const {
    const std::uint64_t* words =
        bits_.data() + ((static_cast<std::size_t>(t) * channels_ + channel) * rows_ + row) * words_;
    const int w0 = col / kWordBits;
    const int shift = col % kWordBits;
    std::uint64_t v = words[w0] >> shift;
    if (shift != 0 && w0 + 1 < words_)
        v |= words[w0 + 1] << (kWordBits - shift);
    const std::uint64_t mask =
        width >= kWordBits ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1;
    return v & mask;
}

STDP_KERNEL void SpikeImage::cutPatch(PatchPosition at, int p, PatchSpikes& out) const {
    out.steps = steps_;
    out.inputs = patchInputs(p);
    out.masked = false;
    out.masks.clear();
    out.offsets.resize(static_cast<std::size_t>(steps_) + 1);
    // Sized for the worst case once; written through a pointer (no push_back in the loop).
    // (+ kSlack: appendSetBits writes 8 candidates before advancing by the popcount.)
    constexpr std::size_t kSlack = 8;
    const std::size_t most =
        static_cast<std::size_t>(steps_) * static_cast<std::size_t>(out.inputs) + kSlack;
    if (out.indices.size() < most)
        out.indices.resize(most);
    std::int32_t* write = out.indices.data();
    std::int32_t* const begin = write;
    if (words_ == 1 && channels_ == 1 && p == kMnistPatch) {
        // The paper's MNIST patches: the rows unrolled, their offsets constants.
        cutByteRows<kMnistPatch>(bits_.data() + at.row, at.col, steps_, rows_, out.offsets.data(),
                                 write);
        return;
    }
    if (words_ == 1 && p <= kByteBits) {
        // The common case (MNIST-sized rows, p <= 8): one byte of spikes per patch row.
        const std::uint64_t mask = (std::uint64_t{1} << p) - 1;
        const std::uint64_t* plane = bits_.data() + at.row;
        for (int t = 0; t < steps_; ++t) {
            out.offsets[t] = static_cast<std::int32_t>(write - begin);
            for (int ch = 0; ch < channels_; ++ch, plane += rows_)
                for (int r = 0; r < p; ++r)
                    write = appendSetBits(write, static_cast<unsigned>((plane[r] >> at.col) & mask),
                                          ch * p * p + r * p);
        }
        out.offsets[steps_] = static_cast<std::int32_t>(write - begin);
        return;
    }
    if (words_ == 1) {
        // Images up to 64 padded pixels wide (MNIST): one word per row, walked by pointer.
        const std::uint64_t mask = p >= kWordBits ? ~std::uint64_t{0} : (std::uint64_t{1} << p) - 1;
        const std::uint64_t* plane = bits_.data() + at.row;
        for (int t = 0; t < steps_; ++t) {
            out.offsets[t] = static_cast<std::int32_t>(write - begin);
            for (int ch = 0; ch < channels_; ++ch, plane += rows_) {
                for (int r = 0; r < p; ++r) {
                    const std::uint64_t bits = (plane[r] >> at.col) & mask;
                    const std::int32_t base = ch * p * p + r * p;
                    for (int c = 0; c < p; c += kByteBits)
                        write = appendSetBits(write, static_cast<unsigned>(bits >> c) & kByteMask,
                                              base + c);
                }
            }
        }
        out.offsets[steps_] = static_cast<std::int32_t>(write - begin);
        return;
    }
    for (int t = 0; t < steps_; ++t) {
        out.offsets[t] = static_cast<std::int32_t>(write - begin);
        for (int ch = 0; ch < channels_; ++ch) {
            for (int r = 0; r < p; ++r) {
                std::uint64_t bits = rowBits(t, ch, at.row + r, at.col, p);
                const std::int32_t base = ch * p * p + r * p;
                while (bits != 0) {
                    *write++ = base + std::countr_zero(bits);
                    bits &= bits - 1;
                }
            }
        }
    }
    out.offsets[steps_] = static_cast<std::int32_t>(write - begin);
}

STDP_KERNEL void SpikeImage::cutPatchMasks(PatchPosition at, int p, PatchSpikes& out) const {
    if (patchInputs(p) > kMaxMaskInputs)
        throw std::logic_error("cutPatchMasks: more than 64 inputs per patch");
    out.steps = steps_;
    out.inputs = patchInputs(p);
    out.masked = true;
    out.offsets.clear();
    out.masks.resize(static_cast<std::size_t>(steps_));
    std::uint64_t* mask = out.masks.data();
    if (words_ == 1 && channels_ == 1 && p == kMnistPatch) {
        // The paper's MNIST patches: five rows of five bits, shifts known at compile time, from
        // row_steps_, where each of the five rows' words at consecutive steps are contiguous: the
        // loop over steps is vectorised (four steps per AVX2 instruction).
        constexpr std::uint64_t kRow = (std::uint64_t{1} << kMnistPatch) - 1;
        const std::size_t steps = static_cast<std::size_t>(steps_);
        const std::uint64_t* row0 = row_steps_.data() + static_cast<std::size_t>(at.row) * steps;
        const std::uint64_t* row1 = row0 + steps;
        const std::uint64_t* row2 = row1 + steps;
        const std::uint64_t* row3 = row2 + steps;
        const std::uint64_t* row4 = row3 + steps;
        const int col = at.col;
        for (std::size_t t = 0; t < steps; ++t)
            mask[t] = ((row0[t] >> col) & kRow) | (((row1[t] >> col) & kRow) << kMnistPatch) |
                      (((row2[t] >> col) & kRow) << (2 * kMnistPatch)) |
                      (((row3[t] >> col) & kRow) << (3 * kMnistPatch)) |
                      (((row4[t] >> col) & kRow) << (4 * kMnistPatch));
        return;
    }
    for (int t = 0; t < steps_; ++t) {
        std::uint64_t m = 0;
        for (int ch = 0; ch < channels_; ++ch)
            for (int r = 0; r < p; ++r)
                m |= rowBits(t, ch, at.row + r, at.col, p) << ((ch * p + r) * p);
        mask[t] = m;
    }
}

std::size_t PatchSpikes::total() const {
    if (!masked)
        return static_cast<std::size_t>(offsets.empty() ? 0 : offsets.back());
    std::size_t n = 0;
    for (std::uint64_t m : masks)
        n += static_cast<std::size_t>(std::popcount(m));
    return n;
}

void PatchSpikes::toIndexLists() {
    if (!masked)
        return;
    offsets.assign(static_cast<std::size_t>(steps) + 1, 0);
    indices.clear();
    for (int t = 0; t < steps; ++t) {
        for (std::uint64_t m = masks[t]; m != 0; m &= m - 1)
            indices.push_back(std::countr_zero(m));
        offsets[t + 1] = static_cast<std::int32_t>(indices.size());
    }
    masks.clear();
    masked = false;
}

bool SpikeImage::anySpike(PatchPosition at, int p) const {
    if (words_ == 1 && p < kWordBits) {
        // Rows of one word (MNIST): the OR of the patch's rows of the last plane (see encode).
        const std::uint64_t* any =
            bits_.data() + static_cast<std::size_t>(steps_) * channels_ * rows_ + at.row;
        std::uint64_t bits = 0;
        for (int ch = 0; ch < channels_; ++ch, any += rows_)
            for (int r = 0; r < p; ++r)
                bits |= any[r];
        return ((bits >> at.col) & ((std::uint64_t{1} << p) - 1)) != 0;
    }
    for (int ch = 0; ch < channels_; ++ch)
        for (int r = 0; r < p; ++r)
            if (rowBits(steps_, ch, at.row + r, at.col, p) != 0)
                return true;
    return false;
}

std::uint64_t SpikeImage::nonemptyPatchColumns(int row, int p, int columns) const {
    if (columns > kWordBits)
        throw std::logic_error("nonemptyPatchColumns: more than 64 columns");
    const std::uint64_t in_row =
        columns == kWordBits ? ~std::uint64_t{0} : (std::uint64_t{1} << columns) - 1;
    std::uint64_t found = 0;
    if (words_ == 1 && p < kWordBits) {
        // The OR of the patch rows of the last plane (as anySpike), then of p neighbouring
        // columns: bit c is set where a spike lies in columns c .. c + p - 1.
        const std::uint64_t* any =
            bits_.data() + static_cast<std::size_t>(steps_) * channels_ * rows_ + row;
        std::uint64_t bits = 0;
        for (int ch = 0; ch < channels_; ++ch, any += rows_)
            for (int r = 0; r < p; ++r)
                bits |= any[r];
        for (int c = 0; c < p; ++c)
            found |= bits >> c;
        return found & in_row;
    }
    for (int c = 0; c < columns; ++c)
        if (anySpike({row, c}, p))
            found |= std::uint64_t{1} << c;
    return found;
}

void patchPixels(const Image& image, PatchPosition at, int p, int pad, std::vector<float>& out) {
    out.assign(static_cast<std::size_t>(p) * p, 0.0f);
    for (int r = 0; r < p; ++r) {
        const int ir = at.row + r - pad;
        if (ir < 0 || ir >= image.rows)
            continue;
        for (int c = 0; c < p; ++c) {
            const int ic = at.col + c - pad;
            if (ic < 0 || ic >= image.cols)
                continue;
            out[static_cast<std::size_t>(r) * p + c] = image.at(ir, ic);
        }
    }
}

}  // namespace stdp
