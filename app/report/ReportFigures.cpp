#include "report/ReportFigures.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <opencv2/imgproc.hpp>

namespace stdp {

namespace {

constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;
constexpr double kCaptionScale = 0.45;
constexpr double kTickScale = 0.38;
constexpr int kMargin = 8;
constexpr int kCaptionHeight = 22;
const cv::Scalar kWhite(255, 255, 255);
const cv::Scalar kBlack(0, 0, 0);
const cv::Scalar kBar(180, 110, 40);  // BGR: a muted blue
const cv::Scalar kGrid(225, 225, 225);

// Chart geometry, pixels.
constexpr int kPlotWidth = 360;
constexpr int kPlotHeight = 200;
constexpr int kLeft = 52;    // room for the y tick labels
constexpr int kTop = 30;     // room for the title
constexpr int kBottom = 48;  // room for the x tick labels and the axis label
constexpr int kRight = 16;
constexpr int kYTicks = 4;

void putCentred(cv::Mat& m, const std::string& text, cv::Point centre, double scale) {
    int baseline = 0;
    const cv::Size size = cv::getTextSize(text, kFont, scale, 1, &baseline);
    cv::putText(m, text, {centre.x - size.width / 2, centre.y + size.height / 2}, kFont, scale,
                kBlack, 1, cv::LINE_AA);
}

std::string format(double v, int decimals) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

}  // namespace

cv::Mat labelledRow(const std::vector<cv::Mat>& panels, const std::vector<std::string>& captions,
                    const std::string& title) {
    const int title_height = title.empty() ? 0 : kCaptionHeight;
    int width = kMargin, height = 0;
    for (const cv::Mat& p : panels) {
        width += p.cols + kMargin;
        height = std::max(height, p.rows);
    }
    // Long captions or a long title widen the figure rather than being clipped.
    int baseline = 0;
    for (std::size_t i = 0; i < captions.size() && i < panels.size(); ++i) {
        const int w = cv::getTextSize(captions[i], kFont, kCaptionScale, 1, &baseline).width;
        width += std::max(0, w - panels[i].cols);
    }
    if (!title.empty())
        width = std::max(
            width, cv::getTextSize(title, kFont, kCaptionScale, 1, &baseline).width + 2 * kMargin);
    cv::Mat out(title_height + kCaptionHeight + height + kMargin, width, CV_8UC1, kWhite);
    if (!title.empty())
        cv::putText(out, title, {kMargin, title_height - 6}, kFont, kCaptionScale, kBlack, 1,
                    cv::LINE_AA);
    int x = kMargin;
    for (std::size_t i = 0; i < panels.size(); ++i) {
        const cv::Mat& p = panels[i];
        int slack = 0;  // extra room a caption wider than its panel needs, split on both sides
        if (i < captions.size()) {
            const int w = cv::getTextSize(captions[i], kFont, kCaptionScale, 1, &baseline).width;
            slack = std::max(0, w - p.cols);
            x += slack / 2;
            putCentred(out, captions[i], {x + p.cols / 2, title_height + kCaptionHeight / 2},
                       kCaptionScale);
        }
        cv::Mat gray;
        if (p.channels() == 1)
            gray = p;
        else
            cv::cvtColor(p, gray, cv::COLOR_BGR2GRAY);
        gray.copyTo(out(cv::Rect(x, title_height + kCaptionHeight, p.cols, p.rows)));
        x += p.cols + kMargin + slack - slack / 2;
    }
    return out;
}

Histogram Histogram::of(const std::vector<double>& values, double lo, double hi, int bins) {
    Histogram h;
    h.lo = lo;
    h.hi = hi;
    h.counts.assign(static_cast<std::size_t>(std::max(bins, 1)), 0.0);
    const double width = (hi - lo) / static_cast<double>(h.counts.size());
    for (const double v : values) {
        if (!(v >= lo && v <= hi))
            continue;
        const auto b = std::min(h.counts.size() - 1, static_cast<std::size_t>((v - lo) / width));
        h.counts[b] += 1.0;
    }
    return h;
}

cv::Mat drawHistogram(const Histogram& h, const std::string& title, const std::string& xlabel,
                      int tick_every, int tick_decimals) {
    cv::Mat m(kTop + kPlotHeight + kBottom, kLeft + kPlotWidth + kRight, CV_8UC3, kWhite);
    const int x0 = kLeft, y0 = kTop + kPlotHeight;  // origin of the plot area
    const double top = std::max(1.0, *std::max_element(h.counts.begin(), h.counts.end()));
    // A round axis maximum, so the tick labels are whole numbers.
    const double step = std::ceil(top / kYTicks);
    const double ymax = step * kYTicks;
    for (int t = 0; t <= kYTicks; ++t) {
        const int y = y0 - static_cast<int>(std::lround(t * step / ymax * kPlotHeight));
        cv::line(m, {x0, y}, {x0 + kPlotWidth, y}, kGrid, 1);
        const std::string label = format(t * step, 0);
        int baseline = 0;
        const int w = cv::getTextSize(label, kFont, kTickScale, 1, &baseline).width;
        cv::putText(m, label, {x0 - 6 - w, y + 4}, kFont, kTickScale, kBlack, 1, cv::LINE_AA);
    }
    const int bins = static_cast<int>(h.counts.size());
    const double bar_w = static_cast<double>(kPlotWidth) / bins;
    for (int b = 0; b < bins; ++b) {
        const int left = x0 + static_cast<int>(std::lround(b * bar_w)) + 1;
        const int right = x0 + static_cast<int>(std::lround((b + 1) * bar_w)) - 1;
        const int height = static_cast<int>(
            std::lround(h.counts[static_cast<std::size_t>(b)] / ymax * kPlotHeight));
        if (height > 0)
            cv::rectangle(m, cv::Point(left, y0 - height), cv::Point(right, y0 - 1), kBar,
                          cv::FILLED);
    }
    for (int b = 0; b <= bins; b += std::max(tick_every, 1)) {
        const int x = x0 + static_cast<int>(std::lround(b * bar_w));
        cv::line(m, {x, y0}, {x, y0 + 4}, kBlack, 1);
        const double value = h.lo + (h.hi - h.lo) * b / bins;
        putCentred(m, format(value, tick_decimals), {x, y0 + 14}, kTickScale);
    }
    cv::line(m, {x0, y0}, {x0 + kPlotWidth, y0}, kBlack, 1);
    cv::line(m, {x0, y0}, {x0, kTop}, kBlack, 1);
    putCentred(m, xlabel, {x0 + kPlotWidth / 2, y0 + 34}, kCaptionScale);
    putCentred(m, title, {m.cols / 2, kTop / 2}, kCaptionScale);
    return m;
}

cv::Mat sideBySide(const std::vector<cv::Mat>& charts) {
    int width = 0, height = 0;
    for (const cv::Mat& c : charts) {
        width += c.cols;
        height = std::max(height, c.rows);
    }
    cv::Mat out(height, std::max(width, 1), CV_8UC3, kWhite);
    int x = 0;
    for (const cv::Mat& c : charts) {
        cv::Mat bgr;
        if (c.channels() == 3)
            bgr = c;
        else
            cv::cvtColor(c, bgr, cv::COLOR_GRAY2BGR);
        bgr.copyTo(out(cv::Rect(x, 0, c.cols, c.rows)));
        x += c.cols;
    }
    return out;
}

}  // namespace stdp
