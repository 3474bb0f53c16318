#pragma once
// The per-neuron loops of a step, written with GCC/Clang vector extensions (4 floats): portable
// (SSE2, NEON, or scalar code where there is no vector unit), and with a fixed association order
// for every sum, so results are identical whatever the instruction set. The step's cost is these
// loops over K, so they are spelled out instead of left to the auto-vectoriser.

#include <cstdint>
#include <cstring>

#include "FastMath.h"

namespace stdp::simd {

using v4f = float __attribute__((vector_size(16)));
using v4i = std::int32_t __attribute__((vector_size(16)));
inline constexpr int kWidth = 4;

inline v4f load(const float* p) {
    v4f v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline void store(float* p, v4f v) {
    std::memcpy(p, &v, sizeof v);
}
inline v4f splat(float x) {
    return v4f{x, x, x, x};
}

// out[j] = row[j]
inline void copy(float* __restrict out, const float* __restrict row, int n) {
    std::memcpy(out, row, sizeof(float) * static_cast<std::size_t>(n));
}

// out[j] += row[j]
inline void add(float* __restrict out, const float* __restrict row, int n) {
    int j = 0;
    for (; j + kWidth <= n; j += kWidth)
        store(out + j, load(out + j) + load(row + j));
    for (; j < n; ++j)
        out[j] += row[j];
}

// out[j] += a * row[j]
inline void addScaled(float* __restrict out, float a, const float* __restrict row, int n) {
    const v4f va = splat(a);
    int j = 0;
    for (; j + kWidth <= n; j += kWidth)
        store(out + j, load(out + j) + va * load(row + j));
    for (; j < n; ++j)
        out[j] += a * row[j];
}

// out[j] *= a
inline void scale(float* out, float a, int n) {
    const v4f va = splat(a);
    int j = 0;
    for (; j + kWidth <= n; j += kWidth)
        store(out + j, load(out + j) * va);
    for (; j < n; ++j)
        out[j] *= a;
}

// out[j] = sum over the listed rows of rows[r * stride + j]: each block of 16 outputs stays in
// registers while all rows are added, instead of a load/store of out per row.
inline void sumRows(float* __restrict out, const float* __restrict base, std::ptrdiff_t stride,
                    const std::int32_t* rows, std::size_t count, int n) {
    constexpr int kBlock = 4 * kWidth;
    int j = 0;
    for (; j + kBlock <= n; j += kBlock) {
        v4f a0 = splat(0.0f), a1 = a0, a2 = a0, a3 = a0;
        for (std::size_t r = 0; r < count; ++r) {
            const float* row = base + rows[r] * stride + j;
            a0 += load(row);
            a1 += load(row + kWidth);
            a2 += load(row + 2 * kWidth);
            a3 += load(row + 3 * kWidth);
        }
        store(out + j, a0);
        store(out + j + kWidth, a1);
        store(out + j + 2 * kWidth, a2);
        store(out + j + 3 * kWidth, a3);
    }
    for (; j + kWidth <= n; j += kWidth) {
        v4f a = splat(0.0f);
        for (std::size_t r = 0; r < count; ++r)
            a += load(base + rows[r] * stride + j);
        store(out + j, a);
    }
    for (; j < n; ++j) {
        float a = 0.0f;
        for (std::size_t r = 0; r < count; ++r)
            a += base[rows[r] * stride + j];
        out[j] = a;
    }
}

// Appends to `out` the indices j with v[j] >= bar; returns the new count. Blocks of 4 are tested
// at once: most neurons do not fire.
inline std::size_t indicesAtLeast(const float* v, int n, float bar, std::int32_t* out) {
    std::size_t count = 0;
    const v4f vb = splat(bar);
    int j = 0;
    for (; j + kWidth <= n; j += kWidth) {
        const v4i hit = load(v + j) >= vb;
        if ((hit[0] | hit[1] | hit[2] | hit[3]) == 0)
            continue;
        for (int l = 0; l < kWidth; ++l)
            if (hit[l])
                out[count++] = j + l;
    }
    for (; j < n; ++j)
        if (v[j] >= bar)
            out[count++] = j;
    return count;
}

inline float max(const float* v, int n) {
    float m = v[0];
    int j = 0;
    if (n >= kWidth) {
        v4f vm = load(v);
        for (j = kWidth; j + kWidth <= n; j += kWidth) {
            const v4f x = load(v + j);
            vm = x > vm ? x : vm;
        }
        for (int l = 0; l < kWidth; ++l)
            m = vm[l] > m ? vm[l] : m;
    }
    for (; j < n; ++j)
        m = v[j] > m ? v[j] : m;
    return m;
}

// exp(x) for x <= 0, 4 lanes at once; the same arithmetic as expNonPositive().
inline v4f expNonPositive4(v4f x) {
    const v4f lo = splat(-87.0f);
    x = x < lo ? lo : x;
    const v4f t = x * splat(1.44269504088896341f);
    const v4f round = splat(12582912.0f);
    const v4f n = (t + round) - round;
    const v4f f = t - n;
    v4f p = splat(0.000154035303933816f);
    p = p * f + splat(0.00133335581464284f);
    p = p * f + splat(0.00961812910762848f);
    p = p * f + splat(0.0555041086648216f);
    p = p * f + splat(0.240226506959101f);
    p = p * f + splat(0.693147180559945f);
    p = p * f + splat(1.0f);
    const v4i bits = (__builtin_convertvector(n, v4i) + 127) << 23;
    v4f scale2;
    std::memcpy(&scale2, &bits, sizeof scale2);
    return p * scale2;
}

// e[j] = exp(u[j] * inv_t - shift); returns sum_j e[j] (4 lane sums, then the tail).
inline float expShiftedSum(const float* __restrict u, float* __restrict e, int n, float inv_t,
                           float shift) {
    const v4f vi = splat(inv_t);
    const v4f vs = splat(shift);
    v4f acc = splat(0.0f);
    int j = 0;
    for (; j + kWidth <= n; j += kWidth) {
        const v4f x = expNonPositive4(load(u + j) * vi - vs);
        store(e + j, x);
        acc += x;
    }
    float sum = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for (; j < n; ++j) {
        e[j] = expNonPositive(u[j] * inv_t - shift);
        sum += e[j];
    }
    return sum;
}

}  // namespace stdp::simd
