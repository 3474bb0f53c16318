#pragma once
// How a run of steps finds its compiled form: the instruction-set clone (Dispatch.h), then the
// shape, a width known at compile time for the common K and whether every optional mechanism is
// off. Each combination is its own fully inlined loop.

#include <cstdint>

#include "kernels/Dispatch.h"
#include "kernels/SpikeForms.h"

namespace stdp {

// What a step knows at compile time: the number of neurons (0: read at run time), with which the
// loops over neurons unroll and the potentials stay in registers; and whether the layer is
// basic, every optional mechanism off (raw spikes, memoryless membrane, no distance bias, no STDP
// window, no refractoriness, one global threshold, no lower weight clip, a fixed softmax shift),
// so that the step tests none of them.
// And the instruction set the step is compiled for, so that code only one clone can run (AVX-512
// mask registers) is compiled into that clone alone.
struct StepShape {
    int units = 0;
    bool basic = false;
    InstructionSet isa = InstructionSet::Portable;
};

// Calls run.template operator()<S>() with the StepShape S of a layer of `units` neurons, in the
// clone for Isa.
template <InstructionSet Isa, class Run>
STDP_PHASE std::uint64_t withStepShape(int units, bool basic, Run&& run) {
    // Common widths get a step of their own, basic layers too; the others share the general one.
    const auto of_width = [&]<int Units>() STDP_PHASE_LAMBDA {
        return basic ? run.template operator()<StepShape{Units, true, Isa}>()
                     : run.template operator()<StepShape{Units, false, Isa}>();
    };
    switch (units) {
        case 8:
            return of_width.template operator()<8>();
        case 16:
            return of_width.template operator()<16>();
        case 32:
            return of_width.template operator()<32>();
        case 64:
            return of_width.template operator()<64>();
        default:
            return of_width.template operator()<0>();
    }
}

namespace detail {
#if defined(STDP_HAS_V3_CLONE)
template <class Run>
[[gnu::noinline]] STDP_TARGET_V3 std::uint64_t runOnV3(Run& run) {
    return run.template operator()<InstructionSet::X86_64_V3>();
}
#endif
#if defined(STDP_HAS_V4_CLONE)
template <class Run>
[[gnu::noinline]] STDP_TARGET_V4 std::uint64_t runOnV4(Run& run) {
    return run.template operator()<InstructionSet::X86_64_V4>();
}
#endif
template <class Run>
[[gnu::noinline]] std::uint64_t runPortable(Run& run) {
    return run.template operator()<InstructionSet::Portable>();
}
}  // namespace detail

// Runs run.template operator()<Isa>() (an always-inlined callable) compiled for the instruction
// set Isa the step uses.
template <class Run>
std::uint64_t onStepInstructionSet(Run&& run) {
    switch (stepInstructionSet()) {
#if defined(STDP_HAS_V4_CLONE)
        case InstructionSet::X86_64_V4:
            return detail::runOnV4(run);
#endif
#if defined(STDP_HAS_V3_CLONE)
        case InstructionSet::X86_64_V3:
            return detail::runOnV3(run);
#endif
        default:
            return detail::runPortable(run);
    }
}

}  // namespace stdp
