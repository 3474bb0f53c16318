#include "Dispatch.h"

#include <atomic>

namespace stdp {

namespace {
InstructionSet bestInstructionSet() {
    return instructionSetAvailable(InstructionSet::X86_64_V3) ? InstructionSet::X86_64_V3
                                                              : InstructionSet::Portable;
}

std::atomic<InstructionSet>& chosenInstructionSet() {
    static std::atomic<InstructionSet> chosen{bestInstructionSet()};
    return chosen;
}
}  // namespace

const char* instructionSetName(InstructionSet set) {
    return set == InstructionSet::X86_64_V3 ? "x86-64-v3" : "portable";
}

bool instructionSetAvailable(InstructionSet set) {
    if (set == InstructionSet::Portable)
        return true;
#if defined(STDP_HAS_V3_CLONE)
    return __builtin_cpu_supports("x86-64-v3");
#else
    return false;
#endif
}

InstructionSet stepInstructionSet() {
    return chosenInstructionSet().load(std::memory_order_relaxed);
}

bool forceStepInstructionSet(InstructionSet set) {
    if (!instructionSetAvailable(set))
        return false;
    chosenInstructionSet().store(set, std::memory_order_relaxed);
    return true;
}

}  // namespace stdp
