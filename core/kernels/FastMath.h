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
//
// exp(x) = 2^(t / 16) with t = x * 16 log2(e): t rounds to an integer n, 2^(n / 16) is a power
// of two times one of 16 table entries 2^(k / 16), and the rest 2^((t - n) / 16), |t - n| <= 1/2,
// is 1 + f q(f) with q of degree 2. The step waits for this chain once per step, so it is kept
// short: a rounding, a subtraction and two fused multiply-adds after the argument, where a
// polynomial over a whole octave needs six.
namespace expconst {
inline constexpr float kMin = -87.0f;                  // below, 2^n leaves the normal float range
inline constexpr float kStepsPerE = 23.0831207f;       // 16 log2(e): t = x kStepsPerE
inline constexpr float kStepsMin = kMin * kStepsPerE;  // t below it is clamped
inline constexpr float kRound = 12582912.0f;           // 1.5 * 2^23: adding it rounds to an integer
inline constexpr int kTableSize = 16;
// 2^(k / 16), rounded to float.
inline constexpr float kTable[kTableSize] = {1.0f,        1.04427373f, 1.09050775f, 1.13878858f,
                                             1.18920708f, 1.24185777f, 1.29683959f, 1.35425556f,
                                             1.41421354f, 1.47682619f, 1.54221082f, 1.61049032f,
                                             1.68179286f, 1.75625217f, 1.8340081f,  1.91520655f};
// 2^(f / 16) = 1 + f q(f), q(f) = c1 + c2 f + c3 f^2 (Taylor, c_m = (ln 2 / 16)^m / m!): on
// |f| <= 1/2 the series' next term is below 1e-8, under a tenth of a float's rounding. Highest
// degree first, for Horner's rule with fused multiply-adds.
inline constexpr float kPoly[] = {1.35508078e-05f, 0.000938384793f, 0.0433216988f};

// The bits of r = t + kRound hold n = round(t) in their low bits (two's complement, |n| < 2^22):
// its low four bits are k, and (n - k) / 16 shifted into the exponent field is what to add to
// the table entry's bits for 2^(n / 16). 0x4B400000 (kRound's bits) vanishes in the shift.
inline constexpr std::uint32_t kIndexMask = kTableSize - 1;
inline constexpr int kExponentShift = 23 - 4;
}  // namespace expconst

// 2^(t / 16) for t in [kStepsMin, 0] (a little above 0 stays finite and about 1).
inline float exp2Steps(float t) {
    using namespace expconst;
    const float r = t + kRound;
    const float f = t - (r - kRound);  // exact, in [-1/2, 1/2]
    const std::uint32_t bits = std::bit_cast<std::uint32_t>(r);
    const std::uint32_t entry = std::bit_cast<std::uint32_t>(kTable[bits & kIndexMask]);
    const float two_n = std::bit_cast<float>(entry + ((bits & ~kIndexMask) << kExponentShift));
    // Each fma rounds once on every path: FMA instructions where the CPU has them, libm's exact
    // fmaf elsewhere.
    static_assert(std::size(kPoly) == 3);
    float q = std::fma(kPoly[0], f, kPoly[1]);
    q = std::fma(q, f, kPoly[2]);
    return std::fma(two_n * f, q, two_n);
}

// exp(x) for x <= 0 (the softmax shifts by an upper bound of its arguments). Within about one
// ulp of exp(x) for the float t = x * 16 log2(e) (the rounding of t adds |x| 6e-8 relative, as
// in any exp reduced this way); x below -87 is clamped there (exp(-87) ~ 1.6e-38).
// Deterministic for a given build.
inline float expNonPositive(float x) {
    using namespace expconst;
    x = x < kMin ? kMin : x;
    return exp2Steps(x * kStepsPerE);
}

}  // namespace stdp
