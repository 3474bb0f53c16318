// NumPy .npy reader, from bytes in memory: core/io/NpyIO.h readNpyBytes.
#include <cmath>

#include "FuzzTarget.h"
#include "foundation/Settings.h"
#include "io/NpyIO.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const stdp::NpyArray a = stdp::readNpyBytes(data, size, "fuzz");
        // The promises of a successful read: the shape describes exactly the data, all finite.
        if (a.size() != a.data.size())
            __builtin_trap();
        for (double v : a.data)
            if (!std::isfinite(v))
                __builtin_trap();
    } catch (const stdp::UserError&) {
    }
    return 0;
}
