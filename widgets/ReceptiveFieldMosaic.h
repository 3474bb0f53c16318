#pragma once
// All K receptive fields in a grid, live. Click a field to select its neuron; hover it to read its
// wins and threshold. Either fitted to the widget (all fields visible) or zoomed to a fixed size
// per field, laid out to the width and as tall as it needs (inside a scroll area: MosaicPanel).

#include <QColor>
#include <QImage>
#include <QString>
#include <QVector>
#include <QWidget>
#include <memory>

#include "ViewData.h"

namespace stdp::gui {

enum class Contrast { Shared, PerNeuron };

// A mark on one field, in its top-left corner: what kind of field it is (the Gabor census).
struct FieldTag {
    QColor colour;  // invalid: no mark
    QString name;   // added to the hover text
};

class ReceptiveFieldMosaic : public QWidget {
    Q_OBJECT
  public:
    explicit ReceptiveFieldMosaic(QWidget* parent = nullptr);

    void setSnapshot(std::shared_ptr<const FieldsSnapshot> snapshot);
    void setContrast(Contrast contrast);
    Contrast contrast() const { return contrast_; }
    void setSelected(int neuron);
    int selected() const { return selected_; }
    // Neurons framed in green: the winners of the step shown in the step view, or the neurons
    // that answered a presented drawing. Empty: none.
    void setHighlighted(const QVector<int>& neurons);
    const QVector<int>& highlighted() const { return highlighted_; }
    // One tag per neuron (fewer: the rest unmarked); empty: no marks.
    void setTags(const QVector<FieldTag>& tags);
    const QVector<FieldTag>& tags() const { return tags_; }
    // The neuron under a widget position, or -1.
    int neuronAt(QPoint pos) const;
    // Rectangle of neuron j's field in widget coordinates (for tests and overlays).
    QRect cellRect(int j) const;
    // What hovering `pos` tells: the neuron, its wins, θ_j and its flag; empty off the fields.
    QString hoverText(QPoint pos) const;

    // Zoom: screen pixels per weight pixel, or 0 to fit every field into the visible area.
    void setZoom(int pixels_per_weight);
    int zoom() const { return zoom_; }
    bool isFitted() const { return zoom_ == 0; }
    void zoomIn();
    void zoomOut();
    void fitToView();
    bool canZoomIn() const;
    int fieldPixels() const { return cell_; }  // side of one field on screen, in pixels
    // Presentation mode: thicker frames and gaps (1 = normal).
    void setDrawingScale(double scale);

    // Fitted: the height that shows every field at least a readable size (16 px, or one pixel
    // per weight for larger patches) at `width`, bounded so that a large K does not claim the
    // window; 0 without fields.
    int readableFitHeight(int width) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override { return zoom_ > 0; }
    int heightForWidth(int width) const override;

  signals:
    void neuronSelected(int neuron);
    void hovered(const QString& text);  // empty when the mouse leaves the fields
    // The zoom (or the number or size of the fields) changed; `neuron` (or -1) should stay at
    // `anchor`, a position in the parent, or in view when the anchor is (-1, -1).
    void zoomChanged(int neuron, QPoint anchor);

  protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

  private:
    void render();
    int patchSize() const;
    int gapFor(int cell) const;
    int fitScale(QSize area) const;  // the largest whole scale that shows every field in `area`
    int fitHeight(int scale, int width) const;  // every field at `scale`, laid out to `width`
    QSize visibleArea() const;                  // the scroll area's viewport, or the widget itself
    int maxZoom() const;                        // the largest zoom level the current K and p allow
    int shownZoom() const;           // the zoom as drawn: the chosen one, bounded by maxZoom()
    int steppedZoom(bool in) const;  // the next zoom level in or out (Fit = 0)
    void applyZoom(int pixels_per_weight, int anchor_neuron, QPoint anchor);

    std::shared_ptr<const FieldsSnapshot> snapshot_;
    Contrast contrast_ = Contrast::Shared;
    int selected_ = -1;
    QVector<int> highlighted_;
    QVector<FieldTag> tags_;
    int zoom_ = 0;
    double drawing_scale_ = 1.0;
    QImage image_;  // the whole mosaic at its on-screen size
    int columns_ = 1;
    int cell_ = 0;   // pixels per field, without the gap
    int gap_ = 2;    // pixels between fields; flag frames are drawn inside it
    int scale_ = 1;  // screen pixels per field pixel
    QPoint origin_;
};

}  // namespace stdp::gui
