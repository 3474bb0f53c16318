#pragma once
// The receptive-field mosaic with its controls: a title, the contrast choice and the zoom (− / + /
// Fit buttons, Ctrl+wheel, Ctrl++ / Ctrl+− / Ctrl+0), the mosaic scrolling when zoomed.

#include <QWidget>

class QComboBox;
class QHBoxLayout;
class QLabel;
class QScrollArea;
class QToolButton;

namespace stdp::gui {

class ReceptiveFieldMosaic;

class MosaicPanel : public QWidget {
    Q_OBJECT
  public:
    explicit MosaicPanel(QWidget* parent = nullptr);

    ReceptiveFieldMosaic* mosaic() const { return mosaic_; }
    QComboBox* contrastBox() const { return contrast_; }
    QScrollArea* scrollArea() const { return scroll_; }
    QString zoomText() const;  // the size of one field on screen, as the readout shows it
    // A widget of the window's in the header, before the contrast choice (the pinned mosaic).
    void addHeaderWidget(QWidget* widget);

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

  private:
    void onZoomChanged(int neuron, QPoint anchor);
    void updateZoomControls();
    void updateFitRoom();

    ReceptiveFieldMosaic* mosaic_;
    QComboBox* contrast_;
    QScrollArea* scroll_;
    QToolButton* zoom_out_;
    QToolButton* zoom_in_;
    QToolButton* fit_;
    QLabel* zoom_readout_;
    QHBoxLayout* header_ = nullptr;
};

}  // namespace stdp::gui
