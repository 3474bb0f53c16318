#include "ReferenceRun.h"

#include <QObject>

namespace stdp::studio {

void ReferenceRun::pin(std::shared_ptr<const gui::ChartData> threshold,
                       std::shared_ptr<const gui::ChartData> error,
                       std::shared_ptr<const gui::ChartData> code, const QString& label,
                       const QImage& mosaic) {
    threshold_ = std::move(threshold);
    error_ = std::move(error);
    code_ = std::move(code);
    label_ = label;
    mosaic_ = mosaic;
}

void ReferenceRun::clear() {
    *this = ReferenceRun();
}

std::shared_ptr<const gui::ChartData> ReferenceRun::overlay(
    std::shared_ptr<const gui::ChartData> live, Chart chart) const {
    const gui::ChartData* pinned = chart == Chart::Threshold ? threshold_.get()
                                   : chart == Chart::Error   ? error_.get()
                                                             : code_.get();
    if (!pinned || !live)
        return live;
    auto out = std::make_shared<gui::ChartData>(*live);
    for (gui::ChartSeries s : pinned->series) {
        s.name = QObject::tr("pinned: %1 — %2").arg(label_, s.name);
        s.dashed = true;
        out->series.push_back(std::move(s));
    }
    return out;
}

}  // namespace stdp::studio
