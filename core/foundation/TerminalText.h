#pragma once

#include <string>
#include <string_view>

namespace stdp {

// Messages quote file contents and arguments; on a terminal their control characters (escape
// sequences, newlines) and ill-formed UTF-8 would corrupt the screen or split a one-line error.
// Returns the text with each such byte written as \xNN; well-formed UTF-8 is kept.
std::string terminalSafe(std::string_view text);

}  // namespace stdp
