#include "SpikeRaster.h"

#include <QPainter>
#include <QRegularExpression>
#include <algorithm>
#include <numeric>

namespace stdp::gui {

namespace {
constexpr int kLabelWidth = 70;
constexpr int kMargin = 6;
constexpr double kInputShare = 0.42;
constexpr int kMaxCheckedUnits =
    4096;  // the settings table's largest K  // of the height, for the input raster
const QColor kBackground(255, 255, 255);
const QColor kFuture(232, 232, 232);  // steps of the patch not presented yet
const QColor kInputSpike(0, 0, 0);
const QColor kOutputSpike(20, 20, 150);
const QColor kPatchBoundary(200, 200, 200);
const QColor kNowColumn(255, 236, 200);
}  // namespace

std::vector<int> parseNeuronSelection(const QString& text, const RasterSnapshot& raster,
                                      QString* error) {
    const QString t = text.trimmed().toLower();
    const int units = raster.units;
    std::vector<int> out;
    if (t.isEmpty() || t == QLatin1String("all")) {
        out.resize(static_cast<std::size_t>(units));
        std::iota(out.begin(), out.end(), 0);
        return out;
    }
    static const QRegularExpression top(QStringLiteral("^top\\s*(\\d+)$"));
    if (const auto m = top.match(t); m.hasMatch()) {
        const int n = std::min(units, m.captured(1).toInt());
        std::vector<int> count(static_cast<std::size_t>(units), 0);
        for (auto j : raster.out_indices)
            if (j >= 0 && j < units)
                ++count[static_cast<std::size_t>(j)];
        std::vector<int> order(static_cast<std::size_t>(units));
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
            return count[static_cast<std::size_t>(a)] > count[static_cast<std::size_t>(b)];
        });
        out.assign(order.begin(), order.begin() + n);
        std::sort(out.begin(), out.end());
        return out;
    }
    static const QRegularExpression item(QStringLiteral("^(\\d+)(?:\\s*-\\s*(\\d+))?$"));
    const QStringList parts = t.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString& part : parts) {
        const auto m = item.match(part.trimmed());
        if (!m.hasMatch()) {
            if (error)
                *error = QObject::tr("'%1' is not a neuron, a range a-b, 'all' or 'top N'")
                             .arg(part.trimmed());
            return {};
        }
        const int a = m.captured(1).toInt();
        const int b = m.captured(2).isEmpty() ? a : m.captured(2).toInt();
        if (a > b || b >= units) {
            if (error)
                *error = QObject::tr("neurons go from 0 to %1, not '%2'")
                             .arg(units - 1)
                             .arg(part.trimmed());
            return {};
        }
        for (int j = a; j <= b; ++j)
            out.push_back(j);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

SpikeRaster::SpikeRaster(QWidget* parent) : QWidget(parent) {
    setToolTip(
        tr("Top: input spikes of the current patch (one row per input, one column per "
           "time step; grey = not presented yet). Bottom: output spikes of the chosen "
           "neurons over the last steps; vertical lines mark new patches."));
}

void SpikeRaster::setSnapshot(std::shared_ptr<const RasterSnapshot> snapshot) {
    snapshot_ = std::move(snapshot);
    if (snapshot_)
        shown_ = parseNeuronSelection(selection_, *snapshot_, nullptr);
    render();
    update();
}

bool SpikeRaster::setSelection(const QString& text, QString* error) {
    // Before the first snapshot the number of neurons is unknown: check the syntax only (against
    // the largest layer), so that a remembered "0-7" is kept and applied when the data come.
    RasterSnapshot unknown;
    unknown.units = kMaxCheckedUnits;
    const RasterSnapshot& raster = snapshot_ ? *snapshot_ : unknown;
    QString why;
    auto shown = parseNeuronSelection(text, raster, &why);
    if (!why.isEmpty()) {
        if (error)
            *error = why;
        return false;
    }
    selection_ = text;
    shown_ = std::move(shown);
    render();
    update();
    return true;
}

QRect SpikeRaster::inputRect() const {
    const int top = kMargin + fontMetrics().height();
    const int h = static_cast<int>((height() - 2 * fontMetrics().height()) * kInputShare);
    return {kLabelWidth, top, std::max(1, width() - kLabelWidth - kMargin), std::max(1, h)};
}

QRect SpikeRaster::outputRect() const {
    const QRect in = inputRect();
    const int top = in.bottom() + kMargin + fontMetrics().height() + 2;
    return {kLabelWidth, top, in.width(), std::max(1, height() - top - kMargin)};
}

void SpikeRaster::resizeEvent(QResizeEvent*) {
    render();
}

void SpikeRaster::render() {
    input_ = {};
    output_ = {};
    if (!snapshot_)
        return;
    const RasterSnapshot& s = *snapshot_;
    // Input raster: one pixel per (input, step); scaled up without smoothing when painted.
    if (s.inputs > 0 && s.patch_steps > 0) {
        input_ = QImage(s.patch_steps, s.inputs, QImage::Format_RGB32);
        input_.fill(kBackground);
        for (int t = s.current_step; t < s.patch_steps; ++t)
            for (int i = 0; i < s.inputs; ++i)
                input_.setPixelColor(t, i, kFuture);
        const int shown_steps = std::min(s.current_step, s.patch_steps);
        if (shown_steps > 0 && s.current_step <= s.patch_steps)
            for (int i = 0; i < s.inputs; ++i)
                input_.setPixelColor(shown_steps - 1, i, kNowColumn);
        for (int t = 0; t < shown_steps && t + 1 < static_cast<int>(s.input_offsets.size()); ++t)
            for (auto k = s.input_offsets[static_cast<std::size_t>(t)];
                 k < s.input_offsets[static_cast<std::size_t>(t) + 1]; ++k) {
                const int i = s.input_indices[static_cast<std::size_t>(k)];
                if (i >= 0 && i < s.inputs)
                    input_.setPixelColor(t, i, kInputSpike);
            }
    }
    // Output raster: columns = the window's steps (newest at the right), rows = shown neurons.
    const int steps = std::max(s.window, s.outputSteps());
    const int rows = static_cast<int>(shown_.size());
    if (steps > 0 && rows > 0) {
        output_ = QImage(steps, rows, QImage::Format_RGB32);
        output_.fill(kBackground);
        std::vector<int> row_of(static_cast<std::size_t>(std::max(0, s.units)), -1);
        for (int r = 0; r < rows; ++r)
            if (shown_[static_cast<std::size_t>(r)] < s.units)
                row_of[static_cast<std::size_t>(shown_[static_cast<std::size_t>(r)])] = r;
        const int first = steps - s.outputSteps();  // empty columns when the window is not full
        for (int t = 0; t < s.outputSteps(); ++t) {
            const int x = first + t;
            if (s.patch_start[static_cast<std::size_t>(t)])
                for (int r = 0; r < rows; ++r)
                    output_.setPixelColor(x, r, kPatchBoundary);
            for (auto k = s.out_offsets[static_cast<std::size_t>(t)];
                 k < s.out_offsets[static_cast<std::size_t>(t) + 1]; ++k) {
                const int j = s.out_indices[static_cast<std::size_t>(k)];
                if (j < 0 || j >= s.units)
                    continue;
                const int r = row_of[static_cast<std::size_t>(j)];
                if (r >= 0)
                    output_.setPixelColor(x, r, kOutputSpike);
            }
        }
    }
}

void SpikeRaster::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    painter.setPen(palette().text().color());
    const QRect in = inputRect();
    const QRect out = outputRect();
    if (!snapshot_) {
        painter.drawText(rect(), Qt::AlignCenter, tr("No spikes yet"));
        return;
    }
    const RasterSnapshot& s = *snapshot_;
    painter.drawText(in.left(), in.top() - 3,
                     tr("Input spikes of the current patch — step %1 of %2")
                         .arg(std::min(s.current_step, s.patch_steps))
                         .arg(s.patch_steps));
    painter.drawText(out.left(), out.top() - 3,
                     tr("Output spikes, last %1 steps — %2 neuron(s) shown")
                         .arg(std::max(s.window, s.outputSteps()))
                         .arg(shown_.size()));
    const int label_x = kMargin;
    painter.drawText(QRect(label_x, in.top(), kLabelWidth - 2 * kMargin, in.height()),
                     Qt::AlignVCenter | Qt::AlignRight | Qt::TextWordWrap,
                     tr("%1\ninputs").arg(s.inputs));
    painter.drawText(
        QRect(label_x, out.top(), kLabelWidth - 2 * kMargin, out.height()),
        Qt::AlignVCenter | Qt::AlignRight | Qt::TextWordWrap,
        tr("neurons\n%1")
            .arg(shown_.empty() ? QString()
                                : QStringLiteral("%1–%2").arg(shown_.front()).arg(shown_.back())));
    if (!input_.isNull())
        painter.drawImage(in, input_);
    if (!output_.isNull())
        painter.drawImage(out, output_);
    painter.setPen(QColor(150, 150, 150));
    painter.drawRect(in.adjusted(0, 0, -1, -1));
    painter.drawRect(out.adjusted(0, 0, -1, -1));
}

}  // namespace stdp::gui
