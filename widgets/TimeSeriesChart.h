#pragma once
// A Qt Charts view of a few series over "images seen", with parameter changes marked on the time
// axis. Fed a whole ChartData per redraw: one series->replace(points) each, never point by point.
// A value axis whose data are all >= 0 starts at 0.

#include <QChartView>
#include <QStringList>
#include <memory>
#include <utility>
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
    // The time axis spans the data (a history that starts late in training) instead of 0 on.
    void setXFromData(bool on) { x_from_data_ = on; }
    // A small chart inside another view: no axis titles (the legend names the series), smaller
    // labels, no point markers.
    void setCompact();
    // The left axis shows fractions: it spans 0 to the round number above the data, at most 1.
    void setFractionAxis() { fraction_axis_ = true; }
    // "images seen" unless said otherwise.
    void setXAxisTitle(const QString& title);
    QString xAxisTitle() const;  // the full form
    // Titles with shorter forms, longest first: each shows the longest that fits its room (the
    // chart's width, the plot's width or height), the shortest otherwise, so that a narrow
    // window (1280x720) shows words, not "…"; the tooltip then gives the full texts.
    void setTitleForms(const QStringList& forms);
    void setXAxisTitleForms(const QStringList& forms);
    void setYAxisTitleForms(int side, const QStringList& forms);  // left 0, right 1
    // What the tooltip says whatever the forms shown (the full titles are added when shortened).
    void setBaseToolTip(const QString& tip);
    QString shownXAxisTitle() const;
    QString shownYAxisTitle(int side) const;
    double xAxisMax() const;
    // The smallest 1, 2, 2.5 or 5 x 10^k not below `hi` (> 0): where an axis from 0 ends.
    static double roundAxisEnd(double hi);
    // The current range of the left (0) or right (1) value axis (tests).
    std::pair<double, double> valueAxisRange(int side) const;

    QString csvName() const override { return csv_name_; }
    QString csv() const override;

    QSize sizeHint() const override { return {420, 240}; }

    // Rows of marker labels above the plot; a label that fits no row is left out (its line
    // stays, its text shows on hover).
    static constexpr int kMarkerLabelRows = 3;
    // The row of each label (or -1: left out), labels given by their left x and width in pixels,
    // in the order of the markers: each goes to the first row where it clears the previous one.
    static std::vector<int> layoutMarkerLabels(const std::vector<double>& left,
                                               const std::vector<double>& width, int rows,
                                               double gap);
    // The labels of the markers within a few pixels of viewport x (hover text).
    QStringList markersNear(double viewport_x) const;

  protected:
    void drawForeground(QPainter* painter, const QRectF& rect) override;
    void resizeEvent(QResizeEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

  private:
    double markerX(const ChartMarker& m) const;  // in viewport pixels; NaN when off the axis
    QLineSeries* seriesFor(std::size_t index, const ChartSeries& spec);
    void fitTitles();

    // Longest first; empty: the title is left as it is (a compact chart's hidden axis titles).
    QStringList title_forms_;
    QStringList x_forms_;
    QStringList y_forms_[2];
    QString base_tip_;

    std::shared_ptr<const ChartData> data_;
    std::vector<QLineSeries*> series_;
    QValueAxis* x_axis_;
    QValueAxis* y_axis_;
    QValueAxis* y2_axis_ = nullptr;
    QString csv_name_;
    bool x_from_data_ = false;
    bool compact_ = false;
    bool fraction_axis_ = false;
};

}  // namespace stdp::gui
