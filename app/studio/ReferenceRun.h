#pragma once
// A/B for exploration: a run pinned as the reference. Its learning curves and threshold chart are
// drawn dashed beside the live ones (after changing settings and Reset), with its mosaic kept as
// a picture.

#include <QImage>
#include <QString>
#include <memory>

#include "ViewData.h"

namespace stdp::studio {

class ReferenceRun {
  public:
    void pin(std::shared_ptr<const gui::ChartData> threshold,
             std::shared_ptr<const gui::ChartData> error,
             std::shared_ptr<const gui::ChartData> code, const QString& label,
             const QImage& mosaic);
    void clear();
    bool isPinned() const { return threshold_ != nullptr; }
    const QString& label() const { return label_; }
    const QImage& mosaic() const { return mosaic_; }

    enum class Chart { Threshold, Error, Code };
    // `live` with the pinned series of the same chart appended, dashed, named "pinned: …".
    std::shared_ptr<const gui::ChartData> overlay(std::shared_ptr<const gui::ChartData> live,
                                                  Chart chart) const;

  private:
    std::shared_ptr<const gui::ChartData> threshold_;
    std::shared_ptr<const gui::ChartData> error_;
    std::shared_ptr<const gui::ChartData> code_;
    QString label_;
    QImage mosaic_;
};

}  // namespace stdp::studio
