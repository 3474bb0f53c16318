#pragma once
// Bar charts of the current weights: their distribution, and how often each neuron wins.

#include <QWidget>
#include <memory>
#include <vector>

#include "CsvSource.h"
#include "ViewData.h"

namespace stdp::gui {

// A bar chart painted with QPainter (a few hundred bars, redrawn at frame rate).
class BarChart : public QWidget, public CsvSource {
    Q_OBJECT
  public:
    explicit BarChart(QWidget* parent = nullptr);
    QRect plotRect() const;
    const std::vector<double>& values() const { return values_; }
    // The value of a full-height bar, written at the top of the axis: the largest value, or 1
    // while every bar is 0 (nothing counted yet).
    double axisTop() const;
    // The title drawn above the plot: the longest of titles() that fits the width (a narrow dock
    // keeps the counts, "0 dead, 1 dominant", rather than cutting them off).
    QString shownTitle() const;

    QSize sizeHint() const override { return {380, 200}; }
    QSize minimumSizeHint() const override { return {200, 90}; }

  protected:
    void paintEvent(QPaintEvent* event) override;
    void setBars(std::vector<double> values, std::vector<QColor> colours);
    // Longest first: the same title, shorter; the last is elided if even it does not fit.
    virtual QStringList titles() const = 0;
    virtual QString xLabel(std::size_t bar) const = 0;  // first and last bar

    std::vector<double> values_;
    std::vector<QColor> colours_;
};

// Distribution of all weights in [0, 1] (or of w_on - w_off in [-1, 1]).
class WeightHistogram : public BarChart {
    Q_OBJECT
  public:
    static constexpr int kBins = 40;
    explicit WeightHistogram(QWidget* parent = nullptr);
    void setSnapshot(std::shared_ptr<const FieldsSnapshot> snapshot);
    QString csvName() const override { return QStringLiteral("weight_histogram"); }
    QString csv() const override;

  protected:
    QStringList titles() const override;
    QString xLabel(std::size_t bar) const override;

  private:
    double lo_ = 0.0;
    double hi_ = 1.0;
    std::size_t count_ = 0;
};

// Recent wins per neuron; dead neurons (red) and dominant ones (blue) flagged.
class WinCounts : public BarChart {
    Q_OBJECT
  public:
    explicit WinCounts(QWidget* parent = nullptr);
    void setSnapshot(std::shared_ptr<const FieldsSnapshot> snapshot);
    QString csvName() const override { return QStringLiteral("win_counts"); }
    QString csv() const override;
    int deadCount() const { return dead_; }
    int dominantCount() const { return dominant_; }

  protected:
    QStringList titles() const override;
    QString xLabel(std::size_t bar) const override;

  private:
    std::shared_ptr<const FieldsSnapshot> snapshot_;
    int dead_ = 0;
    int dominant_ = 0;
};

}  // namespace stdp::gui
