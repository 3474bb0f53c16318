#pragma once
// All K receptive fields in a grid, live. Click a field to select its neuron.

#include <QImage>
#include <QWidget>
#include <memory>

#include "ViewData.h"

namespace stdp::gui {

enum class Contrast { Shared, PerNeuron };

class ReceptiveFieldMosaic : public QWidget {
    Q_OBJECT
  public:
    explicit ReceptiveFieldMosaic(QWidget* parent = nullptr);

    void setSnapshot(std::shared_ptr<const FieldsSnapshot> snapshot);
    void setContrast(Contrast contrast);
    Contrast contrast() const { return contrast_; }
    void setSelected(int neuron);
    int selected() const { return selected_; }
    // The neuron under a widget position, or -1.
    int neuronAt(QPoint pos) const;
    // Rectangle of neuron j's field in widget coordinates (for tests and overlays).
    QRect cellRect(int j) const;

    QSize sizeHint() const override { return {420, 420}; }
    QSize minimumSizeHint() const override { return {160, 160}; }

  signals:
    void neuronSelected(int neuron);

  protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

  private:
    void render();

    std::shared_ptr<const FieldsSnapshot> snapshot_;
    Contrast contrast_ = Contrast::Shared;
    int selected_ = -1;
    QImage image_;  // the whole mosaic at its on-screen size
    int columns_ = 1;
    int cell_ = 0;   // pixels per field, without the gap
    int scale_ = 1;  // screen pixels per field pixel
    QPoint origin_;
};

}  // namespace stdp::gui
