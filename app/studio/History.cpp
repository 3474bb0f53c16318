#include "History.h"

#include <QObject>
#include <algorithm>

#include "TimeSeriesChart.h"

namespace stdp::studio {

namespace {
const QColor kThetaColour(200, 60, 20);
const QColor kMinMaxColour(230, 160, 120);
const QColor kRmseColour(30, 90, 180);
const QColor kTrColour(40, 150, 60);
const QColor kDeadColour(210, 40, 40);
const QColor kActivityColour(120, 60, 160);
}  // namespace

void History::clear() {
    *this = History();
}

void History::append(QList<QPointF>& series, QPointF point) {
    series.append(point);
    if (series.size() <= kMaxPoints)
        return;
    // Keep every other point (and always the newest).
    QList<QPointF> thinned;
    thinned.reserve(series.size() / 2 + 1);
    for (qsizetype i = 0; i < series.size(); i += 2)
        thinned.append(series[i]);
    if (thinned.back() != series.back())
        thinned.append(series.back());
    series = std::move(thinned);
}

void History::addSnapshot(const Snapshot& s) {
    per_neuron_ = s.settings.structure.theta_mode == ThresholdMode::PerNeuron;
    for (const ThresholdSample& t : s.theta_trace) {
        if (t.images <= last_x_ && !theta_mean_.isEmpty())
            continue;
        last_x_ = t.images;
        append(theta_mean_, {t.images, double(t.mean)});
        if (per_neuron_) {
            append(theta_min_, {t.images, double(t.min)});
            append(theta_max_, {t.images, double(t.max)});
        }
    }
    const double x = s.images_progress;
    if (x <= last_x_ && !theta_mean_.isEmpty()) {
        // No training progress, yet θ may have moved: steps on a presented input that the
        // network learns from, or θ set by hand while paused.
        showThresholdInPlace(s);
        return;
    }
    last_x_ = x;
    per_neuron_ = s.settings.structure.theta_mode == ThresholdMode::PerNeuron;
    append(theta_mean_, {x, double(s.theta_mean)});
    if (per_neuron_) {
        append(theta_min_, {x, double(s.theta_min)});
        append(theta_max_, {x, double(s.theta_max)});
    }
    if (s.counters.steps > 0)
        append(activity_, {x, s.spikes_per_step});
}

void History::showThresholdInPlace(const Snapshot& s) {
    const bool moved = theta_mean_.back().y() != double(s.theta_mean) ||
                       (per_neuron_ && !theta_min_.isEmpty() &&
                        (theta_min_.back().y() != double(s.theta_min) ||
                         theta_max_.back().y() != double(s.theta_max)));
    if (!moved)
        return;
    // The newest value at the same x, a vertical step: at most two points share an x (the value
    // before the presentation and the newest), however long it lasts.
    const auto place = [this](QList<QPointF>& series, double y) {
        const QPointF point(last_x_, y);
        const qsizetype n = series.size();
        if (n >= 2 && series[n - 1].x() == last_x_ && series[n - 2].x() == last_x_)
            series.back() = point;
        else
            append(series, point);
    };
    place(theta_mean_, double(s.theta_mean));
    if (per_neuron_ && !theta_min_.isEmpty()) {
        place(theta_min_, double(s.theta_min));
        place(theta_max_, double(s.theta_max));
    }
}

void History::addMetrics(const ReconstructionMetrics& m, double images) {
    // Two evaluation threads (EvaluationSchedule::insistent): a late result of an earlier network
    // state goes where it belongs on the axis.
    const auto place = [images](QList<QPointF>& series, double y) {
        if (series.isEmpty() || series.back().x() <= images) {
            append(series, {images, y});
            return;
        }
        const auto at = std::upper_bound(series.begin(), series.end(), images,
                                         [](double x, const QPointF& p) { return x < p.x(); });
        series.insert(at, QPointF(images, y));
    };
    place(rmse_, m.rmse);
    place(treves_rolls_, m.treves_rolls);
    place(dead_, m.dead_fraction);
}

void History::addMarker(double images, const QString& label) {
    // "mu=0.001" then "mu=0.0012" at the same moment (a slider dragged while paused, or within one
    // frame): the later value supersedes the earlier one.
    const QString key = label.section(QLatin1Char('='), 0, 0);
    if (!markers_.empty() && markers_.back().x == images &&
        markers_.back().label.section(QLatin1Char('='), 0, 0) == key) {
        markers_.back().label = label;
        return;
    }
    markers_.push_back({images, label});
    if (markers_.size() > kMaxMarkers)
        markers_.erase(markers_.begin(), markers_.begin() + (markers_.size() - kMaxMarkers));
}

std::shared_ptr<const gui::ChartData> History::thresholdData() const {
    auto d = std::make_shared<gui::ChartData>();
    if (per_neuron_) {
        d->series.push_back({QObject::tr("θ mean"), kThetaColour, false, theta_mean_});
        d->series.push_back({QObject::tr("θ min"), kMinMaxColour, false, theta_min_});
        d->series.push_back({QObject::tr("θ max"), kMinMaxColour, false, theta_max_});
    } else {
        d->series.push_back({QObject::tr("θ (global)"), kThetaColour, false, theta_mean_});
    }
    d->markers = markers_;
    return d;
}

std::shared_ptr<const gui::ChartData> History::errorData() const {
    auto d = std::make_shared<gui::ChartData>();
    d->series.push_back({QObject::tr("validation RMSE"), kRmseColour, false, rmse_});
    d->markers = markers_;
    // Rounded as the axis is, so that the data (and the chart) change only when the axis does.
    if (last_x_ > 0.0)
        d->x_extent = gui::TimeSeriesChart::roundAxisEnd(last_x_);
    return d;
}

std::shared_ptr<const gui::ChartData> History::codeData() const {
    auto d = std::make_shared<gui::ChartData>();
    d->series.push_back({QObject::tr("Treves–Rolls"), kTrColour, false, treves_rolls_});
    d->series.push_back({QObject::tr("dead fraction"), kDeadColour, false, dead_});
    d->series.push_back({QObject::tr("spikes/step (training)"), kActivityColour, true, activity_});
    d->markers = markers_;
    return d;
}

}  // namespace stdp::studio
