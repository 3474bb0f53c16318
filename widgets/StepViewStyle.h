#pragma once
// What the step view's parts share: colours, number formats and small helpers.

#include <QColor>
#include <QString>
#include <QStringList>
#include <algorithm>
#include <cstdint>
#include <vector>

#include "StepView.h"

namespace stdp::gui::step_style {

inline const QColor kWinner(232, 116, 59);    // fired, and ON spikes
inline const QColor kOff(59, 139, 232);       // OFF spikes
inline const QColor kBar(110, 130, 160);      // potentials and probabilities
inline const QColor kThreshold(200, 40, 40);  // theta
inline constexpr int kRoomyHeight = 300;      // below, the canvas shows one equation at a time

inline QString num(double v, int digits = 4) {
    return QString::number(v, 'g', digits);
}

inline QString neuronList(const std::vector<std::int32_t>& neurons, std::size_t most = 6) {
    QStringList names;
    for (std::size_t n = 0; n < neurons.size() && n < most; ++n)
        names << QString::number(neurons[n]);
    if (neurons.size() > most)
        names << QStringLiteral("… (%1 in all)").arg(neurons.size());
    return names.join(QStringLiteral(", "));
}

// An amplification in two significant digits, written out: 3200, not 3.2e+03.
inline QString gainText(double gain) {
    if (gain < 10)
        return QString::number(gain, 'g', 2);
    const double unit = std::pow(10.0, std::floor(std::log10(gain)) - 1);
    return QString::number(std::round(gain / unit) * unit, 'f', 0);
}

inline std::size_t argmax(const std::vector<float>& v) {
    return static_cast<std::size_t>(std::max_element(v.begin(), v.end()) - v.begin());
}

// The panel that shows a phase: the five panels are input, integrate, inhibit+fire, learn, adapt.
inline int panelOf(StepPhase phase) {
    switch (phase) {
        case StepPhase::Input:
            return 0;
        case StepPhase::Integrate:
            return 1;
        case StepPhase::Inhibit:
        case StepPhase::Fire:
            return 2;
        case StepPhase::Learn:
            return 3;
        case StepPhase::Adapt:
            return 4;
    }
    return 4;
}

}  // namespace stdp::gui::step_style
