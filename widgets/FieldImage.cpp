#include "FieldImage.h"

#include "ViewData.h"

namespace stdp::gui {

NeuronFlag neuronFlag(const FieldsSnapshot& s, int j) {
    if (s.recent_steps < kMinStepsToJudge || s.recent_wins.empty())
        return NeuronFlag::Normal;
    std::uint64_t total = 0;
    for (auto w : s.recent_wins)
        total += w;
    const auto wins = s.recent_wins[static_cast<std::size_t>(j)];
    if (wins == 0)
        return NeuronFlag::Dead;
    const double mean = static_cast<double>(total) / static_cast<double>(s.recent_wins.size());
    if (s.recent_wins.size() > 1 && static_cast<double>(wins) > kDominantShare * mean)
        return NeuronFlag::Dominant;
    return NeuronFlag::Normal;
}

QList<QPointF> NeuronHistory::thetaSeries(int j) const {
    QList<QPointF> out;
    if (j < 0 || j >= units)
        return out;
    out.reserve(static_cast<qsizetype>(samples()));
    for (std::size_t s = 0; s < samples(); ++s)
        out.append({images[s], static_cast<double>(thetaAt(s, j))});
    return out;
}

QList<QPointF> NeuronHistory::winsPerImageSeries(int j) const {
    QList<QPointF> out;
    if (j < 0 || j >= units)
        return out;
    for (std::size_t s = 1; s < samples(); ++s) {
        const double span = images[s] - images[s - 1];
        if (span <= 0.0)
            continue;
        const auto won = static_cast<double>(winsAt(s, j) - winsAt(s - 1, j));
        out.append({images[s], won / span});
    }
    return out;
}

QImage greyImage(std::span<const float> values, int rows, int cols, GreyRange range) {
    QImage img(cols, rows, QImage::Format_Grayscale8);
    for (int r = 0; r < rows; ++r) {
        uchar* line = img.scanLine(r);
        for (int c = 0; c < cols; ++c)
            line[c] = static_cast<uchar>(
                greyLevel(values[static_cast<std::size_t>(r) * static_cast<std::size_t>(cols) +
                                 static_cast<std::size_t>(c)],
                          range));
    }
    return img;
}

}  // namespace stdp::gui
