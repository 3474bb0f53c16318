// IDX reader (plain and gzip), from bytes in memory: core/data/IdxReader.h readIdxBytes.
#include "FuzzTarget.h"
#include "data/IdxReader.h"
#include "foundation/Settings.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const stdp::IdxArray a = stdp::readIdxBytes(data, size, "fuzz");
        // The promise of a successful read: the dimensions describe exactly the data.
        std::size_t n = 1;
        for (auto d : a.dims)
            n *= d;
        if (n != a.data.size())
            __builtin_trap();
    } catch (const stdp::UserError&) {
    }
    return 0;
}
