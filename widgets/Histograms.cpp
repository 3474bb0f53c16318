#include "Histograms.h"

#include <QPainter>
#include <QSaveFile>
#include <algorithm>
#include <cmath>

namespace stdp::gui {

namespace {
constexpr int kLeft = 48;
constexpr int kRight = 10;
constexpr int kTop = 22;
constexpr int kBottom = 22;
const QColor kBarColour(70, 110, 170);
const QColor kDeadColour(220, 40, 40);
const QColor kDominantColour(40, 120, 255);
const QColor kNormalColour(110, 110, 110);
// 37412 -> "37k": the axis label must fit the narrow left margin.
QString compactNumber(double v) {
    constexpr double kThousand = 1e3;
    constexpr double kMillion = 1e6;
    if (v >= kMillion)
        return QString::number(v / kMillion, 'f', 1) + QLatin1Char('M');
    if (v >= 10 * kThousand)
        return QString::number(v / kThousand, 'f', 0) + QLatin1Char('k');
    return QString::number(v, 'g', 4);
}
}  // namespace

QString writeTextFile(const QString& path, const QString& text) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text))
        return QObject::tr("cannot write '%1': %2").arg(path, file.errorString());
    file.write(text.toUtf8());
    if (!file.commit())
        return QObject::tr("cannot write '%1': %2").arg(path, file.errorString());
    return {};
}

BarChart::BarChart(QWidget* parent) : QWidget(parent) {}

QRect BarChart::plotRect() const {
    return {kLeft, kTop, std::max(1, width() - kLeft - kRight),
            std::max(1, height() - kTop - kBottom)};
}

double BarChart::axisTop() const {
    const double largest =
        values_.empty() ? 0.0 : *std::max_element(values_.begin(), values_.end());
    return largest > 0.0 ? largest : 1.0;
}

void BarChart::setBars(std::vector<double> values, std::vector<QColor> colours) {
    values_ = std::move(values);
    colours_ = std::move(colours);
    update();
}

QString BarChart::shownTitle() const {
    const QStringList all = titles();
    for (const QString& t : all)
        if (fontMetrics().horizontalAdvance(t) <= width())
            return t;
    return fontMetrics().elidedText(all.value(all.size() - 1), Qt::ElideRight, width());
}

void BarChart::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    painter.setPen(palette().text().color());
    painter.drawText(QRect(0, 2, width(), kTop - 4), Qt::AlignCenter, shownTitle());
    const QRect plot = plotRect();
    painter.setPen(QColor(160, 160, 160));
    painter.drawRect(plot.adjusted(0, 0, -1, -1));
    if (values_.empty())
        return;
    const double top = axisTop();
    const double bar_w = static_cast<double>(plot.width()) / static_cast<double>(values_.size());
    for (std::size_t i = 0; i < values_.size(); ++i) {
        const double h = values_[i] / top * (plot.height() - 1);
        const QRectF bar(plot.left() + static_cast<double>(i) * bar_w, plot.bottom() - h,
                         std::max(1.0, bar_w - (bar_w > 3.0 ? 1.0 : 0.0)), h);
        painter.fillRect(bar, i < colours_.size() ? colours_[i] : kBarColour);
    }
    painter.setPen(palette().text().color());
    painter.drawText(QRect(0, plot.top(), kLeft - 4, 16), Qt::AlignRight | Qt::AlignTop,
                     compactNumber(top));
    painter.drawText(QRect(0, plot.bottom() - 14, kLeft - 4, 16), Qt::AlignRight,
                     QStringLiteral("0"));
    painter.drawText(QRect(plot.left(), plot.bottom() + 2, plot.width() / 2, kBottom - 2),
                     Qt::AlignLeft | Qt::AlignTop, xLabel(0));
    painter.drawText(QRect(plot.center().x(), plot.bottom() + 2, plot.width() / 2, kBottom - 2),
                     Qt::AlignRight | Qt::AlignTop, xLabel(values_.size() - 1));
}

WeightHistogram::WeightHistogram(QWidget* parent) : BarChart(parent) {
    setToolTip(
        tr("Distribution of all weights. Learning pushes them towards 0 and 1: each weight "
           "converges to its input's spike probability when the neuron wins."));
}

void WeightHistogram::setSnapshot(std::shared_ptr<const FieldsSnapshot> snapshot) {
    if (!snapshot)
        return;
    const WeightMatrix& w = snapshot->weights;
    std::vector<double> bins(kBins, 0.0);
    lo_ = 0.0;
    hi_ = 1.0;
    const float* values = w.data();
    const auto n = static_cast<std::size_t>(w.size());
    for (std::size_t k = 0; k < n; ++k) {
        const int b = std::clamp(static_cast<int>(values[k] * kBins), 0, kBins - 1);
        bins[static_cast<std::size_t>(b)] += 1.0;
    }
    count_ = n;
    setBars(std::move(bins), {});
}

QStringList WeightHistogram::titles() const {
    return {tr("Weight histogram (%1 weights)").arg(count_), tr("Weight histogram")};
}

QString WeightHistogram::xLabel(std::size_t bar) const {
    return bar == 0 ? QString::number(lo_) : QString::number(hi_);
}

QString WeightHistogram::csv() const {
    QString out = QStringLiteral("bin_low,bin_high,count\n");
    const double width = (hi_ - lo_) / kBins;
    for (std::size_t i = 0; i < values_.size(); ++i)
        out += QStringLiteral("%1,%2,%3\n")
                   .arg(lo_ + width * static_cast<double>(i), 0, 'g', 6)
                   .arg(lo_ + width * static_cast<double>(i + 1), 0, 'g', 6)
                   .arg(values_[i], 0, 'f', 0);
    return out;
}

WinCounts::WinCounts(QWidget* parent) : BarChart(parent) {
    setToolTip(tr("How often each neuron won recently. Red = dead (never wins: its field cannot "
                  "learn), blue = dominant (wins more than %1x its share).")
                   .arg(kDominantShare));
}

void WinCounts::setSnapshot(std::shared_ptr<const FieldsSnapshot> snapshot) {
    snapshot_ = std::move(snapshot);
    if (!snapshot_)
        return;
    const int k = snapshot_->units();
    std::vector<double> v(static_cast<std::size_t>(k), 0.0);
    std::vector<QColor> c(static_cast<std::size_t>(k), kNormalColour);
    dead_ = 0;
    dominant_ = 0;
    for (int j = 0; j < k; ++j) {
        const auto idx = static_cast<std::size_t>(j);
        if (idx < snapshot_->recent_wins.size())
            v[idx] = static_cast<double>(snapshot_->recent_wins[idx]);
        switch (neuronFlag(*snapshot_, j)) {
            case NeuronFlag::Dead:
                c[idx] = kDeadColour;
                ++dead_;
                break;
            case NeuronFlag::Dominant:
                c[idx] = kDominantColour;
                ++dominant_;
                break;
            case NeuronFlag::Normal:
                break;
        }
    }
    setBars(std::move(v), std::move(c));
}

QStringList WinCounts::titles() const {
    if (!snapshot_)
        return {tr("Wins per neuron")};
    // The counts of dead and dominant neurons are what a glance looks for: they go last.
    const QString flags = tr("%1 dead, %2 dominant").arg(dead_).arg(dominant_);
    return {tr("Wins per neuron, last %1 steps — %2").arg(snapshot_->recent_steps).arg(flags),
            tr("Wins, last %1 steps — %2").arg(snapshot_->recent_steps).arg(flags),
            tr("Wins — %1").arg(flags), flags};
}

QString WinCounts::xLabel(std::size_t bar) const {
    return bar == 0 ? tr("neuron 0") : tr("neuron %1").arg(bar);
}

QString WinCounts::csv() const {
    QString out = QStringLiteral("neuron,recent_wins,total_wins,flag\n");
    if (!snapshot_)
        return out;
    for (int j = 0; j < snapshot_->units(); ++j) {
        const auto idx = static_cast<std::size_t>(j);
        const char* flag = "normal";
        switch (neuronFlag(*snapshot_, j)) {
            case NeuronFlag::Dead:
                flag = "dead";
                break;
            case NeuronFlag::Dominant:
                flag = "dominant";
                break;
            case NeuronFlag::Normal:
                break;
        }
        out += QStringLiteral("%1,%2,%3,%4\n")
                   .arg(j)
                   .arg(idx < snapshot_->recent_wins.size() ? snapshot_->recent_wins[idx] : 0)
                   .arg(idx < snapshot_->wins.size() ? snapshot_->wins[idx] : 0)
                   .arg(QLatin1String(flag));
    }
    return out;
}

}  // namespace stdp::gui
