#include "TimeSeriesChart.h"

#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <limits>

namespace stdp::gui {

namespace {
constexpr double kHeadroom = 0.08;  // of the data range, above and below
constexpr qsizetype kMaxVisiblePoints = 40;
constexpr double kMarkerSize = 6.0;
const QColor kMarkerColour(200, 80, 0, 170);

// The smallest 1, 2, 2.5 or 5 x 10^k not below `hi`, and a tick count that makes every tick a
// round number (2.5 -> 0, 0.5, 1 ... in six ticks).
void setRoundRange(QValueAxis* axis, double hi) {
    struct Step {
        double mantissa;
        int ticks;
    };
    constexpr Step kSteps[] = {{1.0, 5}, {2.0, 5}, {2.5, 6}, {5.0, 6}, {10.0, 6}};
    const double decade = std::pow(10.0, std::floor(std::log10(hi)));
    for (const Step& st : kSteps) {
        if (st.mantissa * decade >= hi) {
            axis->setRange(0.0, st.mantissa * decade);
            axis->setTickCount(st.ticks);
            return;
        }
    }
}

void fitAxis(QValueAxis* axis, double lo, double hi) {
    if (!(lo <= hi)) {
        lo = 0.0;
        hi = 1.0;
    }
    double pad = (hi - lo) * kHeadroom;
    if (pad <= 0.0)
        pad = std::max(std::abs(hi) * kHeadroom, 1e-6);
    axis->setRange(lo - pad, hi + pad);
}
}  // namespace

TimeSeriesChart::TimeSeriesChart(const QString& title, const QString& y_title,
                                 const QString& y2_title, const QString& csv_name, QWidget* parent)
    // The chart goes to the QChartView constructor: QChartView(QWidget*) would make a default
    // QChart of its own, and setChart() releases the previous chart without deleting it (a
    // QChart leaked per view, with its legend, title and background items).
    : QChartView(new QChart, parent),
      x_axis_(new QValueAxis),
      y_axis_(new QValueAxis),
      csv_name_(csv_name) {
    QChart* chart = this->chart();
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setAnimationOptions(QChart::NoAnimation);  // animations would cost the GUI thread
    x_axis_->setTitleText(tr("images seen"));
    x_axis_->setLabelFormat(QStringLiteral("%.4g"));
    y_axis_->setTitleText(y_title);
    y_axis_->setLabelFormat(QStringLiteral("%.4g"));
    chart->addAxis(x_axis_, Qt::AlignBottom);
    chart->addAxis(y_axis_, Qt::AlignLeft);
    if (!y2_title.isEmpty()) {
        y2_axis_ = new QValueAxis;
        y2_axis_->setTitleText(y2_title);
        y2_axis_->setLabelFormat(QStringLiteral("%.4g"));
        chart->addAxis(y2_axis_, Qt::AlignRight);
    }
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(160);
}

void TimeSeriesChart::setYRange(double lo, double hi) {
    fixed_lo_ = lo;
    fixed_hi_ = hi;
}

QLineSeries* TimeSeriesChart::seriesFor(std::size_t index, const ChartSeries& spec) {
    while (series_.size() <= index) {
        auto* s = new QLineSeries;
        chart()->addSeries(s);
        s->attachAxis(x_axis_);
        series_.push_back(s);
    }
    QLineSeries* s = series_[index];
    if (s->name() != spec.name) {
        s->setName(spec.name);
        QPen pen(spec.color);
        pen.setWidthF(1.8);
        if (spec.dashed)
            pen.setStyle(Qt::DashLine);
        s->setPen(pen);
        s->setMarkerSize(kMarkerSize);
        QValueAxis* y = spec.right_axis && y2_axis_ ? y2_axis_ : y_axis_;
        for (auto* a : s->attachedAxes())
            if (a != x_axis_)
                s->detachAxis(a);
        s->attachAxis(y);
        for (QLegendMarker* m : chart()->legend()->markers(s))
            m->setVisible(spec.in_legend);
    }
    return s;
}

void TimeSeriesChart::setData(std::shared_ptr<const ChartData> data) {
    data_ = std::move(data);
    if (!data_)
        return;
    constexpr double kInf = std::numeric_limits<double>::infinity();
    double x_lo = kInf, x_hi = -kInf, y_lo = kInf, y_hi = -kInf, y2_lo = kInf, y2_hi = -kInf;
    for (std::size_t i = 0; i < data_->series.size(); ++i) {
        const ChartSeries& spec = data_->series[i];
        QLineSeries* series = seriesFor(i, spec);
        series->replace(spec.points);
        // A curve of few points (evaluations are seconds apart) needs them visible; a dense one
        // would turn into a row of blobs.
        series->setPointsVisible(spec.points.size() <= kMaxVisiblePoints);
        for (const QPointF& p : spec.points) {
            x_lo = std::min(x_lo, p.x());
            x_hi = std::max(x_hi, p.x());
            double& lo = spec.right_axis && y2_axis_ ? y2_lo : y_lo;
            double& hi = spec.right_axis && y2_axis_ ? y2_hi : y_hi;
            lo = std::min(lo, p.y());
            hi = std::max(hi, p.y());
        }
    }
    // Series the data no longer has go, legend entries with them (θ min/max after leaving a
    // per-neuron preset).
    while (series_.size() > data_->series.size()) {
        chart()->removeSeries(series_.back());
        delete series_.back();
        series_.pop_back();
    }
    if (x_lo <= x_hi) {
        setRoundRange(x_axis_, std::max(x_hi, 1.0));
    } else {
        setRoundRange(x_axis_, 1.0);
    }
    if (fixed_lo_ < fixed_hi_) {
        y_axis_->setRange(fixed_lo_, fixed_hi_);
    } else {
        fitAxis(y_axis_, y_lo, y_hi);
    }
    if (y2_axis_)
        fitAxis(y2_axis_, y2_lo, y2_hi);
    viewport()->update();
}

int TimeSeriesChart::pointCount() const {
    int n = 0;
    for (const auto* s : series_)
        n += static_cast<int>(s->count());
    return n;
}

QString TimeSeriesChart::csv() const {
    QString out = QStringLiteral("series,images,value\n");
    if (!data_)
        return out;
    for (const ChartSeries& s : data_->series)
        for (const QPointF& p : s.points)
            out += QStringLiteral("%1,%2,%3\n")
                       .arg(s.name)
                       .arg(p.x(), 0, 'g', 10)
                       .arg(p.y(), 0, 'g', 10);
    for (const ChartMarker& m : data_->markers)
        out += QStringLiteral("\"change: %1\",%2,\n").arg(m.label).arg(m.x, 0, 'g', 10);
    return out;
}

void TimeSeriesChart::drawForeground(QPainter* painter, const QRectF& rect) {
    QChartView::drawForeground(painter, rect);
    if (!data_ || data_->markers.empty())
        return;
    const QRectF plot = chart()->plotArea();
    painter->save();
    QPen pen(kMarkerColour);
    pen.setStyle(Qt::DashLine);
    painter->setPen(pen);
    QFont f = painter->font();
    f.setPointSizeF(f.pointSizeF() * 0.85);
    painter->setFont(f);
    const double lo = x_axis_->min();
    const double hi = x_axis_->max();
    for (const ChartMarker& m : data_->markers) {
        if (m.x < lo || m.x > hi || hi <= lo)
            continue;
        const double x = plot.left() + (m.x - lo) / (hi - lo) * plot.width();
        painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        painter->drawText(QPointF(x + 3, plot.top() + painter->fontMetrics().ascent()), m.label);
    }
    painter->restore();
}

}  // namespace stdp::gui
