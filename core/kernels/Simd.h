#pragma once
// The per-neuron loops of a step, written with GCC/Clang vector extensions (8 floats): portable
// (SSE2, NEON, or scalar code where there is no vector unit), and with a fixed association order
// for every sum, so results are identical whatever the instruction set. The step's cost is these
// loops over K, so they are spelled out instead of left to the auto-vectoriser.

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "kernels/Dispatch.h"
#include "kernels/FastMath.h"
#include "kernels/SetBits.h"

// Always inlined: each kernel clone (AVX2 / baseline) must get its own copy, since passing an
// 8-lane vector between functions compiled for different targets changes the calling convention.
#define STDP_SIMD_INLINE [[gnu::always_inline]] inline
#define STDP_SIMD_LAMBDA __attribute__((always_inline))

// A loop over a few register blocks unrolled, so that its values stay in registers (GCC keeps a
// loop with a long body rolled and its array on the stack).
#if defined(__GNUC__) && !defined(__clang__)
#define STDP_UNROLL _Pragma("GCC unroll 8")
#else
#define STDP_UNROLL
#endif

namespace stdp::simd {

// 8 lanes: one AVX register, or two SSE registers in the portable build. The lane count fixes
// the association order of sums, so the AVX2 clones of the step (see RepresentationLayer.cpp)
// and the SSE2 default give identical bits.
using v8f = float __attribute__((vector_size(32)));
using v8i = std::int32_t __attribute__((vector_size(32)));
using v8u = std::uint32_t __attribute__((vector_size(32)));
inline constexpr int kWidth = 8;

STDP_SIMD_INLINE v8f load(const float* p) {
    v8f v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
STDP_SIMD_INLINE void store(float* p, v8f v) {
    std::memcpy(p, &v, sizeof v);
}
STDP_SIMD_INLINE v8f splat(float x) {
    // A shuffle of lane 0, not v8f{x, x, ...}: in target_clones functions GCC 12 builds the
    // latter with four vinsertps and a vinsertf128 instead of one vbroadcastss.
    const v8f v = {x};
    return __builtin_shufflevector(v, v, 0, 0, 0, 0, 0, 0, 0, 0);
}

// a * b + c rounded once, lane by lane: FMA instructions in the x86-64-v3 clones (Dispatch.h),
// libm's exact fmaf in the portable build; the same bits either way. The build never fuses a
// multiply and an add by itself (-ffp-contract=off), so only these are fused.
STDP_SIMD_INLINE v8f fmadd(v8f a, v8f b, v8f c) {
    v8f r;
    for (int l = 0; l < kWidth; ++l)
        r[l] = std::fma(a[l], b[l], c[l]);
    return r;
}

// out[j] = row[j]
STDP_SIMD_INLINE void copy(float* __restrict out, const float* __restrict row, int n) {
    std::memcpy(out, row, sizeof(float) * static_cast<std::size_t>(n));
}

// out[j] += row[j]
STDP_SIMD_INLINE void add(float* __restrict out, const float* __restrict row, int n) {
    int j = 0;
    for (; j + kWidth <= n; j += kWidth)
        store(out + j, load(out + j) + load(row + j));
    for (; j < n; ++j)
        out[j] += row[j];
}

// out[j] += a * row[j]
STDP_SIMD_INLINE void addScaled(float* __restrict out, float a, const float* __restrict row,
                                int n) {
    const v8f va = splat(a);
    int j = 0;
    for (; j + kWidth <= n; j += kWidth)
        store(out + j, load(out + j) + va * load(row + j));
    for (; j < n; ++j)
        out[j] += a * row[j];
}

// out[j] = decay * out[j] + a[j] * b[j]   (decay == 0: out[j] = a[j] * b[j], out not read)
STDP_SIMD_INLINE void leakyProduct(float* __restrict out, float decay, const float* __restrict a,
                                   const float* __restrict b, int n) {
    int j = 0;
    if (decay == 0.0f) {
        for (; j + kWidth <= n; j += kWidth)
            store(out + j, load(a + j) * load(b + j));
        for (; j < n; ++j)
            out[j] = a[j] * b[j];
        return;
    }
    const v8f vd = splat(decay);
    for (; j + kWidth <= n; j += kWidth)
        store(out + j, vd * load(out + j) + load(a + j) * load(b + j));
    for (; j < n; ++j)
        out[j] = decay * out[j] + a[j] * b[j];
}

// out[j] *= a
STDP_SIMD_INLINE void scale(float* out, float a, int n) {
    const v8f va = splat(a);
    int j = 0;
    for (; j + kWidth <= n; j += kWidth)
        store(out + j, load(out + j) * va);
    for (; j < n; ++j)
        out[j] *= a;
}

// out[j] = sum over the listed rows of base[r * stride + j]. `rows` lists the rows through
// rows.forEach(f), which calls f(r) in order (an index list, or the set bits of a mask). Each
// block of 32 outputs stays in registers while all rows are added, instead of a load/store of
// out per row.
template <class Rows>
STDP_SIMD_INLINE void sumRows(float* __restrict out, const float* __restrict base,
                              std::ptrdiff_t stride, const Rows& rows, int n) {
    constexpr int kBlock = 4 * kWidth;  // 32 potentials in registers
    int j = 0;
    for (; j + kBlock <= n; j += kBlock) {
        v8f a0 = splat(0.0f), a1 = a0, a2 = a0, a3 = a0;
        rows.forEach([&](std::int32_t r) {
            const float* row = base + r * stride + j;
            a0 += load(row);
            a1 += load(row + kWidth);
            a2 += load(row + 2 * kWidth);
            a3 += load(row + 3 * kWidth);
        });
        store(out + j, a0);
        store(out + j + kWidth, a1);
        store(out + j + 2 * kWidth, a2);
        store(out + j + 3 * kWidth, a3);
    }
    for (; j + kWidth <= n; j += kWidth) {
        v8f a = splat(0.0f);
        rows.forEach([&](std::int32_t r) { a += load(base + r * stride + j); });
        store(out + j, a);
    }
    for (; j < n; ++j) {
        float a = 0.0f;
        rows.forEach([&](std::int32_t r) { a += base[r * stride + j]; });
        out[j] = a;
    }
}

// The widest sum that sumRowsFixed keeps in registers (more spills; measured slower at 64).
inline constexpr int kRowSumWidth = 4 * kWidth;

// acc = the sum of the listed rows of N floats (a multiple of 8, at most kRowSumWidth), in
// registers through one pass over the rows: the odd-numbered and the even-numbered rows in two
// sums added at the end, so that the step waits for about half as many dependent additions.
// Rows lists them through rows.forEachInTurn(first, second) (SpikeForms.h).
template <int N, class Rows>
STDP_SIMD_INLINE void rowSumsFixed(v8f (&acc)[N / kWidth], const float* __restrict base,
                                   const Rows& rows) {
    static_assert(N % kWidth == 0 && N <= kRowSumWidth, "up to 4 registers of 8 lanes");
    constexpr int kBlocks = N / kWidth;
    v8f other[kBlocks];
    for (int b = 0; b < kBlocks; ++b) {
        acc[b] = splat(0.0f);
        other[b] = acc[b];
    }
    const auto add_row = [&](v8f(&sum)[kBlocks], std::int32_t r) STDP_SIMD_LAMBDA {
        const float* row = base + static_cast<std::ptrdiff_t>(r) * N;
        for (int b = 0; b < kBlocks; ++b)
            sum[b] += load(row + b * kWidth);
    };
    rows.forEachInTurn([&](std::int32_t r) STDP_SIMD_LAMBDA { add_row(acc, r); },
                       [&](std::int32_t r) STDP_SIMD_LAMBDA { add_row(other, r); });
    for (int b = 0; b < kBlocks; ++b)
        acc[b] += other[b];
}

// sumRows for a width known at compile time (a multiple of 8, at most kRowSumWidth): the whole
// sum stays in registers through one pass over the rows; times scale[j] if given.
template <int N, class Rows>
STDP_SIMD_INLINE void sumRowsFixed(float* __restrict out, const float* __restrict base,
                                   const Rows& rows, const float* __restrict scale = nullptr) {
    static_assert(N % kWidth == 0 && N <= kRowSumWidth, "up to 4 registers of 8 lanes");
    constexpr int kBlocks = N / kWidth;
    v8f acc[kBlocks];
    rowSumsFixed<N>(acc, base, rows);
    for (int b = 0; b < kBlocks; ++b)
        store(out + b * kWidth, scale != nullptr ? acc[b] * load(scale + b * kWidth) : acc[b]);
}

// Bit l set where a[l] >= b[l].
STDP_SIMD_INLINE unsigned atLeastMask(v8f a, v8f b) {
    const v8i hit = a >= b;
#if defined(__SSE2__)
    // One movmskps per 128-bit half (baseline x86-64), instead of a tree of shuffles.
    __m128 lo;
    __m128 hi;
    std::memcpy(&lo, &hit, sizeof lo);
    std::memcpy(&hi, reinterpret_cast<const char*>(&hit) + sizeof lo, sizeof hi);
    return static_cast<unsigned>(_mm_movemask_ps(lo) | (_mm_movemask_ps(hi) << 4));
#else
    // Lane l contributes bit l: OR of all lanes by three halving shuffles.
    const v8i lane_bit = {1, 2, 4, 8, 16, 32, 64, 128};
    v8i bits = hit & lane_bit;
    bits |= __builtin_shufflevector(bits, bits, 4, 5, 6, 7, 0, 1, 2, 3);
    bits |= __builtin_shufflevector(bits, bits, 2, 3, 0, 1, 6, 7, 4, 5);
    bits |= __builtin_shufflevector(bits, bits, 1, 0, 3, 2, 5, 4, 7, 6);
    return static_cast<unsigned>(bits[0]);
#endif
}

// Bit j set where x[j / 8][j % 8] >= vb (the bar in every lane), for N values (at most 64) held
// in registers.
template <int N>
STDP_SIMD_INLINE std::uint64_t atLeastMaskFixed(const v8f (&x)[N / kWidth], v8f vb) {
    static_assert(N % kWidth == 0 && N <= 64, "one 64-bit mask");
    std::uint64_t hits = 0;
    int b = 0;
#if defined(__SSE2__)
    // 16 lanes at a time: the four 128-bit halves of two comparisons packed to 16 bytes (signed
    // saturation keeps all-ones and zero), then one pmovmskb; half the instructions of a
    // movmskps per half.
    for (; b + 2 <= N / kWidth; b += 2) {
        const v8i lo = x[b] >= vb;
        const v8i hi = x[b + 1] >= vb;
        __m128i h[4];
        std::memcpy(&h[0], &lo, sizeof h[0]);
        std::memcpy(&h[1], reinterpret_cast<const char*>(&lo) + sizeof h[0], sizeof h[1]);
        std::memcpy(&h[2], &hi, sizeof h[2]);
        std::memcpy(&h[3], reinterpret_cast<const char*>(&hi) + sizeof h[2], sizeof h[3]);
        const __m128i bytes =
            _mm_packs_epi16(_mm_packs_epi32(h[0], h[1]), _mm_packs_epi32(h[2], h[3]));
        hits |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(bytes)))
                << (b * kWidth);
    }
#endif
    for (; b < N / kWidth; ++b)
        hits |= static_cast<std::uint64_t>(atLeastMask(x[b], vb)) << (b * kWidth);
    return hits;
}

// Whether the step's clone for x86-64-v4 exists, where atLeastMaskFixed<N, true> may be used.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
inline constexpr bool kHasMaskRegisters = true;
#else
inline constexpr bool kHasMaskRegisters = false;
#endif

// atLeastMaskFixed by AVX-512 comparisons into mask registers: one vcmpps per block, its 8 bits
// moved to a general register, instead of the pack sequence (two extracts, three packs and a
// pmovmskb per 16 lanes) at the end of the step's chain. Only for code compiled for x86-64-v4:
// the builtin is expanded after inlining, in the v4 clone of the step (StepShape::isa), and
// refused anywhere else.
template <int N>
STDP_SIMD_INLINE std::uint64_t atLeastMaskRegisters(const v8f (&x)[N / kWidth], v8f vb) {
    static_assert(N % kWidth == 0 && N <= 64, "one 64-bit mask");
    std::uint64_t hits = 0;
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
    constexpr int kGreaterEqualOrdered = 0x1d;  // _CMP_GE_OQ: what `>=` of two floats means
    for (int b = 0; b < N / kWidth; ++b)
        // Through uint8_t: the builtin's 8-bit result is a plain (signed) char, whose
        // sign extension would set the bits of the blocks above.
        hits |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(
                    __builtin_ia32_cmpps256_mask(x[b], vb, kGreaterEqualOrdered, 0xff)))
                << (b * kWidth);
#else
    (void)x;
    (void)vb;
#endif
    return hits;
}

// Writes the positions of the set bits of `hits` to `out`, ascending; returns their count. The
// winners are few (0 to 3 mostly), so a bit scan each beats placing 8 candidates per block from
// the table.
STDP_SIMD_INLINE std::size_t setBitIndices(std::uint64_t hits, std::int32_t* out) {
    const int count = std::popcount(hits);
    for (std::int32_t* write = out; hits != 0; hits &= hits - 1)
        *write++ = std::countr_zero(hits);
    return static_cast<std::size_t>(count);
}

// indicesAtLeast for a width known at compile time (at most 64): the hit masks of all blocks in
// one word first, then its set bits.
template <int N>
STDP_SIMD_INLINE std::size_t indicesAtLeastFixed(const float* v, float bar, std::int32_t* out) {
    v8f x[N / kWidth];
    for (int b = 0; b < N / kWidth; ++b)
        x[b] = load(v + b * kWidth);
    return setBitIndices(atLeastMaskFixed<N>(x, splat(bar)), out);
}

// Writes to `out` the indices j with v[j] >= bar, ascending; returns their count. Branch-free:
// each block's hit mask picks its indices from a table (see SetBits.h). `out` needs room for
// n + 8 values. The count is a sum of popcounts, not the end of the written list: the step's
// branches on the number of winners then wait for the comparisons only, not for the chain of
// table lookups that places the indices.
STDP_SIMD_INLINE std::size_t indicesAtLeast(const float* v, int n, float bar, std::int32_t* out) {
    const v8f vb = splat(bar);
    std::int32_t* write = out;
    int count = 0;
    int j = 0;
    for (; j + kWidth <= n; j += kWidth) {
        const unsigned hits = atLeastMask(load(v + j), vb);
        count += std::popcount(hits);
        write = appendSetBits(write, hits, j);
    }
    for (; j < n; ++j) {
        *write = j;
        const int hit = v[j] >= bar ? 1 : 0;
        write += hit;
        count += hit;
    }
    return static_cast<std::size_t>(count);
}

STDP_SIMD_INLINE float max(const float* v, int n) {
    float m = v[0];
    int j = 0;
    if (n >= kWidth) {
        v8f vm = load(v);
        for (j = kWidth; j + kWidth <= n; j += kWidth) {
            const v8f x = load(v + j);
            vm = x > vm ? x : vm;
        }
        // A tree over the lanes: the maximum does not depend on the order, and the step waits
        // for it (log2(8) = 3 dependent compares instead of 8).
        vm = vm > __builtin_shufflevector(vm, vm, 4, 5, 6, 7, 0, 1, 2, 3)
                 ? vm
                 : __builtin_shufflevector(vm, vm, 4, 5, 6, 7, 0, 1, 2, 3);
        vm = vm > __builtin_shufflevector(vm, vm, 2, 3, 0, 1, 6, 7, 4, 5)
                 ? vm
                 : __builtin_shufflevector(vm, vm, 2, 3, 0, 1, 6, 7, 4, 5);
        vm = vm > __builtin_shufflevector(vm, vm, 1, 0, 3, 2, 5, 4, 7, 6)
                 ? vm
                 : __builtin_shufflevector(vm, vm, 1, 0, 3, 2, 5, 4, 7, 6);
        m = vm[0] > m ? vm[0] : m;
    }
    for (; j < n; ++j)
        m = v[j] > m ? v[j] : m;
    return m;
}

// 2^(k / 16) for each lane's k (its low four bits; the rest is ignored): expconst::kTable by a
// permutation of its two halves and a blend, in registers, instead of a gather. GCC's variable
// __builtin_shuffle gives one vpermi2ps in the x86-64-v4 clone, but two vpermps, an AND, a
// compare with a broadcast 8 and a vblendvps in the v3 one; there the blend takes bit 3 of k
// shifted into the sign bit, which vblendvps reads: one shift instead of the AND, the compare and
// the constant. 32 entries (four permutations, three blends) measured 10 % slower for the same
// accuracy.
template <InstructionSet Isa = InstructionSet::Portable>
STDP_SIMD_INLINE v8f expTable8(v8u k) {
    using expconst::kTable;
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
    const v8i index = reinterpret_cast<const v8i&>(k);
    if constexpr (Isa == InstructionSet::X86_64_V3) {
        const v8f low = __builtin_ia32_permvarsf256(load(kTable), index);
        const v8f high = __builtin_ia32_permvarsf256(load(kTable + kWidth), index);
        const v8i upper = index << 28;  // bit 3 of k in the sign bit
        v8f select;
        std::memcpy(&select, &upper, sizeof select);
        return __builtin_ia32_blendvps256(low, high, select);
    }
    return __builtin_shuffle(load(kTable), load(kTable + kWidth), index);
#elif defined(__GNUC__) && !defined(__clang__)
    const v8i index = reinterpret_cast<const v8i&>(k);
    return __builtin_shuffle(load(kTable), load(kTable + kWidth), index);
#else
    v8f r;
    for (int l = 0; l < kWidth; ++l)
        r[l] = kTable[k[l] & expconst::kIndexMask];
    return r;
#endif
}

// t - round(t) (to nearest, ties to even) in one AVX-512 vreduceps, where t - ((t + kRound) -
// kRound) waits for three dependent additions; both are exact, so the same value (a zero's sign
// aside, which the exponential's arithmetic does not see). Only for code compiled for x86-64-v4
// (see atLeastMaskRegisters); elsewhere the additions.
template <InstructionSet Isa>
STDP_SIMD_INLINE v8f fractionToNearest(v8f t, v8f r, v8f round) {
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
    if constexpr (Isa == InstructionSet::X86_64_V4) {
        (void)r;
        (void)round;
        constexpr int kNearestNoScale = 0x00;  // M = 0, round to nearest even
        return __builtin_ia32_reduceps256_mask(t, kNearestNoScale, splat(0.0f), 0xff);
    }
#endif
    return t - (r - round);
}

// The exponential's constants as vectors, and the step's softmax shift. A run of steps makes them
// once (expVectors) and the step reads them from there: written as constants inside the step,
// GCC broadcasts each one again every step (x86-64-v3 has 16 vector registers, fewer than the
// step's values and these constants, and nothing stays in a register across the calls in the
// loop), where a value made before the loop is kept in its spill slot and read as a memory
// operand, at no instruction of its own.
struct ExpVectors {
    v8f round;
    v8f poly0;
    v8f poly1;
    v8f poly2;
    v8u high_bits;  // ~kIndexMask: the bits of n - k
    v8f neg_shift;  // minus the softmax's fixed shift, times 16 log2(e) (decideBasicFixed)
};

// ExpVectors for the clone Isa, opaque to the optimiser in the x86-64 clones (an empty asm that
// claims to change them), so that it cannot turn them back into constants it rebuilds in the
// loop.
template <InstructionSet Isa = InstructionSet::Portable>
STDP_SIMD_INLINE ExpVectors expVectors(float shift = 0.0f) {
    using namespace expconst;
    static_assert(std::size(kPoly) == 3);
    const v8u low = {kIndexMask, kIndexMask, kIndexMask, kIndexMask,
                     kIndexMask, kIndexMask, kIndexMask, kIndexMask};
    ExpVectors c{splat(kRound), splat(kPoly[0]), splat(kPoly[1]), splat(kPoly[2]),
                 ~low,          splat(-shift)};
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
    if constexpr (Isa == InstructionSet::X86_64_V3)
        asm(""
            : "+x"(c.round), "+x"(c.poly0), "+x"(c.poly1), "+x"(c.poly2), "+x"(c.high_bits),
              "+x"(c.neg_shift));
    else if constexpr (Isa == InstructionSet::X86_64_V4)
        asm(""
            : "+v"(c.round), "+v"(c.poly0), "+v"(c.poly1), "+v"(c.poly2), "+v"(c.high_bits),
              "+v"(c.neg_shift));
#endif
    return c;
}

// 2^(t / 16), all lanes at once; the same arithmetic as exp2Steps(), with the constants from
// `c`. Isa: the clone it is compiled into (the fraction by fractionToNearest's single instruction
// in x86-64-v4, the table by expTable8's shorter blend in v3).
template <InstructionSet Isa = InstructionSet::Portable>
STDP_SIMD_INLINE v8f exp2Steps8(v8f t, const ExpVectors& c) {
    using namespace expconst;
    const v8f r = t + c.round;
    const v8f f = fractionToNearest<Isa>(t, r, c.round);
    v8u bits;
    std::memcpy(&bits, &r, sizeof bits);
    const v8f entry = expTable8<Isa>(bits);
    v8u scaled;
    std::memcpy(&scaled, &entry, sizeof scaled);
    scaled += (bits & c.high_bits) << kExponentShift;
    v8f two_n;
    std::memcpy(&two_n, &scaled, sizeof two_n);
    // Written out, not a loop over kPoly: GCC then vectorises each fmadd's lanes (a loop around
    // them is left rolled, its lanes scalar).
    v8f q = fmadd(c.poly0, f, c.poly1);
    q = fmadd(q, f, c.poly2);
    return fmadd(two_n * f, q, two_n);
}

template <InstructionSet Isa = InstructionSet::Portable>
STDP_SIMD_INLINE v8f exp2Steps8(v8f t) {
    return exp2Steps8<Isa>(t, expVectors());
}

// exp(x) for x <= 0, all lanes at once; the same arithmetic as expNonPositive().
template <bool Clamp = true>
STDP_SIMD_INLINE v8f expNonPositive8(v8f x) {
    using namespace expconst;
    if constexpr (Clamp) {
        const v8f lo = splat(kMin);
        x = x < lo ? lo : x;
    }
    return exp2Steps8(x * splat(kStepsPerE));
}

// ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) by two in-lane shuffles: the same
// additions as lane by lane (a sum of two is the same whichever lane holds it).
STDP_SIMD_INLINE float laneSum(v8f a) {
    a += __builtin_shufflevector(a, a, 1, 0, 3, 2, 5, 4, 7, 6);
    a += __builtin_shufflevector(a, a, 2, 3, 0, 1, 6, 7, 4, 5);
    return a[0] + a[4];
}

// laneSum(a) in every lane: the same additions, then the two halves' sums added both ways round
// (the same bits), so that a comparison with the sum needs no broadcast of it.
STDP_SIMD_INLINE v8f laneSumSplat(v8f a) {
    a += __builtin_shufflevector(a, a, 1, 0, 3, 2, 5, 4, 7, 6);
    a += __builtin_shufflevector(a, a, 2, 3, 0, 1, 6, 7, 4, 5);
    return a + __builtin_shufflevector(a, a, 4, 5, 6, 7, 0, 1, 2, 3);
}

// x[0] + ... + x[M - 1] as a balanced tree: the sum waits for log2(M) additions, not M.
template <int M>
STDP_SIMD_INLINE v8f treeSum(const v8f* x) {
    if constexpr (M == 1)
        return x[0];
    else
        return treeSum<M / 2>(x) + treeSum<M - M / 2>(x + M / 2);
}

// e[j] = exp(u[j] * inv_t - shift); returns sum_j e[j] (4 lane sums, then the tail).
template <bool Clamp = true>
STDP_SIMD_INLINE float expShiftedSum(const float* __restrict u, float* __restrict e, int n,
                                     float inv_t, float shift) {
    const v8f vi = splat(inv_t);
    const v8f vs = splat(shift);
    v8f acc = splat(0.0f);
    int j = 0;
    for (; j + kWidth <= n; j += kWidth) {
        const v8f x = expNonPositive8<Clamp>(fmadd(load(u + j), vi, -vs));
        store(e + j, x);
        acc += x;
    }
    float sum = laneSum(acc);
    for (; j < n; ++j) {
        e[j] = expNonPositive(std::fma(u[j], inv_t, -shift));
        sum += e[j];
    }
    return sum;
}

// The decision of a basic step (StepShape::basic) of N neurons (a multiple of 8, at most
// kRowSumWidth) in one pass whose values stay in registers from the row sum to the comparison,
// the step's serial chain: d_j = sum of the listed rows, potential_j = scale_j d_j, e_j =
// 2^(gain_j d_j - shift) = exp(potential_j / tau_s - shift / (16 log2 e)), their sum by a tree,
// and the mask of the e_j >= theta sum (none where theta sum > 1: no e_j exceeds 1). The
// potentials and exponentials are stored only where `record` asks (for observers, and the last
// step of a run, whose state the layer shows): nothing in the step reads them. Isa: the
// clone it is compiled into; in x86-64-v4 the exponential's fraction by vreduceps and the mask
// from mask registers.
template <int N, InstructionSet Isa = InstructionSet::Portable, class Rows>
STDP_SIMD_INLINE std::uint64_t decideBasicFixed(const float* __restrict base, const Rows& rows,
                                                const float* __restrict scale,
                                                const float* __restrict gain, const ExpVectors& c,
                                                float theta, float* __restrict potential,
                                                float* __restrict e, float& sum, bool record) {
    static_assert(N % kWidth == 0 && N <= kRowSumWidth, "up to 4 registers of 8 lanes");
    constexpr int kBlocks = N / kWidth;
    v8f acc[kBlocks];
    rowSumsFixed<N>(acc, base, rows);
    v8f x[kBlocks];
    STDP_UNROLL
    for (int b = 0; b < kBlocks; ++b)
        x[b] = exp2Steps8<Isa>(fmadd(acc[b], load(gain + b * kWidth), c.neg_shift), c);
    if (record) {
        STDP_UNROLL
        for (int b = 0; b < kBlocks; ++b) {
            store(potential + b * kWidth, acc[b] * load(scale + b * kWidth));
            store(e + b * kWidth, x[b]);
        }
    }
    const v8f total = laneSumSplat(treeSum<kBlocks>(x));
    sum = total[0];
    const v8f bar = total * splat(theta);
    if (bar[0] > 1.0f)
        return 0;
    if constexpr (Isa == InstructionSet::X86_64_V4 && kHasMaskRegisters)
        return atLeastMaskRegisters<N>(x, bar);
    else
        return atLeastMaskFixed<N>(x, bar);
}

}  // namespace stdp::simd
