#include "StepView.h"

#include <QButtonGroup>
#include <QFontMetricsF>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPainter>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "FieldImage.h"

namespace stdp::gui {

namespace {

const QColor kWinner(232, 116, 59);    // fired, and ON spikes
const QColor kOff(59, 139, 232);       // OFF spikes
const QColor kBar(110, 130, 160);      // potentials and probabilities
const QColor kThreshold(200, 40, 40);  // theta
constexpr int kRoomyHeight = 300;      // below, the canvas shows one equation at a time

QString num(double v, int digits = 4) {
    return QString::number(v, 'g', digits);
}

QString neuronList(const std::vector<std::int32_t>& neurons, std::size_t most = 6) {
    QStringList names;
    for (std::size_t n = 0; n < neurons.size() && n < most; ++n)
        names << QString::number(neurons[n]);
    if (neurons.size() > most)
        names << QStringLiteral("… (%1 in all)").arg(neurons.size());
    return names.join(QStringLiteral(", "));
}

// An amplification in two significant digits, written out: 3200, not 3.2e+03.
QString gainText(double gain) {
    if (gain < 10)
        return QString::number(gain, 'g', 2);
    const double unit = std::pow(10.0, std::floor(std::log10(gain)) - 1);
    return QString::number(std::round(gain / unit) * unit, 'f', 0);
}

std::size_t argmax(const std::vector<float>& v) {
    return static_cast<std::size_t>(std::max_element(v.begin(), v.end()) - v.begin());
}

// The panel that shows a phase: the five panels are input, integrate, inhibit+fire, learn, adapt.
int panelOf(StepPhase phase) {
    switch (phase) {
        case StepPhase::Input:
            return 0;
        case StepPhase::Integrate:
            return 1;
        case StepPhase::Inhibit:
        case StepPhase::Fire:
            return 2;
        case StepPhase::Learn:
            return 3;
        case StepPhase::Adapt:
            return 4;
    }
    return 4;
}

}  // namespace

std::vector<float> pixelValues(std::span<const float> field, int patch_size, bool onoff) {
    const std::size_t pixels = static_cast<std::size_t>(patch_size) * patch_size;
    std::vector<float> out(pixels, 0.0f);
    for (std::size_t i = 0; i < pixels && i < field.size(); ++i)
        out[i] = onoff && pixels + i < field.size() ? field[i] - field[pixels + i] : field[i];
    return out;
}

PhaseText describePhase(const StepTrace& t, StepPhase phase) {
    PhaseText text;
    const bool per_neuron = t.theta_before.size() > 1;
    switch (phase) {
        case StepPhase::Input: {
            text.title = QObject::tr("Input x(t)");
            text.equation =
                t.onoff ? QObject::tr("xᵢ(t) = 1 with probability ∝ |pixel| (ON: +, OFF: −)")
                        : QObject::tr("xᵢ(t) = 1 with probability ∝ pixel (rate code)");
            text.numbers = QObject::tr("step %1 of %2 · %3 of %4 inputs spiked")
                               .arg(t.step_in_patch + 1)
                               .arg(t.patch_steps)
                               .arg(t.input_spikes.size())
                               .arg(t.inputs);
            break;
        }
        case StepPhase::Integrate: {
            text.title = QObject::tr("1 Integrate");
            const QString input =
                t.trace_tau > 0 ? QStringLiteral("yᵢ(t)") : QStringLiteral("xᵢ(t)");
            QString eq = QStringLiteral("Uⱼ(t) = ");
            if (t.membrane_decay > 0)
                eq += QStringLiteral("%1·Uⱼ(t−1) + ").arg(num(t.membrane_decay, 3));
            eq += QStringLiteral("Σᵢ Wᵢⱼ %1").arg(input);
            if (t.distance_bias > 0)
                eq += QStringLiteral(" − %1·‖wⱼ‖²/2").arg(num(t.distance_bias, 3));
            text.equation = eq;
            const std::size_t best = argmax(t.potential);
            double mean = 0.0;
            for (float u : t.potential)
                mean += u;
            mean /= static_cast<double>(std::max<std::size_t>(1, t.potential.size()));
            text.numbers = QObject::tr("max U = %1 (neuron %2) · mean U = %3")
                               .arg(num(t.potential[best]))
                               .arg(best)
                               .arg(num(mean));
            break;
        }
        case StepPhase::Inhibit: {
            text.title = QObject::tr("2 Inhibit (softmax)");
            text.equation =
                QObject::tr("Pⱼ = exp(Uⱼ/τₛ) / Σₖ exp(Uₖ/τₛ),  τₛ = %1").arg(num(t.temperature, 3));
            const std::size_t best = argmax(t.softmax);
            text.numbers = QObject::tr("max P = %1 (neuron %2) · uniform = 1/K = %3")
                               .arg(num(t.softmax[best], 3))
                               .arg(best)
                               .arg(num(1.0 / std::max(1, t.units), 3));
            break;
        }
        case StepPhase::Fire: {
            text.title = QObject::tr("3 Fire (WTA threshold)");
            text.equation =
                (per_neuron ? QObject::tr("zⱼ = [Pⱼ ≥ θⱼ]") : QObject::tr("zⱼ = [Pⱼ ≥ θ]")) +
                (t.reset ? QObject::tr("; a winner's Uⱼ ← 0") : QString());
            const QString theta = per_neuron ? QObject::tr("θⱼ")
                                             : QObject::tr("θ = %1").arg(num(t.theta_before[0], 4));
            if (t.fired.empty()) {
                const std::size_t best = argmax(t.softmax);
                text.numbers = QObject::tr("%1 · no neuron fires (max P = %2 < %3)")
                                   .arg(theta)
                                   .arg(num(t.softmax[best], 3))
                                   .arg(num(t.thresholdOf(static_cast<int>(best), false), 3));
            } else if (t.fired.size() == 1) {
                const int j = t.fired[0];
                text.numbers = QObject::tr("%1 · neuron %2 fires (P = %3 ≥ %4)")
                                   .arg(theta)
                                   .arg(j)
                                   .arg(num(t.softmax[static_cast<std::size_t>(j)], 3))
                                   .arg(num(t.thresholdOf(j, false), 3));
            } else {
                text.numbers = QObject::tr("%1 · neurons %2 fire").arg(theta, neuronList(t.fired));
            }
            break;
        }
        case StepPhase::Learn: {
            text.title = QObject::tr("4 Learn (event-based STDP)");
            QString causal = t.epsilon > 0 ? QObject::tr("xᵢ spiked in [t−%1, t]").arg(t.epsilon)
                                           : QObject::tr("xᵢ(t) = 1");
            text.equation = QObject::tr(
                                "winner j, input i — if %1: wᵢⱼ += μ(1 − wᵢⱼ(1+λ)), "
                                "else: wᵢⱼ −= μ_d·wᵢⱼ(1+λ)")
                                .arg(causal);
            if (!t.learn) {
                text.numbers = QObject::tr("learning is off: no weight changes");
            } else if (t.fired.empty()) {
                text.numbers = QObject::tr("no winner: no weight changes this step");
            } else {
                const std::size_t up = t.causal.size();
                text.numbers =
                    QObject::tr("μ = %1, μ_d = %2, λ = %3 · %4 inputs up, %5 down per winner")
                        .arg(num(t.mu, 3), num(t.mu_d, 3), num(t.lambda, 3))
                        .arg(up)
                        .arg(static_cast<std::size_t>(t.inputs) - up);
            }
            break;
        }
        case StepPhase::Adapt: {
            text.title = QObject::tr("5 Adapt θ");
            const double n = static_cast<double>(t.fired.size());
            if (!t.theta_adapt) {
                text.equation = per_neuron ? QObject::tr("θⱼ ← θⱼ + ρ(K zⱼ − 1)")
                                           : QObject::tr("θ ← θ + ρ(n − 1)");
                text.numbers = QObject::tr("threshold adaptation is off");
            } else if (!per_neuron) {
                text.equation = QObject::tr("θ ← θ + ρ(n − 1), n = spikes now (target: 1)");
                text.numbers = QStringLiteral("%1 + %2·(%3 − 1) = %4")
                                   .arg(QString::number(t.theta_before[0], 'f', 5), num(t.rho, 3))
                                   .arg(n)
                                   .arg(QString::number(t.theta_after[0], 'f', 5));
            } else {
                text.equation = QObject::tr("θⱼ ← θⱼ + ρ(K zⱼ − 1),  ρ = %1").arg(num(t.rho, 3));
                double before = 0.0;
                double after = 0.0;
                for (std::size_t j = 0; j < t.theta_before.size(); ++j) {
                    before += t.theta_before[j];
                    after += t.theta_after[j];
                }
                const double k = static_cast<double>(t.theta_before.size());
                text.numbers =
                    QObject::tr("mean θ %1 → %2").arg(num(before / k, 5), num(after / k, 5));
                if (!t.fired.empty()) {
                    const int j = t.fired[0];
                    text.numbers +=
                        QObject::tr(" · θ of %1: %2 → %3")
                            .arg(j)
                            .arg(num(t.thresholdOf(j, false), 4), num(t.thresholdOf(j, true), 4));
                }
            }
            break;
        }
    }
    return text;
}

// ---- StepCanvas: the five panels, painted -----------------------------------------------------

class StepCanvas : public QWidget {
  public:
    explicit StepCanvas(QWidget* parent) : QWidget(parent) {
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    }
    void display(const StepTrace* trace, StepPhase phase) {
        if (trace && trace != trace_) {
            QStringList lines;
            for (int k = 0; k < kStepPhases; ++k) {
                const PhaseText t = describePhase(*trace, static_cast<StepPhase>(k));
                lines << QStringLiteral("<b>%1</b>: %2")
                             .arg(t.title.toHtmlEscaped(), t.equation.toHtmlEscaped());
            }
            setToolTip(lines.join(QStringLiteral("<br>")));
        }
        trace_ = trace;
        phase_ = phase;
        update();
    }
    QSize minimumSizeHint() const override { return {420, 170}; }
    QSize sizeHint() const override { return {1200, 260}; }

  protected:
    void paintEvent(QPaintEvent*) override;

  private:
    bool reached(StepPhase phase) const {
        return static_cast<int>(phase_) >= static_cast<int>(phase);
    }
    QRectF drawCaption(QPainter& p, QRectF rect, const PhaseText& text);
    void drawInput(QPainter& p, QRectF area) const;
    void drawBars(QPainter& p, QRectF area, const std::vector<float>& values,
                  bool with_theta) const;
    void drawLearn(QPainter& p, QRectF area) const;
    void drawAdapt(QPainter& p, QRectF area) const;

    const StepTrace* trace_ = nullptr;
    StepPhase phase_ = StepPhase::Adapt;
};

QRectF StepCanvas::drawCaption(QPainter& p, QRectF rect, const PhaseText& text) {
    QFont title = font();
    title.setBold(true);
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
        const QRectF used = p.boundingRect(box, flags, s);
        p.drawText(box, flags, s);
        y += used.height() + 3;  // subscripts of one line clear the next
    }
    p.setFont(font());
    return QRectF(rect.left(), y + 3, rect.width(), std::max(0.0, rect.bottom() - y - 3));
}

void StepCanvas::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    if (!trace_) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                   tr("No step recorded yet. Press Step (S), or Play at a slow speed: every "
                      "step is then recorded here and can be walked through phase by phase."));
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
                drawBars(p, area, trace_->potential, false);
                break;
            case 2:
                drawBars(p, area, trace_->softmax, reached(StepPhase::Fire));
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
                          bool with_theta) const {
    const StepTrace& t = *trace_;
    if (values.empty())
        return;
    const QRectF plot = area.adjusted(0, 0, 0, -14);  // room for the neuron axis
    float lo = std::min(0.0f, *std::min_element(values.begin(), values.end()));
    float hi = std::max(1e-6f, *std::max_element(values.begin(), values.end()));
    if (with_theta)
        for (float th : t.theta_before)
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
        if (t.theta_before.size() == 1) {
            const double ty = y(t.theta_before[0]);
            p.drawLine(QPointF(plot.left(), ty), QPointF(plot.right(), ty));
            p.drawText(QPointF(plot.right() - 12, ty - 3), QStringLiteral("θ"));
        } else {
            for (std::size_t j = 0; j < values.size(); ++j) {
                const double ty = y(t.theta_before[j]);
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
        drawBars(p, area, t.theta_after, false);
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
               n > 1   ? tr("%1 spikes > 1: θ rises, fewer neurons will pass it").arg(n)
               : n < 1 ? tr("no spike: θ falls, so that some neuron passes it")
                       : tr("one spike, the target: θ stays"));
    p.setFont(font());
}

// ---- StepView ---------------------------------------------------------------------------------

StepView::StepView(QWidget* parent) : QWidget(parent), canvas_(new StepCanvas(this)) {
    setFocusPolicy(Qt::StrongFocus);
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(4, 2, 4, 0);
    phases_ = new QButtonGroup(this);
    phases_->setExclusive(true);
    const QString names[kStepPhases] = {tr("Input"),  tr("1 Integrate"), tr("2 Inhibit"),
                                        tr("3 Fire"), tr("4 Learn"),     tr("5 Adapt θ")};
    for (int k = 0; k < kStepPhases; ++k) {
        auto* b = new QToolButton(this);
        b->setText(names[k]);
        b->setCheckable(true);
        b->setToolTip(tr("Show the step up to this phase (← and → walk through the phases)"));
        phases_->addButton(b, k);
        bar->addWidget(b);
    }
    connect(phases_, &QButtonGroup::idClicked, this,
            [this](int id) { setPhase(static_cast<StepPhase>(id)); });
    bar->addSpacing(12);
    auto* older = new QToolButton(this);
    older->setText(QStringLiteral("◀"));
    older->setToolTip(tr("Previous recorded step (↑)"));
    connect(older, &QToolButton::clicked, this, &StepView::olderStep);
    bar->addWidget(older);
    history_slider_ = new QSlider(Qt::Horizontal, this);
    history_slider_->setToolTip(tr("The last %1 recorded steps").arg(kMaxHistory));
    history_slider_->setMinimumWidth(80);
    connect(history_slider_, &QSlider::valueChanged, this, [this](int v) {
        if (static_cast<std::size_t>(v) != index_)
            showIndex(static_cast<std::size_t>(v));
    });
    bar->addWidget(history_slider_, 1);
    auto* newer = new QToolButton(this);
    newer->setText(QStringLiteral("▶"));
    newer->setToolTip(tr("Next recorded step (↓)"));
    connect(newer, &QToolButton::clicked, this, &StepView::newerStep);
    bar->addWidget(newer);
    live_button_ = new QToolButton(this);
    live_button_->setText(tr("Live"));
    live_button_->setCheckable(true);
    live_button_->setToolTip(tr("Follow the newest step (End)"));
    connect(live_button_, &QToolButton::clicked, this, [this](bool on) {
        if (on)
            goLive();
        else {
            live_ = false;
            refresh();
        }
    });
    bar->addWidget(live_button_);
    where_ = new QLabel(this);
    where_->setMinimumWidth(10);
    where_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    bar->addWidget(where_, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(canvas_, 1);
    refresh();
}

const StepTrace* StepView::current() const {
    return history_.empty() ? nullptr : history_[index_].get();
}

void StepView::append(const std::vector<StepTracePtr>& traces) {
    if (traces.empty())
        return;
    const StepTrace* shown = current();
    for (const auto& t : traces)
        history_.push_back(t);
    std::size_t dropped = 0;
    while (history_.size() > kMaxHistory) {
        history_.pop_front();
        ++dropped;
    }
    if (live_ || walk_into_next_) {
        index_ = history_.size() - 1;
        if (walk_into_next_) {
            // The step asked for while walking: open it at its first phase.
            phase_ = StepPhase::Input;
            walk_into_next_ = false;
            live_ = true;
        }
    } else if (shown) {
        index_ = index_ >= dropped ? index_ - dropped : 0;
    }
    refresh();
}

void StepView::clear() {
    history_.clear();
    index_ = 0;
    live_ = true;
    walk_into_next_ = false;
    refresh();
}

void StepView::setPhase(StepPhase phase) {
    phase_ = phase;
    refresh();
}

void StepView::showIndex(std::size_t index) {
    if (history_.empty())
        return;
    index_ = std::min(index, history_.size() - 1);
    live_ = index_ + 1 == history_.size() && live_;
    refresh();
}

void StepView::nextPhase() {
    if (phase_ != StepPhase::Adapt) {
        setPhase(static_cast<StepPhase>(static_cast<int>(phase_) + 1));
        return;
    }
    if (!history_.empty() && index_ + 1 < history_.size()) {
        index_ += 1;
        phase_ = StepPhase::Input;
        refresh();
        return;
    }
    walk_into_next_ = true;
    emit stepRequested();
}

void StepView::previousPhase() {
    if (phase_ != StepPhase::Input) {
        setPhase(static_cast<StepPhase>(static_cast<int>(phase_) - 1));
        return;
    }
    if (index_ > 0) {
        live_ = false;
        index_ -= 1;
        phase_ = StepPhase::Adapt;
        refresh();
    }
}

void StepView::olderStep() {
    if (index_ == 0)
        return;
    live_ = false;
    index_ -= 1;
    refresh();
}

void StepView::newerStep() {
    if (history_.empty() || index_ + 1 >= history_.size())
        return;
    index_ += 1;
    refresh();
}

void StepView::goLive() {
    live_ = true;
    if (!history_.empty())
        index_ = history_.size() - 1;
    refresh();
}

void StepView::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
        case Qt::Key_Right:
            nextPhase();
            break;
        case Qt::Key_Left:
            previousPhase();
            break;
        case Qt::Key_Up:
        case Qt::Key_PageUp:
            olderStep();
            break;
        case Qt::Key_Down:
        case Qt::Key_PageDown:
            newerStep();
            break;
        case Qt::Key_Home:
            showIndex(0);
            break;
        case Qt::Key_End:
            goLive();
            break;
        default:
            QWidget::keyPressEvent(event);
            return;
    }
    event->accept();
}

void StepView::refresh() {
    const StepTrace* t = current();
    canvas_->display(t, phase_);
    if (auto* b = phases_->button(static_cast<int>(phase_)))
        b->setChecked(true);
    {
        const QSignalBlocker block(history_slider_);
        history_slider_->setRange(0, history_.empty() ? 0 : static_cast<int>(history_.size()) - 1);
        history_slider_->setValue(static_cast<int>(index_));
    }
    live_button_->setChecked(live_);
    if (!t) {
        where_->setText(tr("no step recorded"));
        emit firedShown({});
        return;
    }
    where_->setText(tr("step %1/%2 · tick %3 · %4/%5 kept")
                        .arg(t->step_in_patch + 1)
                        .arg(t->patch_steps)
                        .arg(t->tick)
                        .arg(index_ + 1)
                        .arg(history_.size()));
    QVector<int> fired;
    if (static_cast<int>(phase_) >= static_cast<int>(StepPhase::Fire))
        for (const std::int32_t j : t->fired)
            fired.push_back(j);
    emit firedShown(fired);
}

}  // namespace stdp::gui
