#pragma once
// A small, fast, fully specified PRNG (xoshiro256**), so that runs are bit-for-bit reproducible:
// the standard library's distributions are implementation-defined.

#include <cstdint>

namespace stdp {

class Rng {
  public:
    explicit Rng(std::uint64_t seed = 1) { reseed(seed); }

    void reseed(std::uint64_t seed) {
        std::uint64_t x = seed;
        for (auto& s : state_)
            s = splitmix(x);
    }

    std::uint64_t next() {
        const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
        const std::uint64_t t = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotl(state_[3], 45);
        return result;
    }

    std::uint32_t next32() { return static_cast<std::uint32_t>(next() >> 32); }

    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

    // Uniform integer in [0, n) without modulo bias (rejection of the short last interval).
    std::uint64_t below(std::uint64_t n) {
        if (n == 0)
            return 0;
        const std::uint64_t threshold = (0 - n) % n;
        for (;;) {
            const std::uint64_t r = next();
            if (r >= threshold)
                return r % n;
        }
    }

    // Derives an independent stream, e.g. one per evaluation image, so results do not depend on
    // how work is split across threads.
    static std::uint64_t mix(std::uint64_t seed, std::uint64_t stream) {
        std::uint64_t x = seed ^ (0x9E3779B97F4A7C15ULL * (stream + 1));
        return splitmix(x);
    }

  private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static std::uint64_t splitmix(std::uint64_t& x) {
        std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

    std::uint64_t state_[4] = {};
};

// Probability in [0, 1] as a 32-bit threshold: an event happens when next32() < threshold.
// 2^32 itself cannot be stored, so p = 1 maps to 0xFFFFFFFF (a 2^-32 miss rate, documented).
inline std::uint32_t probabilityThreshold(double p) {
    if (!(p > 0.0))
        return 0;
    if (p >= 1.0)
        return 0xFFFFFFFFu;
    return static_cast<std::uint32_t>(p * 4294967296.0);
}

}  // namespace stdp
