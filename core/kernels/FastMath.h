#pragma once
// exp() for the softmax, written so that GCC vectorises the loop over neurons with plain SSE2:
// the softmax is the cost centre of every step (K exponentials), and libm's expf is scalar.

#include <bit>
#include <cmath>
#include <cstdint>

namespace stdp {

// exp(x) for x <= 0 (the softmax shifts by an upper bound of its arguments). Relative error < 2e-7
// on [-87, 0]; x below -87 is clamped there (exp(-87) ~ 1.6e-38). Deterministic for a given build.
inline float expNonPositive(float x) {
    constexpr float kLog2e = 1.44269504088896341f;
    constexpr float kMin = -87.0f;         // below, 2^n leaves the normal float range
    constexpr float kRound = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer
    x = x < kMin ? kMin : x;
    const float t = x * kLog2e;
    const float n = (t + kRound) - kRound;  // nearest integer, |n| <= 126
    const float f = t - n;                  // in [-0.5, 0.5]
    // 2^f = exp(f ln2): Taylor series to degree 6 (error ~1e-7 on the interval), by Horner's
    // rule with fused multiply-adds in the same order as simd::expNonPositive8, so both give the
    // same bits (an fma rounds once on every path: FMA instructions where the CPU has them,
    // libm's exact fmaf elsewhere).
    float p = 0.000154035303933816f;
    p = std::fma(p, f, 0.00133335581464284f);
    p = std::fma(p, f, 0.00961812910762848f);
    p = std::fma(p, f, 0.0555041086648216f);
    p = std::fma(p, f, 0.240226506959101f);
    p = std::fma(p, f, 0.693147180559945f);
    p = std::fma(p, f, 1.0f);
    const std::int32_t bits = (static_cast<std::int32_t>(n) + 127) << 23;
    return p * std::bit_cast<float>(bits);
}

}  // namespace stdp
