#pragma once
// The time series behind the charts, kept on the GUI thread: one point per snapshot for θ and the
// training activity, one per evaluation for the learning curves, and the parameter-change marks.
// Thinned by half whenever a series grows past kMaxPoints, and the marks capped at kMaxMarkers, so
// memory and redraw time stay bounded however long the studio runs.

#include <QList>
#include <QPointF>
#include <memory>
#include <vector>

#include "Snapshot.h"
#include "ViewData.h"
#include "analysis/Metrics.h"

namespace stdp::studio {

class History {
  public:
    static constexpr qsizetype kMaxPoints = 4000;
    // Parameter-change marks kept (the newest). Each edit is one mark (a slider drag is one edit);
    // changes of one parameter at the same x replace each other, so only a long session of edits
    // reaches this.
    static constexpr std::size_t kMaxMarkers = 500;

    void clear();
    void addSnapshot(const Snapshot& s);
    void addMetrics(const ReconstructionMetrics& m, double images);
    void addMarker(double images, const QString& label);

    std::shared_ptr<const gui::ChartData> thresholdData() const;
    std::shared_ptr<const gui::ChartData> errorData() const;
    std::shared_ptr<const gui::ChartData> codeData() const;
    double lastMetricsImages() const { return rmse_.isEmpty() ? -1.0 : rmse_.back().x(); }
    qsizetype thresholdCount() const { return theta_mean_.size(); }
    std::size_t markerCount() const { return markers_.size(); }

  private:
    static void append(QList<QPointF>& series, QPointF point);
    // θ changed while the time axis stood still (a presented input learnt from, a θ typed in).
    void showThresholdInPlace(const Snapshot& s);

    bool per_neuron_ = false;
    double last_x_ = -1.0;
    QList<QPointF> theta_mean_, theta_min_, theta_max_, activity_;
    QList<QPointF> rmse_, treves_rolls_, dead_;
    std::vector<gui::ChartMarker> markers_;
};

}  // namespace stdp::studio
