#pragma once
// Every spike: the input spikes of the current patch (inputs x steps) above the output spikes of
// the chosen neurons over the last steps. Drawn into images, never one item per spike.

#include <QImage>
#include <QWidget>
#include <memory>
#include <vector>

#include "ViewData.h"

namespace stdp::gui {

// "all", "top N" (most active in the window), or a list such as "0-7, 12, 30".
// Returns the neurons to show (sorted, unique) or an error message in *error.
std::vector<int> parseNeuronSelection(const QString& text, const RasterSnapshot& raster,
                                      QString* error);

class SpikeRaster : public QWidget {
    Q_OBJECT
  public:
    explicit SpikeRaster(QWidget* parent = nullptr);

    void setSnapshot(std::shared_ptr<const RasterSnapshot> snapshot);
    // Which neurons to show, as parseNeuronSelection text; returns false (and keeps the old
    // selection) on a bad text, with the reason in *error.
    bool setSelection(const QString& text, QString* error = nullptr);
    QString selection() const { return selection_; }
    const std::vector<int>& shownNeurons() const { return shown_; }

    QRect inputRect() const;   // where the input raster is drawn
    QRect outputRect() const;  // where the output raster is drawn

    QSize sizeHint() const override { return {520, 300}; }
    QSize minimumSizeHint() const override { return {240, 160}; }

  protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

  private:
    void render();

    std::shared_ptr<const RasterSnapshot> snapshot_;
    QString selection_ = QStringLiteral("all");
    std::vector<int> shown_;
    QImage input_;   // inputs x steps, one pixel per (input, step)
    QImage output_;  // shown neurons x window steps
};

}  // namespace stdp::gui
