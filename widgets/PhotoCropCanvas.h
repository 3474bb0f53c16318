#pragma once
// A photograph with a square crop on it, for presenting a photograph preset a piece of a scene:
// the left button places the square where it is pressed and drags it, the wheel resizes it.
// The crop is in the photograph's own pixels.

#include <QImage>
#include <QRect>
#include <QWidget>

#include "data/Dataset.h"

namespace stdp::gui {

class PhotoCropCanvas : public QWidget {
    Q_OBJECT
  public:
    static constexpr int kDefaultSide = 64;  // pixels of the photograph: 4 x 4 patches of 16
    static constexpr int kWheelStep = 8;

    explicit PhotoCropCanvas(QWidget* parent = nullptr);

    // Grey intensities in [0, 1]; the crop keeps its size (as far as it fits) and is centred.
    void setPhotograph(const Image& photo);
    const Image& photograph() const { return photo_; }
    bool hasPhotograph() const { return !photo_.pixels.empty(); }
    // The crop, clamped inside the photograph and to at least `minimum` pixels.
    void setCrop(QRect crop);
    QRect crop() const { return crop_; }
    void setSide(int side);  // keeps the centre
    void setMinimumSide(int side);
    int minimumSide() const { return minimum_side_; }
    // The crop's pixels (empty without a photograph).
    Image cropped() const;
    // Where the photograph is drawn, and a photograph pixel's place on screen (tests).
    QRect photoRect() const;
    QPoint toWidget(QPoint photo_pixel) const;

    QSize sizeHint() const override { return {240, 240}; }
    QSize minimumSizeHint() const override { return {120, 120}; }

  signals:
    void cropChanged(QRect crop);

  protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;

  private:
    QPoint toPhoto(QPointF widget_point) const;
    void centreAt(QPoint photo_pixel);

    Image photo_;
    QImage picture_;  // photo_ as drawn
    QRect crop_;
    int minimum_side_ = 16;
};

}  // namespace stdp::gui
