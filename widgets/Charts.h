#pragma once
// The time charts of the studio: the threshold trace and the learning curves.

#include <QWidget>

#include "TimeSeriesChart.h"

namespace stdp::gui {

// θ over training: the global threshold, or mean/min/max of the per-neuron thresholds.
class ThresholdChart : public TimeSeriesChart {
    Q_OBJECT
  public:
    explicit ThresholdChart(QWidget* parent = nullptr);
    // With amplitude coding θ_j is a hurdle scale held by homeostasis, not a WTA threshold.
    void setAmplitudeCoding(bool on);
    bool amplitudeCoding() const { return amplitude_; }

  private:
    bool amplitude_ = true;  // so that the constructor's call sets the WTA texts
};

// Protocol-A RMSE on the validation images, and the code statistics (activity, Treves–Rolls
// sparseness, dead fraction) over training.
class LearningCurves : public QWidget {
    Q_OBJECT
  public:
    explicit LearningCurves(QWidget* parent = nullptr);

    void setData(std::shared_ptr<const ChartData> error, std::shared_ptr<const ChartData> code);
    TimeSeriesChart* errorChart() const { return error_; }
    TimeSeriesChart* codeChart() const { return code_; }

  private:
    TimeSeriesChart* error_;
    TimeSeriesChart* code_;
};

}  // namespace stdp::gui
