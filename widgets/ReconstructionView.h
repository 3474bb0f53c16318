#pragma once
// The current patch beside its reconstruction from the layer's spikes, and the whole current image
// beside the image reassembled from all its patches' reconstructions (docs/model.md §4).

#include <QWidget>
#include <memory>
#include <optional>

#include "ViewData.h"

namespace stdp::gui {

class ReconstructionView : public QWidget {
    Q_OBJECT
  public:
    explicit ReconstructionView(QWidget* parent = nullptr);

    void setSnapshot(std::shared_ptr<const ReconstructionSnapshot> snapshot);
    // The four panels, left to right: patch, its reconstruction, image, reassembled image.
    QRect panelRect(int index) const;
    // The words under the four panels (the read-out and its gain, the reassembly's stride).
    QStringList captions() const;
    int slotWidth() const;  // the room of one panel and its label: a caption wider is elided

    // The top-left (image coordinates) of the patch centred on `pos`, if it lies on the image.
    std::optional<QPoint> patchAt(QPoint pos) const;

    QSize sizeHint() const override { return {520, 170}; }
    QSize minimumSizeHint() const override { return {260, 100}; }

  signals:
    // A click on the image: present the patch there (top-left in image coordinates) next.
    void patchPicked(int row, int col);

  protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

  private:
    int panelSide() const;
    QString elidedLines(const QString& text, int width) const;

    std::shared_ptr<const ReconstructionSnapshot> snapshot_;
};

}  // namespace stdp::gui
