#pragma once
// Hot functions are compiled twice, for x86-64-v3 (AVX2 with BMI1/2, LZCNT, MOVBE: Haswell, Zen
// and later) and for the portable x86-64 baseline, and the dynamic loader picks one at start-up:
// the same arithmetic in the same order (no FMA contraction in ISO C++ mode, fixed lane counts in
// Simd.h), so the same bits on either path. Plain "avx2" leaves out BMI2 and friends: measured
// 10 % slower on paper-mnist; x86-64-v4 (AVX-512 on 8-lane code) measured no faster than v3.

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(STDP_NO_DISPATCH)
#define STDP_KERNEL __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define STDP_KERNEL
#endif
