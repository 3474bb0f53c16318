// Settings lines: each input line "KEY=VALUE" goes through core/foundation/Settings.h
// applyAssignment (as `stdp-cli --set` does), then the whole set through validate. A line that is
// rejected is skipped so that later lines still run.
#include <string>
#include <string_view>

#include "FuzzTarget.h"
#include "foundation/Settings.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    stdp::Settings settings;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        const std::string line(text.substr(start, end - start));
        try {
            stdp::applyAssignment(settings, line);
            // Every value that was accepted prints back (as model.json and `presets` do).
            const auto eq = line.find('=');
            if (eq != std::string::npos && stdp::findSetting(line.substr(0, eq)) != nullptr)
                (void)stdp::settingValue(settings, line.substr(0, eq));
        } catch (const stdp::UserError&) {
        }
        start = end + 1;
    }
    try {
        stdp::validate(settings);
    } catch (const stdp::UserError&) {
    }
    return 0;
}
