#pragma once
// What both halves of the Parameters panel share: its constants and how it writes values,
// symbols and choices (ParameterPanel.cpp edits, ParameterPanelRows.cpp builds the rows).

#include <QString>
#include <cmath>

#include "ParameterPanel.h"
#include "model/Presets.h"

namespace stdp::gui::panel_text {

constexpr int kSliderSteps = 1000;
constexpr const char* kReferencePreset = "paper-mnist";
constexpr int kSpinMinWidth = 96;
constexpr int kSliderSettleMs = 400;  // key presses or wheel turns closer than this are one edit
const char* const kRefusedStyle = "color: #b00020;";
const char* const kNoteStyle = "color: #8a5a00;";

inline double roundSignificant(double v, int digits) {
    if (v == 0.0 || !std::isfinite(v))
        return v;
    const double scale =
        std::pow(10.0, digits - 1 - static_cast<int>(std::floor(std::log10(std::abs(v)))));
    return std::round(v * scale) / scale;
}

inline QString symbolText(const SettingInfo& info) {
    const QString symbol = QString::fromStdString(info.symbol);
    const QString name = QString::fromStdString(info.name);
    if (symbol.isEmpty())
        return name;
    QString pretty = symbol;
    pretty.replace(QStringLiteral("theta"), QStringLiteral("θ"));
    pretty.replace(QStringLiteral("tau_s"), QStringLiteral("τ_s"));
    pretty.replace(QStringLiteral("tau_m"), QStringLiteral("τ_m"));
    pretty.replace(QStringLiteral("tau"), QStringLiteral("τ"));
    pretty.replace(QStringLiteral("mu"), QStringLiteral("μ"));
    pretty.replace(QStringLiteral("lambda"), QStringLiteral("λ"));
    pretty.replace(QStringLiteral("eps"), QStringLiteral("ε"));
    pretty.replace(QStringLiteral("rho"), QStringLiteral("ρ"));
    pretty.replace(QStringLiteral("beta"), QStringLiteral("β"));
    return QStringLiteral("%1  (%2)").arg(pretty, name);
}

inline QString labelText(const SettingInfo& info) {
    const QString unit = QString::fromStdString(info.panel.unit);
    if (unit.isEmpty() || unit == QString::fromStdString(info.name))
        return symbolText(info);
    return symbolText(info) + QStringLiteral(", ") + unit;
}

inline QString shown(double v) {
    return QString::number(v, 'g', 6);
}

// A choice as the panel names it (the table's names are the keys of --set and model.json).
inline QString choiceText(const SettingInfo& info, double value) {
    const auto at = static_cast<std::size_t>(value);
    const QString key =
        at < info.choices.size() ? QString::fromStdString(info.choices[at]) : QString();
    // Short: the panel is as wide as its widest control (its tooltip explains the rules).
    if (key == QLatin1String("stdp"))
        return ParameterPanel::tr("STDP");
    return key;
}

}  // namespace stdp::gui::panel_text
