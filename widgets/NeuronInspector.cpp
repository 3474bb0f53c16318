#include "NeuronInspector.h"

#include <QPainter>
#include <algorithm>

#include "FieldImage.h"

namespace stdp::gui {

namespace {
constexpr int kMargin = 8;
constexpr int kMaxFieldSide = 240;
}  // namespace

NeuronInspector::NeuronInspector(QWidget* parent) : QWidget(parent) {
    setToolTip(
        tr("The selected neuron: its receptive field stretched to its own range, its "
           "threshold and how often it wins the competition."));
}

void NeuronInspector::setSnapshot(std::shared_ptr<const FieldsSnapshot> snapshot) {
    snapshot_ = std::move(snapshot);
    update();
}

void NeuronInspector::setNeuron(int neuron) {
    neuron_ = std::max(0, neuron);
    update();
}

QRect NeuronInspector::fieldRect() const {
    const int side = std::min({height() - 2 * kMargin, width() / 2 - kMargin, kMaxFieldSide});
    return {kMargin, kMargin, std::max(0, side), std::max(0, side)};
}

QStringList NeuronInspector::lines() const {
    if (!snapshot_ || neuron_ >= snapshot_->units())
        return {tr("No neuron selected")};
    const FieldsSnapshot& s = *snapshot_;
    const int j = neuron_;
    const auto col = s.weights.col(j);
    QStringList out;
    out << tr("Neuron %1 of %2").arg(j).arg(s.units());
    out << tr("θ = %1%2")
               .arg(static_cast<double>(s.threshold(j)), 0, 'f', 4)
               .arg(s.thresholds.size() == 1 ? tr(" (global)") : QString());
    const auto wins = j < static_cast<int>(s.wins.size()) ? s.wins[static_cast<std::size_t>(j)] : 0;
    out << tr("wins since reset: %1").arg(wins);
    if (!s.recent_wins.empty() && s.recent_steps > 0) {
        std::uint64_t total = 0;
        for (auto w : s.recent_wins)
            total += w;
        const auto recent = s.recent_wins[static_cast<std::size_t>(j)];
        const double share = total ? 100.0 * static_cast<double>(recent) / double(total) : 0.0;
        out << tr("recent wins: %1 (%2 % of all, fair share %3 %)")
                   .arg(recent)
                   .arg(share, 0, 'f', 1)
                   .arg(100.0 / s.units(), 0, 'f', 1);
    }
    if (j < static_cast<int>(s.raster_spikes.size()))
        out << tr("spikes in the raster window: %1")
                   .arg(s.raster_spikes[static_cast<std::size_t>(j)]);
    out << tr("weights: min %1  mean %2  max %3")
               .arg(static_cast<double>(col.minCoeff()), 0, 'f', 3)
               .arg(static_cast<double>(col.mean()), 0, 'f', 3)
               .arg(static_cast<double>(col.maxCoeff()), 0, 'f', 3);
    switch (neuronFlag(s, j)) {
        case NeuronFlag::Dead:
            out << tr("⚠ dead: has not won recently");
            break;
        case NeuronFlag::Dominant:
            out << tr("⚠ dominant: wins far more than its share");
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
    const QStringList text = lines();
    int y = kMargin + fontMetrics().ascent();
    const int x = field.right() + 2 * kMargin;
    for (int i = 0; i < text.size(); ++i) {
        painter.setFont(i == 0 ? bold : font());
        painter.drawText(x, y,
                         painter.fontMetrics().elidedText(text[i], Qt::ElideRight,
                                                          std::max(0, width() - x - 2)));
        y += fontMetrics().lineSpacing() + 2;
    }
}

}  // namespace stdp::gui
