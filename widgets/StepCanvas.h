#pragma once
// The step view's drawing: the five panels of one step (input, integrate, inhibit and fire,
// learn, adapt θ), the phases not yet reached dimmed.

#include <QStringList>
#include <QWidget>

#include "StepView.h"

namespace stdp::gui {

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
    // What the empty view says (no step recorded yet); empty: how to record one.
    void setEmptyHint(const QString& hint) {
        if (hint == empty_hint_)
            return;
        empty_hint_ = hint;
        if (!trace_)
            update();
    }
    QString emptyHint() const;
    QSize minimumSizeHint() const override { return {420, 170}; }
    QSize sizeHint() const override { return {1200, 260}; }
    // A panel title's font: `font`, made smaller (down to 70 %) until the title's widest word
    // fits `width`, since titles wrap only between words.
    static QFont titleFont(QFont font, const QString& title, double width);

  protected:
    void paintEvent(QPaintEvent*) override;

  private:
    bool reached(StepPhase phase) const {
        return static_cast<int>(phase_) >= static_cast<int>(phase);
    }
    QRectF drawCaption(QPainter& p, QRectF rect, const PhaseText& text);
    void drawInput(QPainter& p, QRectF area) const;
    // `line`: the level a bar must reach to fire (one value, or one per bar; empty: none),
    // labelled `line_label`; with a line the neurons that fired are marked.
    void drawBars(QPainter& p, QRectF area, const std::vector<float>& values,
                  const std::vector<float>& line = {}, const QString& line_label = {}) const;
    void drawLearn(QPainter& p, QRectF area) const;
    void drawAdapt(QPainter& p, QRectF area) const;

    const StepTrace* trace_ = nullptr;
    StepPhase phase_ = StepPhase::Adapt;
    QString empty_hint_;
};

}  // namespace stdp::gui
