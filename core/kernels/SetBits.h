#pragma once
// Branch-free compaction: for every byte value, the positions of its set bits. Writing all eight
// candidate positions and advancing the output by the popcount replaces a loop whose trip count
// changes with the data (a mispredicted branch per row of spikes or block of neurons).

#include <array>
#include <cstdint>
#include <cstring>

namespace stdp {

struct SetBitTable {
    std::array<std::array<std::int32_t, 8>, 256> position{};
    std::array<std::uint8_t, 256> count{};
};

inline constexpr SetBitTable kSetBits = [] {
    SetBitTable t;
    for (int m = 0; m < 256; ++m) {
        int n = 0;
        for (int b = 0; b < 8; ++b)
            if (m & (1 << b))
                t.position[m][n++] = b;
        t.count[m] = static_cast<std::uint8_t>(n);
    }
    return t;
}();

// Appends base + (positions of the set bits of `byte`) at `out`; returns the new end. `out` must
// have room for 8 values whatever the popcount.
[[gnu::always_inline]] inline std::int32_t* appendSetBits(std::int32_t* out, unsigned byte,
                                                          std::int32_t base) {
    // One 8-lane load, add and store (a vector of 8 int32), whatever the popcount.
    using v8i = std::int32_t __attribute__((vector_size(32)));
    v8i pos;
    std::memcpy(&pos, kSetBits.position[byte].data(), sizeof pos);
    pos += base;
    std::memcpy(out, &pos, sizeof pos);
    return out + kSetBits.count[byte];
}

}  // namespace stdp
