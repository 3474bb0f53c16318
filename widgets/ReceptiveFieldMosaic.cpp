#include "ReceptiveFieldMosaic.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QResizeEvent>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

#include "FieldImage.h"

namespace stdp::gui {

namespace {
constexpr int kMinGap = 2;  // pixels between fields: a flag frame of 1 pixel on each side
constexpr int kMaxGap = 8;
constexpr int kGapDivisor = 8;  // larger fields get wider gaps, so their flag frames stay visible
constexpr int kMargin = 4;
constexpr int kMinFitSide = 120;
// A field smaller than this on screen is a smudge (an 8 x 8 patch at 1 pixel per weight): the
// panel asks the window for the room to fit every field at least this large.
constexpr int kReadableFieldPixels = 16;
// ...but never more than this for it (K = 1024 would claim the whole height).
constexpr int kMaxReadableRoom = 240;
constexpr int kFitHintSide = 420;
constexpr int kBackgroundGrey = 48;  // dark frame around light fields reads best
// Zoom levels in screen pixels per weight pixel; a zoomed mosaic never exceeds these bounds.
constexpr int kZoomLevels[] = {1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 40, 48, 64};
constexpr int kMaxFieldPixels = 320;
constexpr qint64 kMaxImagePixels = 16'000'000;
const QColor kSelectedColour(255, 140, 0);
const QColor kHighlightColour(0, 190, 120);
const QColor kDeadColour(220, 40, 40);
const QColor kDominantColour(40, 120, 255);

// A frame `thickness` pixels wide just outside `r`: it never covers the field itself.
void frameOutside(QPainter& painter, const QRect& r, int thickness, const QColor& colour) {
    const int t = thickness;
    painter.fillRect(QRect(r.left() - t, r.top() - t, r.width() + 2 * t, t), colour);
    painter.fillRect(QRect(r.left() - t, r.bottom() + 1, r.width() + 2 * t, t), colour);
    painter.fillRect(QRect(r.left() - t, r.top(), t, r.height()), colour);
    painter.fillRect(QRect(r.right() + 1, r.top(), t, r.height()), colour);
}
}  // namespace

ReceptiveFieldMosaic::ReceptiveFieldMosaic(QWidget* parent) : QWidget(parent) {
    // For Help > Keyboard shortcuts; keyPressEvent and wheelEvent handle them.
    setProperty("keyHelp", QStringList{tr("Mosaic: zoom in / out / fit (mosaic focused)\t+, −, 0"),
                                       tr("Mosaic: zoom under the mouse\tCtrl+wheel")});
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setToolTip(
        tr("Receptive fields: one square per neuron (white = strong weight). "
           "Click a field to inspect its neuron; hover it for its wins and θ. Red frame = dead, "
           "blue = dominant. Ctrl+wheel or + / − zoom, 0 fits all fields."));
    setCursor(Qt::PointingHandCursor);
    setMouseTracking(true);
    setFocusPolicy(Qt::ClickFocus);
}

void ReceptiveFieldMosaic::setSnapshot(std::shared_ptr<const FieldsSnapshot> snapshot) {
    const bool new_shape = !snapshot_ || !snapshot || snapshot->units() != snapshot_->units() ||
                           snapshot->patch_size != snapshot_->patch_size;
    snapshot_ = std::move(snapshot);
    if (new_shape && zoom_ > 0)
        updateGeometry();  // a zoomed mosaic's height depends on K and p
    render();
    update();
    if (new_shape)
        emit zoomChanged(-1, {-1, -1});  // how far it can zoom depends on K and p too
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

void ReceptiveFieldMosaic::setDrawingScale(double scale) {
    drawing_scale_ = std::max(1.0, scale);
    updateGeometry();
    render();
    update();
}

void ReceptiveFieldMosaic::resizeEvent(QResizeEvent* event) {
    render();
    // The fitted minimum height depends on the width (the rows the fields take at one pixel).
    if (zoom_ == 0 && event->size().width() != event->oldSize().width())
        updateGeometry();
}

int ReceptiveFieldMosaic::patchSize() const {
    return snapshot_ ? std::max(1, snapshot_->patch_size) : 1;
}

int ReceptiveFieldMosaic::gapFor(int cell) const {
    const int scaled = static_cast<int>(std::lround(kMinGap * drawing_scale_));
    return std::clamp(cell / kGapDivisor, std::max(kMinGap, scaled), std::max(kMaxGap, scaled));
}

int ReceptiveFieldMosaic::fitScale(QSize area) const {
    if (!snapshot_ || snapshot_->units() == 0)
        return 1;
    const int units = snapshot_->units();
    const int p = patchSize();
    const int aw = area.width() - 2 * kMargin;
    const int ah = area.height() - 2 * kMargin;
    for (int s = std::max(1, std::min(aw, ah) / p); s > 1; --s) {
        const int cell = s * p;
        const int gap = gapFor(cell);
        const int cols = std::min(units, (aw - gap) / (cell + gap));
        if (cols < 1)
            continue;
        const int rows = (units + cols - 1) / cols;
        if (rows * (cell + gap) + gap <= ah)
            return s;
    }
    return 1;
}

QSize ReceptiveFieldMosaic::visibleArea() const {
    const QWidget* parent = parentWidget();
    if (parent && parent->objectName() == QLatin1String("qt_scrollarea_viewport"))
        return parent->size();
    return size();
}

void ReceptiveFieldMosaic::render() {
    if (!snapshot_ || snapshot_->units() == 0) {
        image_ = {};
        return;
    }
    const FieldsSnapshot& s = *snapshot_;
    const int units = s.units();
    const int p = s.patch_size;
    if (zoom_ == 0) {
        scale_ = fitScale(size());
        cell_ = scale_ * p;
        gap_ = gapFor(cell_);
        // The fewest columns whose rows still fit the height: the grid as square as it can be.
        const int ah = height() - 2 * kMargin;
        const int max_cols =
            std::clamp((width() - 2 * kMargin - gap_) / (cell_ + gap_), 1, std::max(1, units));
        columns_ = max_cols;
        for (int cols = 1; cols <= max_cols; ++cols)
            if (((units + cols - 1) / cols) * (cell_ + gap_) + gap_ <= ah) {
                columns_ = cols;
                break;
            }
    } else {
        scale_ = shownZoom();
        cell_ = scale_ * p;
        gap_ = gapFor(cell_);
        columns_ = std::clamp((width() - 2 * kMargin - gap_) / (cell_ + gap_), 1, units);
    }
    const int rows = (units + columns_ - 1) / columns_;
    const int w = columns_ * (cell_ + gap_) + gap_;
    const int h = rows * (cell_ + gap_) + gap_;
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
        const int x0 = gap_ + (j % columns_) * (cell_ + gap_);
        const int y0 = gap_ + (j / columns_) * (cell_ + gap_);
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
    origin_ = {std::max(0, (width() - w) / 2),
               zoom_ == 0 ? std::max(0, (height() - h) / 2) : kMargin};
}

QSize ReceptiveFieldMosaic::sizeHint() const {
    if (zoom_ == 0)
        return {kFitHintSide, kFitHintSide};
    return {kFitHintSide, heightForWidth(kFitHintSide)};
}

QSize ReceptiveFieldMosaic::minimumSizeHint() const {
    // Fitted, the mosaic follows the scroll area's viewport down to fields of one pixel per
    // weight: a fixed minimum taller than the viewport made the fitted mosaic scroll and showed
    // 3 of its 4 rows (K = 64 at 1280x720).
    if (zoom_ == 0)
        return {kMinFitSide,
                std::min(kMinFitSide, fitHeight(1, width() > 0 ? width() : kMinFitSide))};
    // A zoomed field is never cut: one column at least (the scroll area scrolls sideways).
    const int cell = shownZoom() * patchSize();
    const int side = cell + 2 * gapFor(cell) + 2 * kMargin;
    return {side, side};
}

int ReceptiveFieldMosaic::heightForWidth(int width) const {
    if (zoom_ == 0 || !snapshot_ || snapshot_->units() == 0)
        return kMinFitSide;
    const int units = snapshot_->units();
    const int cell = shownZoom() * patchSize();
    const int gap = gapFor(cell);
    const int cols = std::clamp((width - 2 * kMargin - gap) / (cell + gap), 1, units);
    const int rows = (units + cols - 1) / cols;
    return rows * (cell + gap) + gap + 2 * kMargin;
}

int ReceptiveFieldMosaic::fitHeight(int scale, int width) const {
    if (!snapshot_ || snapshot_->units() == 0)
        return 0;
    const int units = snapshot_->units();
    const int cell = scale * patchSize();
    const int gap = gapFor(cell);
    const int cols = std::clamp((width - 2 * kMargin - gap) / (cell + gap), 1, units);
    const int rows = (units + cols - 1) / cols;
    return rows * (cell + gap) + gap + 2 * kMargin;
}

int ReceptiveFieldMosaic::readableFitHeight(int width) const {
    const int scale = std::max(1, (kReadableFieldPixels + patchSize() - 1) / patchSize());
    return std::min(fitHeight(scale, width), kMaxReadableRoom);
}

int ReceptiveFieldMosaic::maxZoom() const {
    // The largest level whose fields and whole image stay within bounds (K or p may have grown
    // since the zoom was chosen).
    const qint64 units = snapshot_ ? std::max(1, snapshot_->units()) : 1;
    int best = kZoomLevels[0];
    for (int level : kZoomLevels) {
        const qint64 cell = static_cast<qint64>(level) * patchSize();
        const qint64 step = cell + gapFor(static_cast<int>(cell));
        if (cell > kMaxFieldPixels || step * step * units > kMaxImagePixels)
            break;
        best = level;
    }
    return best;
}

int ReceptiveFieldMosaic::shownZoom() const {
    return zoom_ == 0 ? 0 : std::min(zoom_, maxZoom());
}

bool ReceptiveFieldMosaic::canZoomIn() const {
    if (!snapshot_ || snapshot_->units() == 0)
        return false;
    const int current = zoom_ > 0 ? shownZoom() : fitScale(visibleArea());
    const int* next = std::upper_bound(std::begin(kZoomLevels), std::end(kZoomLevels), current);
    return next != std::end(kZoomLevels) && *next <= maxZoom();
}

int ReceptiveFieldMosaic::steppedZoom(bool in) const {
    if (in) {
        if (!canZoomIn())
            return zoom_;
        const int current = zoom_ > 0 ? shownZoom() : fitScale(visibleArea());
        return *std::upper_bound(std::begin(kZoomLevels), std::end(kZoomLevels), current);
    }
    if (zoom_ == 0)
        return 0;
    // Below the fitted size a zoom would only waste space: the step after the last is Fit.
    const int* it = std::lower_bound(std::begin(kZoomLevels), std::end(kZoomLevels), shownZoom());
    if (it == std::begin(kZoomLevels) || *(it - 1) <= fitScale(visibleArea()))
        return 0;
    return *(it - 1);
}

void ReceptiveFieldMosaic::zoomIn() {
    if (const int z = steppedZoom(true); z != zoom_)
        applyZoom(z, selected_, {-1, -1});
}

void ReceptiveFieldMosaic::zoomOut() {
    if (const int z = steppedZoom(false); z != zoom_)
        applyZoom(z, selected_, {-1, -1});
}

void ReceptiveFieldMosaic::fitToView() {
    if (zoom_ != 0)
        applyZoom(0, selected_, {-1, -1});
}

void ReceptiveFieldMosaic::setZoom(int pixels_per_weight) {
    applyZoom(std::clamp(pixels_per_weight, 0, kZoomLevels[std::size(kZoomLevels) - 1]), selected_,
              {-1, -1});
}

void ReceptiveFieldMosaic::applyZoom(int pixels_per_weight, int anchor_neuron, QPoint anchor) {
    zoom_ = pixels_per_weight;
    QSizePolicy policy = sizePolicy();
    policy.setHeightForWidth(zoom_ > 0);
    setSizePolicy(policy);
    updateGeometry();
    render();
    update();
    emit zoomChanged(anchor_neuron, anchor);
}

QRect ReceptiveFieldMosaic::cellRect(int j) const {
    if (image_.isNull() || j < 0)
        return {};
    return {origin_.x() + gap_ + (j % columns_) * (cell_ + gap_),
            origin_.y() + gap_ + (j / columns_) * (cell_ + gap_), cell_, cell_};
}

int ReceptiveFieldMosaic::neuronAt(QPoint pos) const {
    if (!snapshot_ || image_.isNull())
        return -1;
    const QPoint rel = pos - origin_ - QPoint(gap_, gap_);
    if (rel.x() < 0 || rel.y() < 0)
        return -1;
    const int col = rel.x() / (cell_ + gap_);
    const int row = rel.y() / (cell_ + gap_);
    if (col >= columns_)
        return -1;
    const int j = row * columns_ + col;
    return j < snapshot_->units() ? j : -1;
}

QString ReceptiveFieldMosaic::hoverText(QPoint pos) const {
    const int j = neuronAt(pos);
    if (j < 0)
        return {};
    const FieldsSnapshot& s = *snapshot_;
    const auto at = static_cast<std::size_t>(j);
    QString text = tr("Neuron %1 · wins %2").arg(j).arg(at < s.wins.size() ? s.wins[at] : 0);
    if (at < s.recent_wins.size() && s.recent_steps > 0)
        text += tr(" (%1 in the last %2 steps)").arg(s.recent_wins[at]).arg(s.recent_steps);
    text += tr(" · θ_%1 = %2").arg(j).arg(static_cast<double>(s.threshold(j)), 0, 'f', 4);
    switch (neuronFlag(s, j)) {
        case NeuronFlag::Dead:
            text += tr(" · dead (no recent win)");
            break;
        case NeuronFlag::Dominant:
            text += tr(" · dominant (> %1x its share)").arg(kDominantShare);
            break;
        case NeuronFlag::Normal:
            break;
    }
    if (j < tags_.size() && !tags_[j].name.isEmpty())
        text += QStringLiteral(" · ") + tags_[j].name;
    return text;
}

bool ReceptiveFieldMosaic::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = hoverText(help->pos());
        if (!text.isEmpty()) {
            QToolTip::showText(help->globalPos(), text, this, cellRect(neuronAt(help->pos())));
            return true;
        }
    }
    return QWidget::event(event);
}

void ReceptiveFieldMosaic::mousePressEvent(QMouseEvent* event) {
    const int j = neuronAt(event->position().toPoint());
    if (j < 0)
        return;
    setSelected(j);
    emit neuronSelected(j);
}

void ReceptiveFieldMosaic::mouseMoveEvent(QMouseEvent* event) {
    emit hovered(hoverText(event->position().toPoint()));
}

void ReceptiveFieldMosaic::leaveEvent(QEvent*) {
    emit hovered(QString());
}

void ReceptiveFieldMosaic::wheelEvent(QWheelEvent* event) {
    if (!(event->modifiers() & Qt::ControlModifier) || event->angleDelta().y() == 0) {
        event->ignore();  // a plain wheel scrolls the scroll area around the mosaic
        return;
    }
    const QPoint pos = event->position().toPoint();
    if (const int z = steppedZoom(event->angleDelta().y() > 0); z != zoom_)
        applyZoom(z, neuronAt(pos), mapToParent(pos));
    event->accept();
}

void ReceptiveFieldMosaic::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
        case Qt::Key_Plus:
        case Qt::Key_Equal:
            zoomIn();
            break;
        case Qt::Key_Minus:
            zoomOut();
            break;
        case Qt::Key_0:
            fitToView();
            break;
        default:
            QWidget::keyPressEvent(event);
    }
}

void ReceptiveFieldMosaic::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    if (image_.isNull()) {
        painter.drawText(rect(), Qt::AlignCenter, tr("No network yet"));
        return;
    }
    painter.drawImage(origin_, image_);
    // Flags and the selection sit in the gap around a field, so they never hide its weights.
    const int flag = std::max(1, gap_ / 2);
    for (int j = 0; j < snapshot_->units(); ++j) {
        const NeuronFlag f = neuronFlag(*snapshot_, j);
        if (f != NeuronFlag::Normal)
            frameOutside(painter, cellRect(j), flag,
                         f == NeuronFlag::Dead ? kDeadColour : kDominantColour);
    }
    // A corner tag, outlined so that it reads on any grey; a sixteenth of the field's area.
    const int tag = std::max(4, cell_ / 4);
    for (int j = 0; j < std::min(snapshot_->units(), static_cast<int>(tags_.size())); ++j) {
        if (!tags_[j].colour.isValid())
            continue;
        const QRect r = cellRect(j);
        painter.fillRect(QRect(r.left(), r.top(), tag, tag), QColor(20, 20, 20));
        painter.fillRect(QRect(r.left(), r.top(), tag - 1, tag - 1), tags_[j].colour);
    }
    for (const int j : highlighted_)
        if (j >= 0 && j < snapshot_->units())
            frameOutside(painter, cellRect(j), std::max(2, gap_ / 2 + 1), kHighlightColour);
    if (selected_ >= 0 && selected_ < snapshot_->units())
        frameOutside(painter, cellRect(selected_), std::max(2, gap_ / 2 + 1), kSelectedColour);
}

void ReceptiveFieldMosaic::setTags(const QVector<FieldTag>& tags) {
    tags_ = tags;
    update();
}

void ReceptiveFieldMosaic::setHighlighted(const QVector<int>& neurons) {
    if (neurons == highlighted_)
        return;
    highlighted_ = neurons;
    update();
}

}  // namespace stdp::gui
