// Image header sniffing (PNG, JPEG, TIFF, BMP, PGM dimensions): core/data/ImageHeader.h
// readImageHeader.
#include "FuzzTarget.h"
#include "data/ImageHeader.h"
#include "foundation/Settings.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        (void)stdp::readImageHeader(data, size, "fuzz");
    } catch (const stdp::UserError&) {
    }
    return 0;
}
