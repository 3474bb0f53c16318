#include "Charts.h"

#include <QHBoxLayout>

#include "HattedText.h"

namespace stdp::gui {

ThresholdChart::ThresholdChart(QWidget* parent)
    : TimeSeriesChart(tr("WTA threshold θ"), tr("θ"), QString(), QStringLiteral("threshold"),
                      parent) {
    setAmplitudeCoding(false);
}

void ThresholdChart::setAmplitudeCoding(bool on) {
    if (on == amplitude_)
        return;
    amplitude_ = on;
    setTitleForms(on ? QStringList{tr("Hurdle scale θ (homeostasis)"), tr("Hurdle scale θ")}
                     : QStringList{tr("WTA threshold θ")});
    setBaseToolTip(
        on ? tr("θ_j with amplitude coding: neuron j starts every patch at U_j = −h θ_j. "
                "Homeostasis θ_j += ρ(z_j − p) raises the hurdle of a neuron that fires "
                "on more than a fraction p of the steps and lowers it otherwise. Dashed "
                "lines mark parameter changes.")
           : tr("θ: a neuron fires when its softmax value P_j ≥ θ. Adaptation θ += "
                "ρ(n_fired − 1) settles it where about one neuron fires per step. Dashed "
                "lines mark parameter changes."));
}

LearningCurves::LearningCurves(QWidget* parent)
    : QWidget(parent),
      error_(new TimeSeriesChart(tr("Reconstruction error (validation, protocol A)"), tr("RMSE"),
                                 QString(), QStringLiteral("rmse"), this)),
      code_(new TimeSeriesChart(tr("Code statistics"), tr("fraction"), tr("spikes / step"),
                                QStringLiteral("code_statistics"), this)) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    // The code chart has three legend entries to the error chart's one: more width, so that
    // they stay readable in a narrow window.
    layout->addWidget(error_, 2);
    layout->addWidget(code_, 3);
    code_->setFractionAxis();  // sparseness and dead fraction
    // The first evaluation is of the network before it learned: the reference the curves
    // improve on, named so that it is not read as a trained network's figure.
    // A narrow window (1280x720) shows shorter forms, the criterion (validation images,
    // protocol A) kept as long as there is room for it; the tooltip gives the full titles.
    error_->setTitleForms({tr("Reconstruction error (validation, protocol A)"),
                           tr("Reconstruction error (validation, prot. A)"),
                           tr("Validation error (protocol A)"), tr("Validation error")});
    const QStringList x_forms{tr("images seen (0 = untrained)"), tr("images (0 = untrained)"),
                              tr("images seen")};
    error_->setXAxisTitleForms(x_forms);
    code_->setXAxisTitleForms(x_forms);
    code_->setYAxisTitleForms(1, {tr("spikes / step"), tr("spikes/step")});
    error_->setBaseToolTip(hattedRichText(
        tr("RMSE between held-out patches and their reconstruction by the frozen layer: "
           "x̂ = Σ c_j w_j / Σ c_j (the spiking neurons' mean field), or with amplitude coding "
           "the additive x̂ = g Σ c_j w_j; lower is better. The point at 0 images is the network "
           "before it learned: the "
           "reference the curve improves on.")));
    code_->setBaseToolTip(
        tr("Treves–Rolls sparseness (1 = dense, 1/K = one winner), dead fraction "
           "(neurons that never fire on validation), and output spikes per "
           "step during training (threshold adaptation aims at 1)."));
}

void LearningCurves::setData(std::shared_ptr<const ChartData> error,
                             std::shared_ptr<const ChartData> code) {
    error_->setData(std::move(error));
    code_->setData(std::move(code));
}

}  // namespace stdp::gui
