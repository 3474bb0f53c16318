#pragma once
// The two forms in which a step's input spikes reach the layer's kernels: a list of input indices
// (any number of inputs) or a bit mask (at most 64 inputs, see PatchSpikes). Both offer the same
// small interface, so each phase of the step is written once for either.

#include <bit>
#include <cstdint>
#include <span>
#include <vector>

#include "kernels/Dispatch.h"

namespace stdp {

// A step's input spikes as a list of input indices.
struct SpikeList {
    std::span<const std::int32_t> list;

    bool any() const { return !list.empty(); }
    template <typename F>
    STDP_PHASE void forEach(F&& f) const {
        for (std::int32_t i : list)
            f(i);
    }
    // first(i) for the 1st, 3rd, ... spike, second(i) for the 2nd, 4th, ...: two sums in turn.
    template <typename F, typename G>
    STDP_PHASE void forEachInTurn(F&& first, G&& second) const {
        std::size_t k = 0;
        for (; k + 2 <= list.size(); k += 2) {
            first(list[k]);
            second(list[k + 1]);
        }
        if (k < list.size())
            first(list[k]);
    }
    std::span<const std::int32_t> indices(std::vector<std::int32_t>&) const { return list; }
};

// The same as a bit mask (bit i: input i spiked; at most 64 inputs), walked by bit scans.
struct SpikeBits {
    std::uint64_t bits = 0;

    bool any() const { return bits != 0; }
    template <typename F>
    STDP_PHASE void forEach(F&& f) const {
        for (std::uint64_t m = bits; m != 0; m &= m - 1)
            f(static_cast<std::int32_t>(std::countr_zero(m)));
    }
    template <typename F, typename G>
    STDP_PHASE void forEachInTurn(F&& first, G&& second) const {
        for (std::uint64_t m = bits; m != 0;) {
            first(static_cast<std::int32_t>(std::countr_zero(m)));
            m &= m - 1;
            if (m == 0)
                break;
            second(static_cast<std::int32_t>(std::countr_zero(m)));
            m &= m - 1;
        }
    }
    // The spikes as a list, written to `buffer` (room for 64).
    std::span<const std::int32_t> indices(std::vector<std::int32_t>& buffer) const {
        std::size_t n = 0;
        forEach([&](std::int32_t i) { buffer[n++] = i; });
        return {buffer.data(), n};
    }
};

// A run of steps: CSR index lists, or one mask per step.
struct ListSteps {
    const std::int32_t* indices;
    const std::int32_t* offsets;

    SpikeList at(int t) const {
        return {{indices + offsets[t], static_cast<std::size_t>(offsets[t + 1] - offsets[t])}};
    }
};
struct MaskSteps {
    const std::uint64_t* masks;

    SpikeBits at(int t) const { return {masks[t]}; }
};

}  // namespace stdp
