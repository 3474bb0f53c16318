#pragma once
// The window's size at its first launch (no saved geometry): large enough for every view, never
// larger than the screen, with room left for a title bar and a task bar; and a screenshot's.

#include <QSize>

namespace stdp::studio {

inline constexpr QSize kPreferredWindowSize{1440, 900};
inline constexpr QSize kWindowFrameAllowance{20, 40};
inline constexpr QSize kScreenshotSize{1600, 1000};  // stdp-studio --screenshot

inline QSize firstLaunchSize(const QSize& available_screen) {
    return kPreferredWindowSize.boundedTo(available_screen - kWindowFrameAllowance);
}

}  // namespace stdp::studio
