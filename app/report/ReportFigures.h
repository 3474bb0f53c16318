#pragma once
// Figures of the reproduction report (Report.h), drawn with OpenCV so the report needs no Qt and
// no plotting tool: labelled panels side by side, and bar charts with axes and tick labels.

#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace stdp {

// 8-bit grayscale images side by side on a white background, each with its caption above.
cv::Mat labelledRow(const std::vector<cv::Mat>& panels, const std::vector<std::string>& captions,
                    const std::string& title = {});

struct Histogram {
    double lo = 0.0;
    double hi = 1.0;
    std::vector<double> counts;  // equal-width bins over [lo, hi)

    // Values outside [lo, hi] are ignored; hi itself goes into the last bin.
    static Histogram of(const std::vector<double>& values, double lo, double hi, int bins);
};

// A bar chart (8-bit BGR) with x and y axes, tick labels, an axis label and a title.
cv::Mat drawHistogram(const Histogram& h, const std::string& title, const std::string& xlabel,
                      int tick_every = 1, int tick_decimals = 0);

// Charts of possibly different heights side by side.
cv::Mat sideBySide(const std::vector<cv::Mat>& charts);

}  // namespace stdp
