#include "SpikeRaster.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QRegularExpression>
#include <QToolTip>
#include <algorithm>
#include <numeric>

#include "HattedText.h"

namespace stdp::gui {

namespace {
constexpr int kMinLabelWidth = 70;
constexpr int kTick = 3;       // length of a row tick on the neuron axis
constexpr int kTitleGap = 10;  // between the axis title "neuron" and the raster's own title
constexpr double kLabelSpacing = 1.15;  // of the font height, between two row labels
// Row-label strides: every row, every 2nd, 5th, 10th ... whichever first leaves room for text.
constexpr int kStrideMantissas[] = {1, 2, 5};
constexpr int kMargin = 6;
constexpr double kInputShare = 0.36;    // of the height, for the input raster
constexpr int kMaxCheckedUnits = 4096;  // the settings table's largest K
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
           "neurons over the last steps; vertical lines mark new patches. Hover a row for "
           "its neuron, step, wins and θ."));
    setMouseTracking(true);
}

void SpikeRaster::setHoverContext(std::shared_ptr<const FieldsSnapshot> fields,
                                  std::uint64_t last_step) {
    fields_ = std::move(fields);
    last_step_ = last_step;
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

int SpikeRaster::labelWidth() const {
    // Room for the axis title and a four-digit neuron number, in the current (maybe larger) font.
    const QFontMetrics fm = fontMetrics();
    return std::max({kMinLabelWidth, fm.horizontalAdvance(tr("neuron")) + kTitleGap + kMargin,
                     fm.horizontalAdvance(QStringLiteral("0000")) + kTick + 2 * kMargin});
}

QRect SpikeRaster::inputRect() const {
    const int top = kMargin + fontMetrics().height();
    const int h = static_cast<int>((height() - 2 * fontMetrics().height()) * kInputShare);
    const int label = labelWidth();
    return {label, top, std::max(1, width() - label - kMargin), std::max(1, h)};
}

QRect SpikeRaster::outputRect() const {
    const QRect in = inputRect();
    const int top = in.bottom() + kMargin + fontMetrics().height() + 2;
    return {in.left(), top, in.width(), std::max(1, height() - top - kMargin)};
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

QStringList SpikeRaster::outputTitleForms() const {
    if (!snapshot_)
        return {};
    const RasterSnapshot& s = *snapshot_;
    const int steps = std::max(s.window, s.outputSteps());
    const auto shown = static_cast<int>(shown_.size());
    if (!(s.additive_gain > 0.0))
        return {tr("Output spikes, last %1 steps — %2 neuron(s) shown").arg(steps).arg(shown),
                tr("Output spikes, last %1 steps — %2 shown").arg(steps).arg(shown)};
    // With amplitude coding the counts are the code: say how they become x̂ while there is room
    // (the reconstruction's caption says it too).
    const QString counts = s.hurdle_added ? tr("(c_j + b_j)") : QStringLiteral("c_j");
    return {tr("Output spikes c_j (x̂ = g Σ %1 w_j, g = %2), last %3 steps — %4 shown")
                .arg(counts)
                .arg(s.additive_gain, 0, 'g', 3)
                .arg(steps)
                .arg(shown),
            tr("Output spikes c_j (x̂ = g Σ %1 w_j), last %2 steps — %3 shown")
                .arg(counts)
                .arg(steps)
                .arg(shown),
            tr("Output spikes c_j, last %1 steps — %2 shown").arg(steps).arg(shown)};
}

QString SpikeRaster::inputTitle() const {
    if (!snapshot_)
        return {};
    const RasterSnapshot& s = *snapshot_;
    // The output raster goes on past this patch: its last steps are the silent patches after it.
    if (s.last_fired_on) {
        // The longest form that fits: the reason in brackets goes first (1280x720 elided it).
        for (const QString& form :
             {tr("Input spikes of the last patch a neuron fired on (none fired on the ones after "
                 "it)"),
              tr("Input spikes of the last patch a neuron fired on")})
            if (fontMetrics().horizontalAdvance(form) <= inputRect().width())
                return form;
        return tr("Input: last patch a neuron fired on");
    }
    return tr("Input spikes of the current patch — step %1 of %2")
        .arg(std::min(s.current_step, s.patch_steps))
        .arg(s.patch_steps);
}

QString SpikeRaster::outputTitle() const {
    const QStringList forms = outputTitleForms();
    const QFontMetrics fm = fontMetrics();
    const int room = outputRect().width();
    for (const QString& f : forms)
        if (fm.horizontalAdvance(withoutHats(f)) <= room)
            return f;
    return forms.isEmpty() ? QString() : forms.back();
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
    const QFontMetrics fm = fontMetrics();
    painter.drawText(in.left(), in.top() - 3,
                     fm.elidedText(inputTitle(), Qt::ElideRight, in.width()));
    drawHattedLine(painter, out.left(), out.top() - 3,
                   fm.elidedText(outputTitle(), Qt::ElideRight, out.width()));
    const int label_x = kMargin;
    painter.drawText(QRect(label_x, in.top(), in.left() - 2 * kMargin, in.height()),
                     Qt::AlignVCenter | Qt::AlignRight | Qt::TextWordWrap,
                     tr("%1\ninputs").arg(s.inputs));
    drawRowLabels(painter, out);
    if (!input_.isNull())
        painter.drawImage(in, input_);
    if (!output_.isNull())
        painter.drawImage(out, output_);
    painter.setPen(QColor(150, 150, 150));
    painter.drawRect(in.adjusted(0, 0, -1, -1));
    painter.drawRect(out.adjusted(0, 0, -1, -1));
}

void SpikeRaster::drawRowLabels(QPainter& painter, const QRect& out) const {
    // The axis title above the numbers, level with the raster's title.
    painter.drawText(QRect(kMargin, out.top() - 3 - fontMetrics().ascent(),
                           out.left() - kTitleGap - kMargin, fontMetrics().height()),
                     Qt::AlignRight | Qt::AlignTop, tr("neuron"));
    const std::vector<int> rows = labelledRows();
    if (rows.empty())
        return;
    const double row_h = double(out.height()) / double(shown_.size());
    const int text_h = fontMetrics().height();
    const int right = out.left() - kTick - 2;
    const int left = kMargin;
    for (int r : rows) {
        const int y = out.top() + static_cast<int>((r + 0.5) * row_h);
        painter.drawLine(out.left() - kTick, y, out.left() - 1, y);
        // The tick marks the row; its number stays within the raster's height, clear of the title.
        const int text_y = std::clamp(y - text_h / 2, out.top(), out.bottom() + 1 - text_h);
        painter.drawText(QRect(left, text_y, right - left, text_h),
                         Qt::AlignRight | Qt::AlignVCenter,
                         QString::number(shown_[static_cast<std::size_t>(r)]));
    }
}

std::vector<int> SpikeRaster::labelledRows() const {
    const int n = static_cast<int>(shown_.size());
    const QRect out = outputRect();
    if (n == 0 || out.height() <= 0)
        return {};
    const double row_h = double(out.height()) / n;
    const double needed = kLabelSpacing * fontMetrics().height();
    int stride = 1;
    for (int decade = 1; stride * row_h < needed && decade <= n; decade *= 10)
        for (int m : kStrideMantissas) {
            stride = m * decade;
            if (stride * row_h >= needed)
                break;
        }
    if (stride * row_h < needed)
        return {};
    std::vector<int> rows;
    for (int r = 0; r < n; r += stride)
        rows.push_back(r);
    return rows;
}

QString SpikeRaster::hoverText(QPoint pos) const {
    if (!snapshot_)
        return {};
    if (inputRect().contains(pos))
        return inputHoverText(pos);
    if (outputRect().contains(pos))
        return outputHoverText(pos);
    return {};
}

QString SpikeRaster::inputHoverText(QPoint pos) const {
    const RasterSnapshot& s = *snapshot_;
    const QRect in = inputRect();
    if (s.inputs <= 0 || s.patch_steps <= 0)
        return {};
    const int i = std::min(s.inputs - 1, (pos.y() - in.top()) * s.inputs / in.height());
    const int t = std::min(s.patch_steps - 1, (pos.x() - in.left()) * s.patch_steps / in.width());
    QString state = tr("not presented yet");
    if (t < s.current_step && t + 1 < static_cast<int>(s.input_offsets.size())) {
        const auto begin = s.input_indices.begin() + s.input_offsets[static_cast<std::size_t>(t)];
        const auto end = s.input_indices.begin() + s.input_offsets[static_cast<std::size_t>(t) + 1];
        state = std::find(begin, end, i) != end ? tr("spike") : tr("no spike");
    }
    return tr("Input %1 · step %2 of %3 of the patch · %4")
        .arg(i)
        .arg(t + 1)
        .arg(s.patch_steps)
        .arg(state);
}

QString SpikeRaster::outputHoverText(QPoint pos) const {
    const RasterSnapshot& s = *snapshot_;
    const QRect out = outputRect();
    const int rows = static_cast<int>(shown_.size());
    const int steps = std::max(s.window, s.outputSteps());
    if (rows == 0 || steps == 0)
        return {};
    const int r = std::min(rows - 1, (pos.y() - out.top()) * rows / out.height());
    const int column = std::min(steps - 1, (pos.x() - out.left()) * steps / out.width());
    const int j = shown_[static_cast<std::size_t>(r)];
    const int k = column - (steps - s.outputSteps());  // index among the recorded steps
    QString text = tr("Neuron %1").arg(j);
    if (k < 0) {
        text += tr(" · no step recorded here yet");
    } else {
        const int ago = s.outputSteps() - 1 - k;
        if (last_step_ > static_cast<std::uint64_t>(ago))
            text += tr(" · step %1").arg(last_step_ - static_cast<std::uint64_t>(ago));
        else
            text += tr(" · %1 steps ago").arg(ago);
        const auto begin = s.out_indices.begin() + s.out_offsets[static_cast<std::size_t>(k)];
        const auto end = s.out_indices.begin() + s.out_offsets[static_cast<std::size_t>(k) + 1];
        text += std::find(begin, end, j) != end ? tr(" · fired") : tr(" · silent");
    }
    if (fields_ && j < fields_->units()) {
        const auto at = static_cast<std::size_t>(j);
        text += tr(" · wins %1").arg(at < fields_->wins.size() ? fields_->wins[at] : 0);
        text +=
            tr(" · θ_%1 = %2").arg(j).arg(static_cast<double>(fields_->threshold(j)), 0, 'f', 4);
    }
    return text;
}

bool SpikeRaster::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = hoverText(help->pos());
        if (!text.isEmpty()) {
            QToolTip::showText(help->globalPos(), text, this, QRect(help->pos(), QSize(1, 1)));
            return true;
        }
    }
    return QWidget::event(event);
}

void SpikeRaster::mouseMoveEvent(QMouseEvent* event) {
    emit hovered(hoverText(event->position().toPoint()));
}

void SpikeRaster::leaveEvent(QEvent*) {
    emit hovered(QString());
}

}  // namespace stdp::gui
