#pragma once
// A Qt Charts view of a few series over "images seen", with parameter changes marked on the time
// axis. Fed a whole ChartData per redraw: one series->replace(points) each, never point by point.

#include <QChartView>
#include <memory>
#include <vector>

#include "CsvSource.h"
#include "ViewData.h"

class QLineSeries;
class QValueAxis;

namespace stdp::gui {

class TimeSeriesChart : public QChartView, public CsvSource {
    Q_OBJECT
  public:
    TimeSeriesChart(const QString& title, const QString& y_title, const QString& y2_title,
                    const QString& csv_name, QWidget* parent = nullptr);

    void setData(std::shared_ptr<const ChartData> data);
    const ChartData* data() const { return data_.get(); }
    // Points currently in the chart's series (tests).
    int pointCount() const;
    // Fixed y range, or auto (the default) when lo >= hi.
    void setYRange(double lo, double hi);

    QString csvName() const override { return csv_name_; }
    QString csv() const override;

    QSize sizeHint() const override { return {420, 240}; }

  protected:
    void drawForeground(QPainter* painter, const QRectF& rect) override;

  private:
    QLineSeries* seriesFor(std::size_t index, const ChartSeries& spec);

    std::shared_ptr<const ChartData> data_;
    std::vector<QLineSeries*> series_;
    QValueAxis* x_axis_;
    QValueAxis* y_axis_;
    QValueAxis* y2_axis_ = nullptr;
    QString csv_name_;
    double fixed_lo_ = 0.0;
    double fixed_hi_ = 0.0;
};

}  // namespace stdp::gui
