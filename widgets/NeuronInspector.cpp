#include "NeuronInspector.h"

#include <QPainter>
#include <algorithm>

#include "FieldImage.h"
#include "TimeSeriesChart.h"

namespace stdp::gui {

namespace {
constexpr int kMargin = 8;
constexpr int kMaxFieldSide = 240;
constexpr int kSummaryLines = 7;      // room kept for the text, so the chart does not jump
constexpr int kChartMinHeight = 130;  // below, Qt Charts elides its axis labels
constexpr int kChartRefreshMs = 500;  // the history gains a sample per image: far more often
const QColor kThetaColour(200, 60, 20);
const QColor kWinsColour(40, 90, 200);
}  // namespace

NeuronInspector::NeuronInspector(QWidget* parent)
    : QWidget(parent),
      history_chart_(new TimeSeriesChart(QString(), tr("θ"), tr("wins / image"),
                                         QStringLiteral("neuron-history.csv"), this)) {
    setToolTip(
        tr("The selected neuron: its receptive field stretched to its own range, its "
           "threshold and how often it wins the competition; below, its threshold and its wins "
           "per image over the whole training so far."));
    chart_timer_.setSingleShot(true);
    connect(&chart_timer_, &QTimer::timeout, this, &NeuronInspector::showHistory);
    history_chart_->setMinimumHeight(kChartMinHeight);
    history_chart_->setXFromData(true);
    history_chart_->setCompact();
    history_chart_->chart()->legend()->setAlignment(Qt::AlignTop);
    history_chart_->setToolTip(
        tr("Over training (x = images seen): θ of this neuron (of the layer for a global "
           "threshold) and its wins per image between two samples. Samples thin out as the run "
           "grows, so the whole run stays in view."));
}

void NeuronInspector::setSnapshot(std::shared_ptr<const FieldsSnapshot> snapshot) {
    snapshot_ = std::move(snapshot);
    placeChart();
    update();
    if (!chartVisible() || chart_timer_.isActive())
        return;  // shown (showEvent) or due (the timer) later
    const qint64 since = charted_clock_.isValid() ? charted_clock_.elapsed() : kChartRefreshMs;
    if (since >= kChartRefreshMs)
        showHistory();
    else
        chart_timer_.start(static_cast<int>(kChartRefreshMs - since));
}

bool NeuronInspector::chartVisible() const {
    return isVisible() && !history_chart_->isHidden();
}

void NeuronInspector::showEvent(QShowEvent*) {
    showHistory();
}

void NeuronInspector::setNeuron(int neuron) {
    neuron_ = std::max(0, neuron);
    text_bottom_ = 0;
    placeChart();
    showHistory();
    update();
}

void NeuronInspector::setFieldNotes(const QStringList& notes) {
    if (notes == field_notes_)
        return;
    field_notes_ = notes;
    placeChart();
    update();
}

void NeuronInspector::setLastStep(StepTracePtr step) {
    last_step_ = std::move(step);
    placeChart();
    update();
}

int NeuronInspector::baseSummaryHeight() const {
    return 2 * kMargin + kSummaryLines * lineStep();
}

int NeuronInspector::summaryHeight() const {
    return std::max(baseSummaryHeight(), text_bottom_ + kMargin);
}

QVector<NeuronInspector::Row> NeuronInspector::rows() const {
    const QFontMetrics plain = fontMetrics();
    QFont bold_font = font();
    bold_font.setBold(true);
    const QFontMetrics bold(bold_font);
    const int field_bottom = fieldRect().bottom();
    const int indent = 2 * plain.averageCharWidth();  // a wrapped line's continuation
    QVector<Row> out;
    int y = kMargin + plain.ascent();
    const QList<QStringList> forms = lineForms();
    for (int i = 0; i < forms.size(); ++i) {
        const QFontMetrics& fm = i == 0 ? bold : plain;
        bool continued = false;
        const auto place = [&](int& x, int& room) {
            const bool beside = y - plain.ascent() <= field_bottom;
            x = (beside ? textLeft() : kMargin) + (continued ? indent : 0);
            room = std::max(0, width() - x - 2);
        };
        // The longest form that fits one row; else the shortest, wrapped at its words.
        int first_x = 0;
        int first_room = 0;
        place(first_x, first_room);
        const auto fits = std::find_if(forms[i].begin(), forms[i].end(), [&](const QString& f) {
            return fm.horizontalAdvance(f) <= first_room;
        });
        const QString& text = fits != forms[i].end() ? *fits : forms[i].back();
        const QStringList words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        QString row;
        for (qsizetype w = 0; w < words.size(); ++w) {
            int x = 0;
            int room = 0;
            place(x, room);
            const QString longer = row.isEmpty() ? words[w] : row + QLatin1Char(' ') + words[w];
            if (row.isEmpty() || fm.horizontalAdvance(longer) <= room) {
                row = longer;
                continue;
            }
            out.push_back({row, {x, y}, room, i == 0});
            y += lineStep();
            continued = true;
            row = words[w];
        }
        int x = 0;
        int room = 0;
        place(x, room);
        out.push_back({row, {x, y}, room, i == 0});
        y += lineStep();
    }
    return out;
}

void NeuronInspector::placeChart() {
    const QVector<Row> r = rows();
    const int bottom = r.isEmpty() ? 0 : r.back().baseline.y() + fontMetrics().descent();
    const int before = summaryHeight();
    text_bottom_ = std::max(text_bottom_, bottom);
    if (summaryHeight() != before)
        resizeEvent(nullptr);
}

void NeuronInspector::resizeEvent(QResizeEvent* event) {
    if (event)  // a new width: the text may take less room now
        text_bottom_ = 0;
    if (event)
        placeChart();
    // Too short for a readable chart (a small screen): the numbers only, until it is made taller.
    const int top = summaryHeight();
    history_chart_->setGeometry(0, top, width(), std::max(0, height() - top));
    const bool was_hidden = history_chart_->isHidden();
    history_chart_->setVisible(height() - top >= kChartMinHeight);
    if (was_hidden && !history_chart_->isHidden())
        showHistory();
}

bool NeuronInspector::historyShown() const {
    return !history_chart_->isHidden();
}

void NeuronInspector::showHistory() {
    const std::shared_ptr<const NeuronHistory> history =
        snapshot_ && neuron_ < snapshot_->units() ? snapshot_->history : nullptr;
    if (history == charted_ && neuron_ == charted_neuron_)
        return;
    charted_ = history;
    charted_neuron_ = neuron_;
    charted_clock_.start();
    chart_timer_.stop();
    auto chart = std::make_shared<ChartData>();
    if (history && neuron_ < history->units) {
        ChartSeries theta;
        theta.name =
            history->global_theta ? tr("θ (the layer's: global)") : tr("θ_%1").arg(neuron_);
        theta.color = kThetaColour;
        theta.points = history->thetaSeries(neuron_);
        ChartSeries wins;
        wins.name = tr("wins per image");
        wins.color = kWinsColour;
        wins.right_axis = true;
        wins.points = history->winsPerImageSeries(neuron_);
        chart->series = {std::move(theta), std::move(wins)};
    }
    history_chart_->setData(std::move(chart));
}

QRect NeuronInspector::fieldRect() const {
    // A short inspector (1280x720) shows the whole field, and leaves its text more room.
    const int side = std::min({baseSummaryHeight() - 2 * kMargin, height() - 2 * kMargin,
                               width() / 2 - kMargin, kMaxFieldSide});
    return {kMargin, kMargin, std::max(0, side), std::max(0, side)};
}

QStringList NeuronInspector::lines() const {
    QStringList out;
    for (const QStringList& forms : lineForms())
        out << forms.front();
    return out;
}

QList<QStringList> NeuronInspector::lineForms() const {
    if (!snapshot_ || neuron_ >= snapshot_->units())
        return {{tr("No neuron selected")}};
    const FieldsSnapshot& s = *snapshot_;
    const int j = neuron_;
    const auto col = s.weights.col(j);
    QList<QStringList> out;
    out << QStringList{tr("Neuron %1 of %2").arg(j).arg(s.units())};
    const QString theta = QString::number(static_cast<double>(s.threshold(j)), 'f', 4);
    if (s.thresholds.size() == 1)
        out << QStringList{tr("θ = %1 (global: the layer's)").arg(theta),
                           tr("θ = %1 (global)").arg(theta)};
    else
        out << QStringList{tr("θ = %1").arg(theta)};
    const auto wins = j < static_cast<int>(s.wins.size()) ? s.wins[static_cast<std::size_t>(j)] : 0;
    QString wins_line = tr("wins since reset: %1").arg(wins);
    QString wins_short = tr("wins %1").arg(wins);
    if (s.history && s.history->samples() > 1) {
        const NeuronHistory& h = *s.history;
        const std::size_t last = h.samples() - 1;
        const double span = h.images[last] - h.images[last - 1];
        if (span > 0.0) {
            const double lately =
                static_cast<double>(h.winsAt(last, j) - h.winsAt(last - 1, j)) / span;
            wins_line += tr(", %1 per image lately").arg(lately, 0, 'g', 3);
            wins_short += tr(", %1/image").arg(lately, 0, 'g', 3);
        }
    }
    out << QStringList{wins_line, wins_short};
    if (!s.recent_wins.empty() && s.recent_steps > 0) {
        std::uint64_t total = 0;
        for (auto w : s.recent_wins)
            total += w;
        const auto recent = s.recent_wins[static_cast<std::size_t>(j)];
        const double share = total ? 100.0 * static_cast<double>(recent) / double(total) : 0.0;
        QString line = tr("recent wins: %1 (%2 % of all, fair share %3 %)")
                           .arg(recent)
                           .arg(share, 0, 'f', 1)
                           .arg(100.0 / s.units(), 0, 'f', 1);
        QString brief = tr("recent %1 (%2 %, fair %3 %)")
                            .arg(recent)
                            .arg(share, 0, 'f', 1)
                            .arg(100.0 / s.units(), 0, 'f', 1);
        if (j < static_cast<int>(s.raster_spikes.size())) {
            const auto raster = s.raster_spikes[static_cast<std::size_t>(j)];
            line += tr("; %1 in the raster").arg(raster);
            brief += tr("; raster %1").arg(raster);
        }
        out << QStringList{line, brief};
    } else if (j < static_cast<int>(s.raster_spikes.size())) {
        const auto raster = s.raster_spikes[static_cast<std::size_t>(j)];
        out << QStringList{tr("spikes in the raster window: %1").arg(raster),
                           tr("raster spikes: %1").arg(raster)};
    }
    const QString lo = QString::number(static_cast<double>(col.minCoeff()), 'f', 3);
    const QString mean = QString::number(static_cast<double>(col.mean()), 'f', 3);
    const QString hi = QString::number(static_cast<double>(col.maxCoeff()), 'f', 3);
    out << QStringList{tr("weights: min %1  mean %2  max %3").arg(lo, mean, hi),
                       tr("w %1 … %2, mean %3").arg(lo, hi, mean)};
    if (j < field_notes_.size() && !field_notes_[j].isEmpty())
        out << QStringList{field_notes_[j]};
    if (last_step_ && j < last_step_->units && j < static_cast<int>(last_step_->potential.size())) {
        // Why, at the newest recorded step: the softmax value against the threshold.
        const StepTrace& t = *last_step_;
        const auto k = static_cast<std::size_t>(j);
        const float theta_then = t.theta_before.size() == 1 ? t.theta_before[0] : t.theta_before[k];
        const bool fired = std::find(t.fired.begin(), t.fired.end(), j) != t.fired.end();
        if (t.amplitude && j < static_cast<int>(t.fire_level.size()))
            // No softmax: U against the neuron's own level q |w_j|^2 (the largest excess fires).
            out << QStringList{tr("step %1: U = %2 %3 q‖w‖² = %4: %5")
                                   .arg(t.tick + 1)
                                   .arg(static_cast<double>(t.potential[k]), 0, 'g', 4)
                                   .arg(t.potential[k] >= t.fire_level[k] ? QStringLiteral("≥")
                                                                          : QStringLiteral("<"))
                                   .arg(static_cast<double>(t.fire_level[k]), 0, 'g', 4)
                                   .arg(fired ? tr("fired") : tr("silent"))};
        else
            out << QStringList{tr("step %1: U = %2, P = %3 %4 θ = %5: %6")
                                   .arg(t.tick + 1)
                                   .arg(static_cast<double>(t.potential[k]), 0, 'g', 4)
                                   .arg(static_cast<double>(t.softmax[k]), 0, 'g', 4)
                                   .arg(fired ? QStringLiteral("≥") : QStringLiteral("<"))
                                   .arg(static_cast<double>(theta_then), 0, 'g', 4)
                                   .arg(fired ? tr("fired") : tr("silent"))};
    } else {
        out << QStringList{tr("U, P of a step: open \"Inside one time step\""),
                           tr("U, P: see \"Inside one time step\"")};
    }
    if (!historyShown())
        out << QStringList{tr("θ and wins over training: drag the divider above up"),
                           tr("history: drag the divider up")};
    switch (neuronFlag(s, j)) {
        case NeuronFlag::Dead:
            out << QStringList{tr("⚠ dead: has not won recently"), tr("⚠ dead")};
            break;
        case NeuronFlag::Dominant:
            out << QStringList{tr("⚠ dominant: wins far more than its share"), tr("⚠ dominant")};
            break;
        case NeuronFlag::Normal:
            break;
    }
    return out;
}

void NeuronInspector::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    const QRect field = fieldRect();
    if (snapshot_ && neuron_ < snapshot_->units() && field.width() > 0) {
        std::vector<float> v;
        fieldValues(snapshot_->weights, neuron_, snapshot_->patch_size, snapshot_->onoff, v);
        const QImage img = greyImage(v, snapshot_->patch_size, snapshot_->patch_size,
                                     valueRange(v, snapshot_->onoff));
        painter.drawImage(field, img);  // nearest-neighbour: each weight stays a sharp square
        painter.setPen(palette().text().color());
        painter.drawRect(field.adjusted(0, 0, -1, -1));
    }
    painter.setPen(palette().text().color());
    QFont bold = font();
    bold.setBold(true);
    for (const Row& row : rows()) {
        painter.setFont(row.bold ? bold : font());
        // Only a single word wider than the whole inspector is cut.
        painter.drawText(row.baseline,
                         painter.fontMetrics().elidedText(row.text, Qt::ElideRight, row.room));
    }
}

int NeuronInspector::textLeft() const {
    return fieldRect().right() + 2 * kMargin;
}

}  // namespace stdp::gui
