#pragma once
// Every spike: the input spikes of the current patch (inputs x steps) above the output spikes of
// the chosen neurons over the last steps. Drawn into images, never one item per spike.

#include <QImage>
#include <QStringList>
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
    // What the hover text adds about a neuron (wins, θ) and the number of the raster's newest
    // step (the session's step count when the snapshot was taken; 0 = unknown).
    void setHoverContext(std::shared_ptr<const FieldsSnapshot> fields, std::uint64_t last_step);
    // Which neurons to show, as parseNeuronSelection text; returns false (and keeps the old
    // selection) on a bad text, with the reason in *error.
    bool setSelection(const QString& text, QString* error = nullptr);
    QString selection() const { return selection_; }

    QRect inputRect() const;   // where the input raster is drawn
    QRect outputRect() const;  // where the output raster is drawn
    // What hovering `pos` tells: neuron, step, spike or not, wins and θ; empty off the rasters.
    QString hoverText(QPoint pos) const;
    // The input raster's title: which patch, and how far it has gone.
    QString inputTitle() const;
    // The output raster's title: the longest of its forms that fits the raster's width (the
    // full one, with the read-out's formula, was cut at 1280x720), else the shortest.
    QString outputTitle() const;
    QStringList outputTitleForms() const;  // longest first; empty without a snapshot
    // The rows of the output raster that carry a neuron number on the axis (legible at any K).
    std::vector<int> labelledRows() const;

    QSize sizeHint() const override { return {520, 300}; }
    QSize minimumSizeHint() const override { return {240, 120}; }

  signals:
    void hovered(const QString& text);  // empty when the mouse leaves the rasters

  protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

  private:
    void render();
    int labelWidth() const;  // left of the rasters: row labels and axis titles
    void drawRowLabels(QPainter& painter, const QRect& out) const;
    QString inputHoverText(QPoint pos) const;
    QString outputHoverText(QPoint pos) const;

    std::shared_ptr<const RasterSnapshot> snapshot_;
    std::shared_ptr<const FieldsSnapshot> fields_;
    std::uint64_t last_step_ = 0;
    QString selection_ = QStringLiteral("all");
    std::vector<int> shown_;
    QImage input_;   // inputs x steps, one pixel per (input, step)
    QImage output_;  // shown neurons x window steps
};

}  // namespace stdp::gui
