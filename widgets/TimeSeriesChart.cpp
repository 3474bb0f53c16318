#include "TimeSeriesChart.h"

#include <QFontMetricsF>
#include <QGraphicsLayout>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMouseEvent>
#include <QToolTip>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <limits>

namespace stdp::gui {

namespace {
constexpr double kHeadroom = 0.08;  // of the data range, above and below
constexpr qsizetype kMaxVisiblePoints = 40;
constexpr double kMarkerSize = 6.0;
constexpr double kCompactFontScale = 0.8;
constexpr double kMarkerLabelGap = 6.0;     // pixels between labels in one row
constexpr double kMarkerHoverPixels = 4.0;  // how near the pointer must be to a marker line
constexpr qsizetype kMaxHoverLines = 12;
const QColor kMarkerColour(200, 80, 0, 170);
// Qt Charts cuts a title a few pixels before its room ends (its own padding): a form must fit
// with this much to spare.
constexpr double kTitleSlack = 12.0;

// The longest of `forms` that fits `room` pixels in `font`, else the shortest.
QString fittingForm(const QStringList& forms, const QFont& font, double room) {
    const QFontMetricsF fm(font);
    for (const QString& f : forms)
        if (fm.horizontalAdvance(f) + kTitleSlack <= room)
            return f;
    return forms.isEmpty() ? QString() : forms.back();
}

struct RoundStep {
    double mantissa;
    int ticks;
};
constexpr RoundStep kRoundSteps[] = {{1.0, 5}, {2.0, 5}, {2.5, 6}, {5.0, 6}, {10.0, 6}};

// The axis from 0 to roundAxisEnd(hi), with a tick count that makes every tick a round number
// (2.5 -> 0, 0.5, 1 ... in six ticks).
void setRoundRange(QValueAxis* axis, double hi) {
    const double end = TimeSeriesChart::roundAxisEnd(hi);
    const double decade = std::pow(10.0, std::floor(std::log10(hi)));
    for (const RoundStep& st : kRoundSteps) {
        if (st.mantissa * decade >= end) {
            axis->setRange(0.0, end);
            axis->setTickCount(st.ticks);
            return;
        }
    }
}

// The data's range with headroom; quantities that cannot be negative (fractions, errors, rates,
// thresholds) keep an axis that starts at 0, never at a small negative number.
void fitAxis(QValueAxis* axis, double lo, double hi) {
    if (!(lo <= hi)) {
        lo = 0.0;
        hi = 1.0;
    }
    // Labels have four significant digits: an axis narrower than about a percent of its values
    // (a threshold that has settled) would repeat them (0.1499, 0.1499, 0.15, 0.15).
    const double least_span = 0.02 * std::max(std::abs(lo), std::abs(hi));
    if (hi - lo < least_span) {
        const double mid = 0.5 * (lo + hi);
        lo = lo >= 0.0 ? std::max(0.0, mid - 0.5 * least_span) : mid - 0.5 * least_span;
        hi = mid + 0.5 * least_span;
    }
    double pad = (hi - lo) * kHeadroom;
    if (pad <= 0.0)
        pad = std::max(std::abs(hi) * kHeadroom, 1e-6);
    axis->setRange(lo >= 0.0 ? std::max(0.0, lo - pad) : lo - pad, hi + pad);
    axis->applyNiceNumbers();  // ticks at round values (0.15, 0.2, ...), not at 0.2566
    if (lo >= 0.0 && axis->min() < 0.0)
        axis->setMin(0.0);
}

// A fraction: from 0 to the round number above the data, at most 1.
void fitFractionAxis(QValueAxis* axis, double hi) {
    if (!(hi > 0.0))
        hi = 1.0;
    setRoundRange(axis, std::min(hi * (1.0 + kHeadroom), 1.0));
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
    title_forms_ = QStringList{title};
    x_forms_ = QStringList{tr("images seen")};
    y_forms_[0] = QStringList{y_title};
    y_forms_[1] = QStringList{y2_title};
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
        y2_axis_->setGridLineVisible(false);  // the left axis's grid; the two tick sets differ
        y2_axis_->setTitleText(y2_title);
        y2_axis_->setLabelFormat(QStringLiteral("%.4g"));
        chart->addAxis(y2_axis_, Qt::AlignRight);
    }
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(160);
    // The plot's room is known once Qt Charts has laid the chart out, after a resize.
    connect(chart, &QChart::plotAreaChanged, this, &TimeSeriesChart::fitTitles);
    setMouseTracking(true);  // hover text of the change markers
}

void TimeSeriesChart::setCompact() {
    compact_ = true;
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * kCompactFontScale);
    for (QValueAxis* axis : {x_axis_, y_axis_, y2_axis_}) {
        if (!axis)
            continue;
        axis->setTitleVisible(false);
        axis->setLabelsFont(small);
    }
    chart()->legend()->setFont(small);
    chart()->setMargins(QMargins(0, 0, 0, 0));
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
    // Qt Charts lays its axes and labels out anew on any change (milliseconds): the same curves
    // (the learning curves between two evaluations) change nothing.
    const bool same = data && data_ && *data == *data_;
    data_ = std::move(data);
    if (!data_ || same)
        return;
    constexpr double kInf = std::numeric_limits<double>::infinity();
    double x_lo = kInf, x_hi = -kInf, y_lo = kInf, y_hi = -kInf, y2_lo = kInf, y2_hi = -kInf;
    for (std::size_t i = 0; i < data_->series.size(); ++i) {
        const ChartSeries& spec = data_->series[i];
        QLineSeries* series = seriesFor(i, spec);
        series->replace(spec.points);
        // A curve of few points (evaluations are seconds apart) needs them visible; a dense one
        // would turn into a row of blobs.
        series->setPointsVisible(!compact_ && spec.points.size() <= kMaxVisiblePoints);
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
    if (data_->x_extent > 0.0) {
        x_hi = std::max(x_hi, data_->x_extent);
        x_lo = std::min(x_lo, x_hi);
    }
    if (x_lo <= x_hi && x_from_data_) {
        x_axis_->setRange(x_lo, std::max(x_hi, x_lo + 1.0));
        x_axis_->applyNiceNumbers();
    } else if (x_lo <= x_hi) {
        setRoundRange(x_axis_, std::max(x_hi, 1.0));
    } else {
        setRoundRange(x_axis_, 1.0);
    }
    if (fraction_axis_)
        fitFractionAxis(y_axis_, y_hi);
    else
        fitAxis(y_axis_, y_lo, y_hi);
    if (y2_axis_)
        fitAxis(y2_axis_, y2_lo, y2_hi);
    viewport()->update();
}

std::pair<double, double> TimeSeriesChart::valueAxisRange(int side) const {
    const QValueAxis* axis = side == 0 ? y_axis_ : y2_axis_;
    return axis ? std::pair{axis->min(), axis->max()} : std::pair{0.0, 0.0};
}

int TimeSeriesChart::pointCount() const {
    int n = 0;
    for (const auto* s : series_)
        n += static_cast<int>(s->count());
    return n;
}

void TimeSeriesChart::setXAxisTitle(const QString& title) {
    setXAxisTitleForms({title});
}

QString TimeSeriesChart::xAxisTitle() const {
    return x_forms_.value(0);
}

void TimeSeriesChart::setTitleForms(const QStringList& forms) {
    title_forms_ = forms;
    fitTitles();
}

void TimeSeriesChart::setXAxisTitleForms(const QStringList& forms) {
    x_forms_ = forms;
    fitTitles();
}

void TimeSeriesChart::setYAxisTitleForms(int side, const QStringList& forms) {
    y_forms_[side == 0 ? 0 : 1] = forms;
    fitTitles();
}

void TimeSeriesChart::setBaseToolTip(const QString& tip) {
    base_tip_ = tip;
    fitTitles();
}

QString TimeSeriesChart::shownXAxisTitle() const {
    return x_axis_->titleText();
}

QString TimeSeriesChart::shownYAxisTitle(int side) const {
    const QValueAxis* axis = side == 0 ? y_axis_ : y2_axis_;
    return axis ? axis->titleText() : QString();
}

void TimeSeriesChart::resizeEvent(QResizeEvent* event) {
    QChartView::resizeEvent(event);
    fitTitles();
}

void TimeSeriesChart::fitTitles() {
    QChart* c = chart();
    const QMargins m = c->margins();
    const QRectF plot = c->plotArea();
    // Before the first layout there is no room to measure: the full forms until there is.
    constexpr double kUnknown = std::numeric_limits<double>::infinity();
    qreal pad_left = 0.0, pad_top = 0.0, pad_right = 0.0, pad_bottom = 0.0;
    if (c->layout())
        c->layout()->getContentsMargins(&pad_left, &pad_top, &pad_right, &pad_bottom);
    const double title_room = c->size().width() > 0.0
                                  ? c->size().width() - m.left() - m.right() - pad_left - pad_right
                                  : kUnknown;
    const double plot_width = plot.width() > 0.0 ? plot.width() : kUnknown;
    const double plot_height = plot.height() > 0.0 ? plot.height() : kUnknown;
    QStringList cut;  // the full forms of the titles shown shortened
    const auto show = [&](const QStringList& forms, const QFont& font, double room,
                          const QString& shown, const auto& set) {
        if (forms.isEmpty())
            return;
        const QString f = fittingForm(forms, font, room);
        if (f != shown)
            set(f);
        if (f != forms.front())
            cut << forms.front();
    };
    show(title_forms_, c->titleFont(), title_room, c->title(),
         [c](const QString& f) { c->setTitle(f); });
    show(x_forms_, x_axis_->titleFont(), plot_width, x_axis_->titleText(),
         [this](const QString& f) { x_axis_->setTitleText(f); });
    QValueAxis* ys[2] = {y_axis_, y2_axis_};
    for (int side = 0; side < 2; ++side)
        if (ys[side])
            show(y_forms_[side], ys[side]->titleFont(), plot_height, ys[side]->titleText(),
                 [axis = ys[side]](const QString& f) { axis->setTitleText(f); });
    QString tip = base_tip_;
    if (!cut.isEmpty()) {
        for (QString& full : cut)
            full = full.toHtmlEscaped();
        tip += QStringLiteral("<p>") + cut.join(QStringLiteral("<br>")) + QStringLiteral("</p>");
    }
    if (tip != toolTip())
        setToolTip(tip);
}

double TimeSeriesChart::roundAxisEnd(double hi) {
    const double decade = std::pow(10.0, std::floor(std::log10(hi)));
    for (const RoundStep& st : kRoundSteps)
        if (st.mantissa * decade >= hi)
            return st.mantissa * decade;
    return 10.0 * decade;
}

double TimeSeriesChart::xAxisMax() const {
    return x_axis_->max();
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

std::vector<int> TimeSeriesChart::layoutMarkerLabels(const std::vector<double>& left,
                                                     const std::vector<double>& width, int rows,
                                                     double gap) {
    std::vector<double> row_end(static_cast<std::size_t>(std::max(rows, 0)),
                                -std::numeric_limits<double>::infinity());
    std::vector<int> row_of(left.size(), -1);
    for (std::size_t i = 0; i < left.size(); ++i) {
        for (std::size_t r = 0; r < row_end.size(); ++r) {
            if (left[i] >= row_end[r] + gap) {
                row_of[i] = static_cast<int>(r);
                row_end[r] = left[i] + width[i];
                break;
            }
        }
    }
    return row_of;
}

double TimeSeriesChart::markerX(const ChartMarker& m) const {
    const QRectF plot = chart()->plotArea();
    const double lo = x_axis_->min();
    const double hi = x_axis_->max();
    if (m.x < lo || m.x > hi || hi <= lo)
        return std::numeric_limits<double>::quiet_NaN();
    return plot.left() + (m.x - lo) / (hi - lo) * plot.width();
}

QStringList TimeSeriesChart::markersNear(double viewport_x) const {
    QStringList labels;
    if (!data_)
        return labels;
    const double scene_x = mapToScene(QPoint(static_cast<int>(viewport_x), 0)).x();
    for (const ChartMarker& m : data_->markers)
        if (std::abs(markerX(m) - scene_x) <= kMarkerHoverPixels)
            labels << tr("%1 at %2 images").arg(m.label).arg(m.x, 0, 'g', 6);
    return labels;
}

void TimeSeriesChart::mouseMoveEvent(QMouseEvent* event) {
    QStringList near = markersNear(event->position().x());
    if (near.size() > kMaxHoverLines) {
        const auto more = near.size() - kMaxHoverLines;
        near.erase(near.begin() + kMaxHoverLines, near.end());
        near << tr("… and %1 more (Change log lists them all)").arg(more);
    }
    if (!near.isEmpty())
        QToolTip::showText(event->globalPosition().toPoint(), near.join(QLatin1Char('\n')), this);
    else
        QToolTip::hideText();
    QChartView::mouseMoveEvent(event);
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
    const QFontMetricsF fm(f);
    std::vector<double> xs, left, width;
    std::vector<const ChartMarker*> shown;
    for (const ChartMarker& m : data_->markers) {
        const double x = markerX(m);
        if (std::isnan(x))
            continue;
        painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        shown.push_back(&m);
        xs.push_back(x);
        // Right of its line, or left of it where it would run off the plot.
        const double w = fm.horizontalAdvance(m.label);
        left.push_back(x + 3 + w <= plot.right() ? x + 3 : x - 3 - w);
        width.push_back(w);
    }
    // Labels stack in a few rows; those that would overlap are left out (hover shows them).
    const std::vector<int> rows =
        layoutMarkerLabels(left, width, kMarkerLabelRows, kMarkerLabelGap);
    int left_out = 0;
    for (std::size_t i = 0; i < shown.size(); ++i) {
        if (rows[i] < 0) {
            ++left_out;
            continue;
        }
        const double y = plot.top() + fm.ascent() + rows[i] * fm.lineSpacing();
        painter->drawText(QPointF(left[i], y), shown[i]->label);
    }
    if (left_out > 0) {
        const QString more = tr("+%1 changes: hover a line").arg(left_out);
        painter->drawText(QPointF(plot.right() - fm.horizontalAdvance(more) - 2,
                                  plot.bottom() - fm.descent() - 2),
                          more);
    }
    painter->restore();
}

}  // namespace stdp::gui
