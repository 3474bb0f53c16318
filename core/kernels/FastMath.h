#pragma once
// exp() for the softmax, written so that GCC vectorises the loop over neurons with plain SSE2:
// the softmax is the cost centre of every step (K exponentials), and libm's expf is scalar.

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>

namespace stdp {

// The one definition of the exponential's arithmetic, shared by expNonPositive() below and the
// 8-lane simd::expNonPositive8, so that both give the same bits.
namespace expconst {
inline constexpr float kLog2e = 1.44269504088896341f;
inline constexpr float kMin = -87.0f;         // below, 2^n leaves the normal float range
inline constexpr float kRound = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer
// 2^f = exp(f ln2) on [-0.5, 0.5]: Taylor series to degree 6 (error ~1e-7 on the interval),
// highest degree first, for Horner's rule with fused multiply-adds.
inline constexpr float kPoly[] = {0.000154035303933816f,
                                  0.00133335581464284f,
                                  0.00961812910762848f,
                                  0.0555041086648216f,
                                  0.240226506959101f,
                                  0.693147180559945f,
                                  1.0f};
}  // namespace expconst

// exp(x) for x <= 0 (the softmax shifts by an upper bound of its arguments). Relative error < 2e-7
// on [-87, 0]; x below -87 is clamped there (exp(-87) ~ 1.6e-38). Deterministic for a given build.
inline float expNonPositive(float x) {
    using namespace expconst;
    x = x < kMin ? kMin : x;
    const float t = x * kLog2e;
    const float n = (t + kRound) - kRound;  // nearest integer, |n| <= 126
    const float f = t - n;                  // in [-0.5, 0.5]
    // Each fma rounds once on every path: FMA instructions where the CPU has them, libm's exact
    // fmaf elsewhere.
    static_assert(std::size(kPoly) == 7);
    float p = kPoly[0];
    p = std::fma(p, f, kPoly[1]);
    p = std::fma(p, f, kPoly[2]);
    p = std::fma(p, f, kPoly[3]);
    p = std::fma(p, f, kPoly[4]);
    p = std::fma(p, f, kPoly[5]);
    p = std::fma(p, f, kPoly[6]);
    const std::int32_t bits = (static_cast<std::int32_t>(n) + 127) << 23;
    return p * std::bit_cast<float>(bits);
}

}  // namespace stdp
