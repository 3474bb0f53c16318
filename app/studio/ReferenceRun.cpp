#include "ReferenceRun.h"

#include <QObject>

namespace stdp::studio {

namespace {
constexpr int kPinnedAlpha = 150;
}  // namespace

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
    // One legend entry names the pinned run; its curves keep their live twins' colours.
    bool first = true;
    for (gui::ChartSeries s : pinned->series) {
        s.name = first ? QObject::tr("pinned: %1").arg(label_)
                       : QObject::tr("pinned: %1 — %2").arg(label_, s.name);
        s.dashed = true;
        s.color.setAlpha(kPinnedAlpha);  // behind the live curve where they cross
        s.in_legend = first;
        first = false;
        out->series.push_back(std::move(s));
    }
    return out;
}

}  // namespace stdp::studio
