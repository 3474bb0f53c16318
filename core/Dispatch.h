#pragma once
// Hot functions are compiled twice, for AVX2 and for the portable x86-64 baseline, and the
// dynamic loader picks one at start-up: the same arithmetic in the same order (no FMA contraction
// in ISO C++ mode, fixed lane counts in Simd.h), so the same bits on either path.

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(STDP_NO_DISPATCH)
#define STDP_KERNEL __attribute__((target_clones("avx2", "default")))
#else
#define STDP_KERNEL
#endif
