#pragma once
// One neuron up close: its field enlarged, its threshold, how often it wins and fired recently,
// why it did or did not fire at the last recorded step, and its threshold and wins over the
// whole training so far.

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>
#include <memory>

#include "ViewData.h"
#include "model/StepTrace.h"

namespace stdp::gui {

class TimeSeriesChart;

class NeuronInspector : public QWidget {
    Q_OBJECT
  public:
    explicit NeuronInspector(QWidget* parent = nullptr);

    // A new frame: the numbers follow at once; the history chart (Qt Charts lays out its axes
    // anew on every change: milliseconds) at most a few times a second, and not while hidden.
    void setSnapshot(std::shared_ptr<const FieldsSnapshot> snapshot);
    void setNeuron(int neuron);
    // The newest step the step view recorded (null: none), for U_j, P_j and θ_j of that step.
    void setLastStep(StepTracePtr step);
    int neuron() const { return neuron_; }
    // What each neuron's field is, one line per neuron (the Gabor census); empty: not shown.
    void setFieldNotes(const QStringList& notes);
    // The text lines shown beside the field (tests read them), in their full form.
    QStringList lines() const;
    // Each line's forms, longest first: a row shows the longest that fits, else the shortest
    // wrapped.
    QList<QStringList> lineForms() const;
    QRect fieldRect() const;
    // The lines as painted: wrapped at words to the room beside the field, then to the full
    // width below it, so that a narrow inspector (a 1280x720 projector) cuts nothing.
    struct Row {
        QString text;
        QPoint baseline;  // where it is drawn
        int room = 0;     // the width it may take
        bool bold = false;
    };
    QVector<Row> rows() const;
    // θ_j and wins per image of the selected neuron over training.
    TimeSeriesChart* historyChart() const { return history_chart_; }
    // False while the inspector is too short for the chart (it shows the numbers only).
    bool historyShown() const;

    QSize sizeHint() const override { return {360, 320}; }
    QSize minimumSizeHint() const override { return {200, 120}; }

  protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;

  private:
    // The text's height at this width; the chart starts below it. `base`: the rows kept
    // whatever the text, which also size the field.
    int summaryHeight() const;
    int baseSummaryHeight() const;
    // Moves the chart below text that has grown (it moves back up only on a resize or another
    // neuron, so that it does not jump as the numbers change).
    void placeChart();
    int textLeft() const;
    int lineStep() const { return fontMetrics().lineSpacing() + 2; }
    void showHistory();  // the chart, when the neuron or the history changed
    bool chartVisible() const;

    std::shared_ptr<const FieldsSnapshot> snapshot_;
    StepTracePtr last_step_;
    int neuron_ = 0;
    int text_bottom_ = 0;  // the lowest the text reached since the last resize or neuron
    QStringList field_notes_;
    TimeSeriesChart* history_chart_ = nullptr;
    // What the chart shows now, so that a frame with the same history redraws nothing.
    std::shared_ptr<const NeuronHistory> charted_;
    int charted_neuron_ = -1;
    QElapsedTimer charted_clock_;  // since the chart was last rebuilt from a frame
    QTimer chart_timer_;           // a newer history waits for it
};

}  // namespace stdp::gui
