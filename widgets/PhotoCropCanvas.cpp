#include "PhotoCropCanvas.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

#include "FieldImage.h"

namespace stdp::gui {

namespace {
const QColor kCropColour(255, 170, 0);
}  // namespace

PhotoCropCanvas::PhotoCropCanvas(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    setCursor(Qt::CrossCursor);
    setToolTip(tr("Press or drag with the left button to place the square; the wheel resizes it"));
}

void PhotoCropCanvas::setPhotograph(const Image& photo) {
    photo_ = photo;
    picture_ = greyImage(photo_.pixels, photo_.rows, photo_.cols, {0.0f, 1.0f});
    const int side = crop_.isEmpty() ? kDefaultSide : crop_.width();
    setCrop(QRect((photo_.cols - side) / 2, (photo_.rows - side) / 2, side, side));
    update();
}

void PhotoCropCanvas::setMinimumSide(int side) {
    minimum_side_ = std::max(1, side);
    if (hasPhotograph())
        setCrop(crop_);
}

void PhotoCropCanvas::setCrop(QRect crop) {
    if (!hasPhotograph())
        return;
    const int largest = std::min(photo_.rows, photo_.cols);
    const int side = std::clamp(std::max(crop.width(), crop.height()),
                                std::min(minimum_side_, largest), largest);
    const QRect clamped(std::clamp(crop.left(), 0, photo_.cols - side),
                        std::clamp(crop.top(), 0, photo_.rows - side), side, side);
    if (clamped == crop_)
        return;
    crop_ = clamped;
    update();
    emit cropChanged(crop_);
}

void PhotoCropCanvas::setSide(int side) {
    const QPoint c = crop_.center();
    setCrop(QRect(c.x() - side / 2, c.y() - side / 2, side, side));
}

Image PhotoCropCanvas::cropped() const {
    if (!hasPhotograph() || crop_.isEmpty())
        return {};
    return cropImage(photo_, crop_.top(), crop_.left(), crop_.width());
}

QRect PhotoCropCanvas::photoRect() const {
    if (!hasPhotograph())
        return {};
    // The whole photograph, as large as fits, its aspect kept.
    const double scale = std::min(static_cast<double>(width()) / photo_.cols,
                                  static_cast<double>(height()) / photo_.rows);
    const int w = static_cast<int>(photo_.cols * scale);
    const int h = static_cast<int>(photo_.rows * scale);
    return {(width() - w) / 2, (height() - h) / 2, w, h};
}

QPoint PhotoCropCanvas::toWidget(QPoint photo_pixel) const {
    const QRect r = photoRect();
    if (r.isEmpty())
        return {};
    return {r.left() + static_cast<int>((photo_pixel.x() + 0.5) * r.width() / photo_.cols),
            r.top() + static_cast<int>((photo_pixel.y() + 0.5) * r.height() / photo_.rows)};
}

QPoint PhotoCropCanvas::toPhoto(QPointF at) const {
    const QRect r = photoRect();
    if (r.isEmpty())
        return {};
    return {static_cast<int>(std::floor((at.x() - r.left()) * photo_.cols / r.width())),
            static_cast<int>(std::floor((at.y() - r.top()) * photo_.rows / r.height()))};
}

void PhotoCropCanvas::centreAt(QPoint p) {
    const int side = crop_.width();
    setCrop(QRect(p.x() - side / 2, p.y() - side / 2, side, side));
}

void PhotoCropCanvas::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const QRect r = photoRect();
    if (r.isEmpty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, tr("No photograph"));
        return;
    }
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    p.drawImage(r, picture_);
    // The crop: dim what is outside it, frame it.
    const double sx = static_cast<double>(r.width()) / photo_.cols;
    const double sy = static_cast<double>(r.height()) / photo_.rows;
    const QRect box = QRectF(r.left() + crop_.left() * sx, r.top() + crop_.top() * sy,
                             crop_.width() * sx, crop_.height() * sy)
                          .toAlignedRect();
    QRegion outside(r);
    outside -= QRegion(box);
    p.setClipRegion(outside);
    p.fillRect(r, QColor(0, 0, 0, 110));
    p.setClipping(false);
    p.setPen(QPen(kCropColour, 2));
    p.drawRect(box.adjusted(0, 0, -1, -1));
}

void PhotoCropCanvas::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton)
        centreAt(toPhoto(event->position()));
}

void PhotoCropCanvas::mouseMoveEvent(QMouseEvent* event) {
    if (event->buttons() & Qt::LeftButton)
        centreAt(toPhoto(event->position()));
}

void PhotoCropCanvas::wheelEvent(QWheelEvent* event) {
    if (!hasPhotograph())
        return;
    const int notches = event->angleDelta().y() / 120;
    if (notches != 0)
        setSide(crop_.width() + notches * kWheelStep);
    event->accept();
}

}  // namespace stdp::gui
