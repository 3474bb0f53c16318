#include "StepCanvas.h"

#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "FieldImage.h"
#include "HattedText.h"
#include "StepViewStyle.h"

namespace stdp::gui {

using namespace step_style;

namespace {
constexpr double kMinTitleScale = 0.7;    // smaller is not readable on a projector
constexpr double kTitleFitMargin = 0.97;  // point sizes round: leave a little room
}  // namespace

QFont StepCanvas::titleFont(QFont font, const QString& title, double width) {
    // Titles wrap between words; a word wider than a narrow panel ("(homeostasis)") would be cut
    // at its edge: the font shrinks until the widest word fits.
    double widest = 0.0;
    for (const QString& word : title.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        widest = std::max(widest, QFontMetricsF(font).horizontalAdvance(word));
    if (widest > width && width > 0.0)
        font.setPointSizeF(font.pointSizeF() *
                           std::max(kMinTitleScale, width / widest * kTitleFitMargin));
    return font;
}

QRectF StepCanvas::drawCaption(QPainter& p, QRectF rect, const PhaseText& text) {
    QFont bold = font();
    bold.setBold(true);
    const QFont title = titleFont(bold, text.title, rect.width());
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * (rect.width() < 200 ? 0.8 : 0.88));
    const int flags = Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap;
    double y = rect.top();
    for (const auto& [f, s, colour] :
         {std::tuple{title, text.title, palette().color(QPalette::WindowText)},
          std::tuple{small, text.equation, palette().color(QPalette::WindowText)},
          std::tuple{small, text.numbers, QColor(kThreshold).darker(130)}}) {
        if (s.isEmpty())
            continue;
        p.setFont(f);
        p.setPen(colour);
        const QRectF box(rect.left(), y, rect.width(), rect.bottom() - y);
        const QRectF used = drawHattedText(p, box, flags, s);
        y += used.height() + 3;  // subscripts of one line clear the next
    }
    p.setFont(font());
    return QRectF(rect.left(), y + 3, rect.width(), std::max(0.0, rect.bottom() - y - 3));
}

QString StepCanvas::emptyHint() const {
    if (!empty_hint_.isEmpty())
        return empty_hint_;
    return tr(
        "No step recorded yet. Press Step (S), or Play at a slow speed: every step is then "
        "recorded here and can be walked through phase by phase.");
}

void StepCanvas::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    if (!trace_) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, emptyHint());
        return;
    }
    // Five panels; the learning one is wider (it shows images side by side).
    const double weights[5] = {0.75, 1.0, 1.25, 1.6, 0.9};
    // One row on a wide view; two rows (input, integrate, inhibit / learn, adapt) when narrow.
    const bool two_rows = width() < 1100 && height() >= 300;
    const double gap = 8.0;
    std::vector<QRectF> panels;
    if (!two_rows) {
        const double total = 5.5;  // the sum of the weights
        double x = gap;
        const double usable = width() - gap * 6;
        for (double w : weights) {
            panels.emplace_back(x, gap, usable * w / total, height() - 2 * gap);
            x += usable * w / total + gap;
        }
    } else {
        const double h = (height() - 3 * gap) / 2;
        const double w3 = (width() - 4 * gap) / 3;
        const double w2 = (width() - 3 * gap) / 2;
        for (int k = 0; k < 3; ++k)
            panels.emplace_back(gap + k * (w3 + gap), gap, w3, h);
        for (int k = 0; k < 2; ++k)
            panels.emplace_back(gap + k * (w2 + gap), 2 * gap + h, w2, h);
    }
    const StepPhase panel_phase[5] = {StepPhase::Input, StepPhase::Integrate, StepPhase::Inhibit,
                                      StepPhase::Learn, StepPhase::Adapt};
    for (int k = 0; k < 5; ++k) {
        const QRectF r = panels[static_cast<std::size_t>(k)];
        const bool shown = reached(panel_phase[k]);
        const bool current = panelOf(phase_) == k && phase_ != StepPhase::Adapt;
        p.setOpacity(1.0);
        p.setPen(QPen(current ? kWinner : palette().color(QPalette::Mid), current ? 2.0 : 1.0));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(r, 4, 4);
        const QRectF inner = r.adjusted(6, 4, -6, -4);
        if (!shown) {
            p.setOpacity(0.55);
            PhaseText next = describePhase(*trace_, panel_phase[k]);
            next.numbers = tr("→ next");
            drawCaption(p, inner, next);
            continue;
        }
        PhaseText text = describePhase(*trace_, panel_phase[k]);
        if (k == 2 && reached(StepPhase::Fire)) {
            const PhaseText fire = describePhase(*trace_, StepPhase::Fire);
            text.title += QStringLiteral(" → ") + fire.title;
            text.equation += QStringLiteral("\n") + fire.equation;
            text.numbers = fire.numbers;
        }
        // A short view cannot hold every equation and the pictures: then only the phase in
        // focus says its equation (every phase when the last one is shown: its own), the others
        // their title and numbers; the hover tooltip has them all.
        const bool compact = height() < kRoomyHeight;
        if (compact && !current && !(phase_ == StepPhase::Adapt && k == 4))
            text.equation.clear();
        const QRectF area = drawCaption(p, inner, text);
        if (area.height() < 12)
            continue;
        switch (k) {
            case 0:
                drawInput(p, area);
                break;
            case 1:
                drawBars(p, area, trace_->potential);
                break;
            case 2:
                if (trace_->amplitude)  // the excess over each neuron's level; it fires at 0
                    drawBars(
                        p, area, amplitudeExcess(*trace_),
                        reached(StepPhase::Fire) ? std::vector<float>{0.0f} : std::vector<float>{},
                        tr("fire"));
                else
                    drawBars(p, area, trace_->softmax,
                             reached(StepPhase::Fire) ? trace_->theta_before : std::vector<float>{},
                             QStringLiteral("θ"));
                break;
            case 3:
                drawLearn(p, area);
                break;
            case 4:
                drawAdapt(p, area);
                break;
        }
    }
}

void StepCanvas::drawInput(QPainter& p, QRectF area) const {
    const StepTrace& t = *trace_;
    const int side = std::max(1, t.patch_size);
    const int pixels = side * side;
    std::vector<std::uint8_t> on(static_cast<std::size_t>(pixels), 0);
    std::vector<std::uint8_t> off(static_cast<std::size_t>(pixels), 0);
    for (const std::int32_t i : t.input_spikes) {
        if (i < pixels)
            on[static_cast<std::size_t>(i)] = 1;
        else if (i < 2 * pixels)
            off[static_cast<std::size_t>(i - pixels)] = 1;
    }
    const double cell = std::floor(std::min(area.width(), area.height()) / side);
    if (cell < 1)
        return;
    const QPointF origin(area.left() + (area.width() - cell * side) / 2, area.top());
    p.setPen(QPen(palette().color(QPalette::Midlight), 1));
    for (int r = 0; r < side; ++r) {
        for (int c = 0; c < side; ++c) {
            const auto k = static_cast<std::size_t>(r * side + c);
            const QRectF box(origin.x() + c * cell, origin.y() + r * cell, cell, cell);
            p.setBrush(Qt::white);
            p.drawRect(box);
            if (on[k] && off[k]) {
                p.fillRect(QRectF(box.left(), box.top(), cell / 2, cell), kWinner);
                p.fillRect(QRectF(box.left() + cell / 2, box.top(), cell / 2, cell), kOff);
            } else if (on[k]) {
                p.fillRect(box.adjusted(1, 1, 0, 0), t.onoff ? kWinner : QColor(30, 30, 30));
            } else if (off[k]) {
                p.fillRect(box.adjusted(1, 1, 0, 0), kOff);
            }
        }
    }
}

void StepCanvas::drawBars(QPainter& p, QRectF area, const std::vector<float>& values,
                          const std::vector<float>& line, const QString& line_label) const {
    const StepTrace& t = *trace_;
    if (values.empty())
        return;
    const bool with_theta = !line.empty();
    const QRectF plot = area.adjusted(0, 0, 0, -14);  // room for the neuron axis
    float lo = std::min(0.0f, *std::min_element(values.begin(), values.end()));
    float hi = std::max(1e-6f, *std::max_element(values.begin(), values.end()));
    for (float th : line)
        hi = std::max(hi, th);
    hi *= 1.08f;
    const auto y = [&](float v) { return plot.bottom() - (v - lo) / (hi - lo) * plot.height(); };
    const double w = plot.width() / static_cast<double>(values.size());
    std::vector<std::uint8_t> fired(values.size(), 0);
    if (with_theta || panelOf(phase_) > 2)
        for (const std::int32_t j : t.fired)
            fired[static_cast<std::size_t>(j)] = 1;
    p.setPen(Qt::NoPen);
    for (std::size_t j = 0; j < values.size(); ++j) {
        const double x = plot.left() + static_cast<double>(j) * w;
        const double top = y(std::max(values[j], 0.0f));
        const double bottom = y(std::min(values[j], 0.0f));
        p.setBrush(fired[j] ? kWinner : kBar);
        p.drawRect(QRectF(x + (w > 3 ? 0.5 : 0.0), top, std::max(1.0, w - (w > 3 ? 1.0 : 0.0)),
                          std::max(1.0, bottom - top)));
    }
    p.setPen(QPen(palette().color(QPalette::Mid), 1));
    p.drawLine(QPointF(plot.left(), y(0)), QPointF(plot.right(), y(0)));
    if (with_theta) {
        p.setPen(QPen(kThreshold, 1.5, Qt::DashLine));
        if (line.size() == 1) {
            const double ty = y(line[0]);
            p.drawLine(QPointF(plot.left(), ty), QPointF(plot.right(), ty));
            p.drawText(
                QPointF(plot.right() - p.fontMetrics().horizontalAdvance(line_label) - 2, ty - 3),
                line_label);
        } else {
            for (std::size_t j = 0; j < values.size() && j < line.size(); ++j) {
                const double ty = y(line[j]);
                const double x = plot.left() + static_cast<double>(j) * w;
                p.drawLine(QPointF(x, ty), QPointF(x + std::max(1.0, w), ty));
            }
        }
    }
    // Neuron axis: the ends, and the winners' numbers.
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.8);
    p.setFont(small);
    p.setPen(palette().color(QPalette::WindowText));
    const double axis = plot.bottom() + 12;
    p.drawText(QPointF(plot.left(), axis), QStringLiteral("0"));
    const QString last = QString::number(values.size() - 1);
    p.drawText(QPointF(plot.right() - p.fontMetrics().horizontalAdvance(last), axis), last);
    p.setPen(kWinner.darker(120));
    // Winners' numbers, each only where it does not run into the previous one ("4" and "5"
    // must not read "45"): a skipped number is in the phase's caption anyway.
    double free_from = plot.left() + p.fontMetrics().horizontalAdvance(QStringLiteral("0 "));
    for (std::size_t j = 0; j < values.size(); ++j) {
        if (!fired[j])
            continue;
        const QString label = QString::number(j);
        const double width = p.fontMetrics().horizontalAdvance(label);
        const double x =
            std::max(plot.left(), plot.left() + (static_cast<double>(j) + 0.5) * w - width / 2);
        if (x < free_from || x + width > plot.right() - p.fontMetrics().horizontalAdvance(last))
            continue;
        p.drawText(QPointF(x, axis), label);
        free_from = x + width + p.fontMetrics().horizontalAdvance(QStringLiteral(" "));
    }
    p.setFont(font());
}

void StepCanvas::drawLearn(QPainter& p, QRectF area) const {
    const StepTrace& t = *trace_;
    if (t.winners.empty() || !t.learn)
        return;
    const int side = std::max(1, t.patch_size);
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.8);
    p.setFont(small);
    const QFontMetricsF fm(small);
    const double header = fm.height() + 2;
    // Each winner a row: its number, then before | change | after. One amplification for all
    // rows, so that the changes of two winners compare.
    const double number_w = fm.horizontalAdvance(QStringLiteral("000 "));
    const double usable_h = area.height() - header;
    const double cell_w = (area.width() - number_w - 16) / 3.0;
    std::size_t rows = t.winners.size();
    double cell = std::floor(std::min(cell_w, usable_h / static_cast<double>(rows) - 4));
    while (rows > 1 && cell < 18) {  // fewer rows, each large enough to see
        --rows;
        cell = std::floor(std::min(cell_w, usable_h / static_cast<double>(rows) - 4));
    }
    if (cell < 4) {
        p.setFont(font());
        return;
    }
    const GreyRange field_range = t.onoff ? GreyRange{-1.0f, 1.0f} : GreyRange{0.0f, 1.0f};
    std::vector<std::vector<float>> before(rows), after(rows), delta(rows);
    float most = 0.0f;
    for (std::size_t n = 0; n < rows; ++n) {
        const StepTrace::Winner& w = t.winners[n];
        after[n] = pixelValues(w.after, side, t.onoff);
        if (w.before.empty())
            continue;
        before[n] = pixelValues(w.before, side, t.onoff);
        delta[n].resize(after[n].size());
        for (std::size_t i = 0; i < after[n].size(); ++i) {
            delta[n][i] = after[n][i] - before[n][i];
            most = std::max(most, std::abs(delta[n][i]));
        }
    }
    const GreyRange delta_range{-std::max(most, 1e-12f), std::max(most, 1e-12f)};
    const double x0 = area.left() + number_w;
    const QString heads[3] = {tr("before"),
                              most > 0 ? tr("Δw ×%1").arg(gainText(1.0 / most)) : tr("Δw = 0"),
                              tr("after")};
    p.setPen(palette().color(QPalette::WindowText));
    for (int k = 0; k < 3; ++k)
        p.drawText(QRectF(x0 + k * (cell + 8), area.top(), cell + 8, header),
                   Qt::AlignLeft | Qt::AlignBottom,
                   fm.elidedText(heads[k], Qt::ElideRight, cell + 7));
    for (std::size_t n = 0; n < rows; ++n) {
        const double top = area.top() + header + static_cast<double>(n) * (cell + 4);
        p.setPen(kWinner.darker(120));
        p.drawText(QRectF(area.left(), top, number_w, cell), Qt::AlignLeft | Qt::AlignVCenter,
                   QString::number(t.winners[n].neuron));
        const QImage images[3] = {
            before[n].empty() ? QImage() : greyImage(before[n], side, side, field_range),
            delta[n].empty() ? QImage() : greyImage(delta[n], side, side, delta_range),
            greyImage(after[n], side, side, field_range)};
        for (int k = 0; k < 3; ++k) {
            const QRectF box(x0 + k * (cell + 8), top, cell, cell);
            if (!images[k].isNull())
                p.drawImage(box, images[k]);
            p.setPen(QPen(palette().color(QPalette::Mid), 1));
            p.drawRect(box);
        }
    }
    if (rows < t.winners.size()) {
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QPointF(x0 + 3 * (cell + 8), area.top() + header + fm.ascent()),
                   tr("+%1").arg(t.winners.size() - rows));
    }
    p.setFont(font());
}

void StepCanvas::drawAdapt(QPainter& p, QRectF area) const {
    const StepTrace& t = *trace_;
    if (t.theta_before.size() > 1) {
        drawBars(p, area, t.theta_after);
        return;
    }
    // Global: where theta went, large if there is room, and why in words.
    const double after = t.theta_after[0];
    const double before = t.theta_before[0];
    const double n = static_cast<double>(t.fired.size());
    const QString arrow = after > before   ? QStringLiteral("↑")
                          : after < before ? QStringLiteral("↓")
                                           : QStringLiteral("=");
    QFont big = font();
    big.setPointSizeF(font().pointSizeF() * (area.width() > 170 ? 1.5 : 1.1));
    p.setFont(big);
    p.setPen(palette().color(QPalette::WindowText));
    const int flags = Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap;
    const QString value = QStringLiteral("θ %1 %2").arg(arrow, QString::number(after, 'f', 5));
    const QRectF used = p.boundingRect(area, flags, value);
    p.drawText(area, flags, value);
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.85);
    p.setFont(small);
    p.drawText(area.adjusted(0, used.height() + 4, 0, 0), flags,
               t.amplitude ? tr("θ moves by ρ(n − K p): toward K p = %1 spikes per step")
                                 .arg(num(t.units * t.target_rate, 3))
               : n > 1 ? tr("%1 spikes > 1: θ rises, fewer neurons will pass it").arg(n)
               : n < 1 ? tr("no spike: θ falls, so that some neuron passes it")
                       : tr("one spike, the target: θ stays"));
    p.setFont(font());
}

}  // namespace stdp::gui
