#pragma once
// Hot functions are compiled for the portable x86-64 baseline and for x86-64-v3 (AVX2 with
// BMI1/2, LZCNT, MOVBE: Haswell, Zen and later); the step also for x86-64-v4 (AVX-512: Skylake-X,
// Ice Lake, Sapphire Rapids, Zen 4). The same arithmetic in the same order (no FMA contraction in
// ISO C++ mode, fixed lane counts in Simd.h), so the same bits on every path. Plain "avx2" leaves
// out BMI2 and friends: measured 10 % slower on paper-mnist. The v4 clone runs the same 8-lane
// code; what it gains is 32 vector registers instead of 16 (the exp's constants stay in
// registers instead of being spilled and broadcast again every step) and a two-table
// permutation (vpermi2ps) for the exp's 16-entry table where v3 needs two vpermps and a blend.
//
// The patch cutter uses STDP_KERNEL (the dynamic loader picks a clone at start-up). The step
// picks its clone itself (StepDispatch.h), so that a test or a profile can force another one:
// in code by forceStepInstructionSet, from outside by the environment variable STDP_ISA
// (portable, v3 or v4), read once, at the first step.

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string_view>

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
#define STDP_HAS_V4_CLONE 1
#define STDP_TARGET_V4 __attribute__((target("arch=x86-64-v4")))
#else
#define STDP_KERNEL
#endif

enum class InstructionSet { Portable, X86_64_V3, X86_64_V4 };

inline const char* instructionSetName(InstructionSet set) {
    switch (set) {
        case InstructionSet::X86_64_V3:
            return "x86-64-v3";
        case InstructionSet::X86_64_V4:
            return "x86-64-v4";
        default:
            return "portable";
    }
}

// Whether this build has a clone for `set` and this CPU runs it.
inline bool instructionSetAvailable(InstructionSet set) {
    switch (set) {
        case InstructionSet::Portable:
            return true;
#if defined(STDP_HAS_V3_CLONE)
        case InstructionSet::X86_64_V3:
            return __builtin_cpu_supports("x86-64-v3");
#endif
#if defined(STDP_HAS_V4_CLONE)
        case InstructionSet::X86_64_V4:
            return __builtin_cpu_supports("x86-64-v4");
#endif
        default:
            return false;
    }
}

// The best clone this build has for this CPU.
inline InstructionSet bestInstructionSet() {
    for (InstructionSet set : {InstructionSet::X86_64_V4, InstructionSet::X86_64_V3})
        if (instructionSetAvailable(set))
            return set;
    return InstructionSet::Portable;
}

// The instruction set STDP_ISA names: "portable", "v3" or "v4" (also "x86-64-v3", "x86-64-v4").
inline std::optional<InstructionSet> instructionSetNamed(std::string_view name) {
    if (name == "portable")
        return InstructionSet::Portable;
    if (name == "v3" || name == "x86-64-v3")
        return InstructionSet::X86_64_V3;
    if (name == "v4" || name == "x86-64-v4")
        return InstructionSet::X86_64_V4;
    return std::nullopt;
}

// The clone the step starts with, given STDP_ISA's value (null: unset): the one it names, else,
// with an error on `err`, the best available. A run asked for on a clone that cannot run here
// must not pass silently for one that ran on it, nor crash on an illegal instruction.
inline InstructionSet initialStepInstructionSet(const char* requested, std::FILE* err) {
    const InstructionSet best = bestInstructionSet();
    if (requested == nullptr || *requested == '\0')
        return best;
    const std::optional<InstructionSet> named = instructionSetNamed(requested);
    if (!named) {
        std::fprintf(err,
                     "STDP_ISA=%s: unknown instruction set (portable, v3 or v4); the step runs "
                     "%s\n",
                     requested, instructionSetName(best));
        return best;
    }
    if (!instructionSetAvailable(*named)) {
        std::fprintf(err,
                     "STDP_ISA=%s: this build or this CPU has no %s clone of the step; the step "
                     "runs %s\n",
                     requested, instructionSetName(*named), instructionSetName(best));
        return best;
    }
    return *named;
}

namespace detail {
// One per program (an inline function's static): STDP_ISA's clone, or the best available, until
// forced.
inline std::atomic<InstructionSet>& chosenInstructionSet() {
    static std::atomic<InstructionSet> chosen{
        initialStepInstructionSet(std::getenv("STDP_ISA"), stderr)};
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
