#include "ReceptiveFieldMosaic.h"

#include <QMouseEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "FieldImage.h"

namespace stdp::gui {

namespace {
constexpr int kGap = 2;  // pixels between fields
constexpr int kMargin = 4;
constexpr int kBackgroundGrey = 48;  // dark frame around light fields reads best
const QColor kSelectedColour(255, 140, 0);
const QColor kDeadColour(220, 40, 40);
const QColor kDominantColour(40, 120, 255);
}  // namespace

ReceptiveFieldMosaic::ReceptiveFieldMosaic(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setToolTip(
        tr("Receptive fields: one square per neuron (white = strong weight). "
           "Click a field to inspect its neuron. Red corner = dead, blue = dominant."));
    setCursor(Qt::PointingHandCursor);
}

void ReceptiveFieldMosaic::setSnapshot(std::shared_ptr<const FieldsSnapshot> snapshot) {
    snapshot_ = std::move(snapshot);
    render();
    update();
}

void ReceptiveFieldMosaic::setContrast(Contrast contrast) {
    contrast_ = contrast;
    render();
    update();
}

void ReceptiveFieldMosaic::setSelected(int neuron) {
    selected_ = neuron;
    update();
}

void ReceptiveFieldMosaic::resizeEvent(QResizeEvent*) {
    render();
}

void ReceptiveFieldMosaic::render() {
    if (!snapshot_ || snapshot_->units() == 0) {
        image_ = {};
        return;
    }
    const FieldsSnapshot& s = *snapshot_;
    const int units = s.units();
    const int p = s.patch_size;
    const int avail_w = std::max(1, width() - 2 * kMargin);
    const int avail_h = std::max(1, height() - 2 * kMargin);
    // Pick the column count that gives the largest fields in this widget's aspect ratio.
    int best_cell = -1;
    for (int cols = 1; cols <= units; ++cols) {
        const int rows = (units + cols - 1) / cols;
        const int cell = std::min((avail_w - kGap) / cols, (avail_h - kGap) / rows) - kGap;
        if (cell > best_cell) {
            best_cell = cell;
            columns_ = cols;
        }
    }
    scale_ = std::max(1, best_cell / p);
    cell_ = scale_ * p;
    const int rows = (units + columns_ - 1) / columns_;
    const int w = columns_ * (cell_ + kGap) + kGap;
    const int h = rows * (cell_ + kGap) + kGap;
    image_ = QImage(w, h, QImage::Format_Grayscale8);
    image_.fill(kBackgroundGrey);

    std::vector<float> v;
    GreyRange shared{0.0f, 1.0f};
    if (s.onoff) {
        float m = 0.0f;
        for (int j = 0; j < units; ++j) {
            fieldValues(s.weights, j, p, true, v);
            const GreyRange r = valueRange(v, true);
            m = std::max(m, r.hi);
        }
        shared = {-m, m};
    }
    for (int j = 0; j < units; ++j) {
        fieldValues(s.weights, j, p, s.onoff, v);
        const GreyRange range = contrast_ == Contrast::Shared ? shared : valueRange(v, s.onoff);
        const int x0 = kGap + (j % columns_) * (cell_ + kGap);
        const int y0 = kGap + (j / columns_) * (cell_ + kGap);
        for (int r = 0; r < p; ++r) {
            for (int c = 0; c < p; ++c) {
                const auto g =
                    static_cast<uchar>(greyLevel(v[static_cast<std::size_t>(r * p + c)], range));
                for (int yy = 0; yy < scale_; ++yy) {
                    uchar* line = image_.scanLine(y0 + r * scale_ + yy) + x0 + c * scale_;
                    std::fill(line, line + scale_, g);
                }
            }
        }
    }
    origin_ = {(width() - w) / 2, (height() - h) / 2};
}

QRect ReceptiveFieldMosaic::cellRect(int j) const {
    if (image_.isNull() || j < 0)
        return {};
    return {origin_.x() + kGap + (j % columns_) * (cell_ + kGap),
            origin_.y() + kGap + (j / columns_) * (cell_ + kGap), cell_, cell_};
}

int ReceptiveFieldMosaic::neuronAt(QPoint pos) const {
    if (!snapshot_ || image_.isNull())
        return -1;
    const QPoint rel = pos - origin_ - QPoint(kGap, kGap);
    if (rel.x() < 0 || rel.y() < 0)
        return -1;
    const int col = rel.x() / (cell_ + kGap);
    const int row = rel.y() / (cell_ + kGap);
    if (col >= columns_)
        return -1;
    const int j = row * columns_ + col;
    return j < snapshot_->units() ? j : -1;
}

void ReceptiveFieldMosaic::mousePressEvent(QMouseEvent* event) {
    const int j = neuronAt(event->position().toPoint());
    if (j < 0)
        return;
    setSelected(j);
    emit neuronSelected(j);
}

void ReceptiveFieldMosaic::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    if (image_.isNull()) {
        painter.drawText(rect(), Qt::AlignCenter, tr("No network yet"));
        return;
    }
    painter.drawImage(origin_, image_);
    const int mark = std::max(4, cell_ / 5);
    for (int j = 0; j < snapshot_->units(); ++j) {
        const NeuronFlag flag = neuronFlag(*snapshot_, j);
        if (flag == NeuronFlag::Normal)
            continue;
        const QRect r = cellRect(j);
        painter.fillRect(QRect(r.topLeft(), QSize(mark, mark)),
                         flag == NeuronFlag::Dead ? kDeadColour : kDominantColour);
    }
    if (selected_ >= 0 && selected_ < snapshot_->units()) {
        painter.setPen(QPen(kSelectedColour, 2));
        painter.drawRect(cellRect(selected_).adjusted(-1, -1, 1, 1));
    }
}

}  // namespace stdp::gui
