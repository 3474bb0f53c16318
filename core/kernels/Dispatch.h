#pragma once
// Hot functions are compiled twice, for x86-64-v3 (AVX2 with BMI1/2, LZCNT, MOVBE: Haswell, Zen
// and later) and for the portable x86-64 baseline: the same arithmetic in the same order (no FMA
// contraction in ISO C++ mode, fixed lane counts in Simd.h), so the same bits on either path.
// Plain "avx2" leaves out BMI2 and friends: measured 10 % slower on paper-mnist; x86-64-v4
// (AVX-512 on 8-lane code) measured no faster than v3.
//
// The patch cutter uses STDP_KERNEL (the dynamic loader picks a clone at start-up). The step
// picks its clone itself (StepDispatch.h), so that a test or a profile can force the portable one.

#include <atomic>

namespace stdp {

// The phases of the step are inlined into each clone: one function per instruction set, no calls
// between phases, constants hoisted across them (a phase compiled apart would also be compiled
// for the portable baseline only).
#define STDP_PHASE [[gnu::always_inline]] inline
#define STDP_PHASE_LAMBDA __attribute__((always_inline))

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(STDP_NO_DISPATCH)
#define STDP_KERNEL __attribute__((target_clones("arch=x86-64-v3", "default")))
#define STDP_HAS_V3_CLONE 1
#define STDP_TARGET_V3 __attribute__((target("arch=x86-64-v3")))
#else
#define STDP_KERNEL
#endif

enum class InstructionSet { Portable, X86_64_V3 };

inline const char* instructionSetName(InstructionSet set) {
    return set == InstructionSet::X86_64_V3 ? "x86-64-v3" : "portable";
}

// Whether this build has a clone for `set` and this CPU runs it.
inline bool instructionSetAvailable(InstructionSet set) {
    if (set == InstructionSet::Portable)
        return true;
#if defined(STDP_HAS_V3_CLONE)
    return __builtin_cpu_supports("x86-64-v3");
#else
    return false;
#endif
}

namespace detail {
// One per program (an inline function's static): the best clone available until forced.
inline std::atomic<InstructionSet>& chosenInstructionSet() {
    static std::atomic<InstructionSet> chosen{instructionSetAvailable(InstructionSet::X86_64_V3)
                                                  ? InstructionSet::X86_64_V3
                                                  : InstructionSet::Portable};
    return chosen;
}
}  // namespace detail

// The clone the step runs: the best available, unless forced.
inline InstructionSet stepInstructionSet() {
    return detail::chosenInstructionSet().load(std::memory_order_relaxed);
}

// Makes every later step of every layer run the clone for `set` (tests compare both; a profile
// may want the portable one). Returns false, changing nothing, where it is not available.
inline bool forceStepInstructionSet(InstructionSet set) {
    if (!instructionSetAvailable(set))
        return false;
    detail::chosenInstructionSet().store(set, std::memory_order_relaxed);
    return true;
}

}  // namespace stdp
