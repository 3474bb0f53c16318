#include "StepView.h"

#include <QObject>
#include <algorithm>

#include "StepViewStyle.h"

namespace stdp::gui {

using namespace step_style;

std::vector<float> pixelValues(std::span<const float> field, int patch_size, bool onoff) {
    const std::size_t pixels = static_cast<std::size_t>(patch_size) * patch_size;
    std::vector<float> out(pixels, 0.0f);
    for (std::size_t i = 0; i < pixels && i < field.size(); ++i)
        out[i] = onoff && pixels + i < field.size() ? field[i] - field[pixels + i] : field[i];
    return out;
}

std::vector<float> amplitudeExcess(const StepTrace& t) {
    std::vector<float> out(t.potential.size(), 0.0f);
    for (std::size_t j = 0; j < out.size() && j < t.fire_level.size(); ++j)
        out[j] = t.potential[j] - t.fire_level[j];
    return out;
}

namespace {
// The step's change of the mean threshold and, with `first_winner`, of the first winner's own.
QString meanThresholdChange(const StepTrace& t, bool first_winner) {
    double before = 0.0;
    double after = 0.0;
    for (std::size_t j = 0; j < t.theta_before.size(); ++j) {
        before += t.theta_before[j];
        after += t.theta_after[j];
    }
    const double k = static_cast<double>(std::max<std::size_t>(1, t.theta_before.size()));
    QString text = QObject::tr("mean θ %1 → %2").arg(num(before / k, 5), num(after / k, 5));
    if (first_winner && !t.fired.empty()) {
        const int j = t.fired[0];
        text += QObject::tr(" · θ of %1: %2 → %3")
                    .arg(j)
                    .arg(num(t.thresholdOf(j, false), 4), num(t.thresholdOf(j, true), 4));
    }
    return text;
}

// Amplitude coding has no softmax and no winner-take-all threshold: a neuron fires when its
// potential reaches its own level q |w_j|^2, and each spike adds g w_j to the reconstruction.
PhaseText describeAmplitudePhase(const StepTrace& t, StepPhase phase) {
    PhaseText text;
    const bool per_neuron = t.theta_before.size() > 1;
    const std::vector<float> excess = amplitudeExcess(t);
    const std::size_t best = excess.empty() ? 0 : argmax(excess);
    switch (phase) {
        case StepPhase::Integrate: {
            text.title = QObject::tr("1 Integrate (no leak)");
            text.equation =
                (per_neuron ? QObject::tr("Uⱼ(t) = Uⱼ(t−1) + Σᵢ Wᵢⱼ xᵢ(t), from −h θⱼ at the "
                                          "patch's start, h = %1")
                            : QObject::tr("Uⱼ(t) = Uⱼ(t−1) + Σᵢ Wᵢⱼ xᵢ(t), from −h θ at the "
                                          "patch's start, h = %1"))
                    .arg(num(t.hurdle, 3));
            const std::size_t top = argmax(t.potential);
            text.numbers =
                QObject::tr("max U = %1 (neuron %2)").arg(num(t.potential[top])).arg(top);
            break;
        }
        case StepPhase::Inhibit:
            text.title = QObject::tr("2 Compete (no softmax)");
            text.equation = QObject::tr("excess eⱼ = Uⱼ − q‖wⱼ‖²,  q = %1").arg(num(t.quantum, 3));
            if (!excess.empty())
                text.numbers =
                    QObject::tr("largest e = %1 (neuron %2)").arg(num(excess[best], 3)).arg(best);
            break;
        case StepPhase::Fire: {
            text.title = QObject::tr("3 Fire (largest e ≥ 0)");
            text.equation = QObject::tr(
                                "at most one spike; a spike of k takes q⟨wⱼ, wₖ⟩ from Uₖ and "
                                "%1 of it from every other Uⱼ")
                                .arg(num(t.overlap, 3));
            if (t.fired.empty()) {
                text.numbers = QObject::tr("no neuron reaches its level (largest e = %1 < 0)")
                                   .arg(excess.empty() ? QString() : num(excess[best], 3));
            } else {
                const int j = t.fired[0];
                text.numbers =
                    QObject::tr("neuron %1 fires (e = %2 ≥ 0): x̂ += g·w%1,  x̂ = g Σ cⱼ wⱼ, g = %3")
                        .arg(j)
                        .arg(num(excess[static_cast<std::size_t>(j)], 3))
                        .arg(num(t.decoder_gain, 3));
            }
            break;
        }
        case StepPhase::Adapt: {
            text.title = QObject::tr("5 Adapt θ (homeostasis)");
            text.equation = per_neuron
                                ? QObject::tr(
                                      "θⱼ ← θⱼ + ρ(zⱼ − p),  ρ = %1, p = %2: the hurdle h θⱼ of a "
                                      "neuron firing more than p of the steps rises")
                                      .arg(num(t.rho, 3), num(t.target_rate, 3))
                                : QObject::tr("θ ← θ + ρ(n − K p),  ρ = %1, p = %2")
                                      .arg(num(t.rho, 3), num(t.target_rate, 3));
            if (!t.theta_adapt) {
                text.numbers = QObject::tr("threshold adaptation is off");
                break;
            }
            text.numbers = meanThresholdChange(t, per_neuron);
            break;
        }
        case StepPhase::Input:
        case StepPhase::Learn:
            break;  // as without amplitude coding
    }
    return text;
}

}  // namespace

PhaseText describePhase(const StepTrace& t, StepPhase phase) {
    if (t.amplitude && phase != StepPhase::Input && phase != StepPhase::Learn)
        return describeAmplitudePhase(t, phase);
    PhaseText text;
    const bool per_neuron = t.theta_before.size() > 1;
    switch (phase) {
        case StepPhase::Input: {
            text.title = QObject::tr("Input x(t)");
            text.equation =
                t.onoff ? QObject::tr("xᵢ(t) = 1 with probability ∝ |pixel| (ON: +, OFF: −)")
                        : QObject::tr("xᵢ(t) = 1 with probability ∝ pixel (rate code)");
            text.numbers = QObject::tr("step %1 of %2 · %3 of %4 inputs spiked")
                               .arg(t.step_in_patch + 1)
                               .arg(t.patch_steps)
                               .arg(t.input_spikes.size())
                               .arg(t.inputs);
            break;
        }
        case StepPhase::Integrate: {
            text.title = QObject::tr("1 Integrate");
            const QString input =
                t.trace_tau > 0 ? QStringLiteral("yᵢ(t)") : QStringLiteral("xᵢ(t)");
            QString eq = QStringLiteral("Uⱼ(t) = ");
            if (t.membrane_decay > 0)
                eq += QStringLiteral("%1·Uⱼ(t−1) + ").arg(num(t.membrane_decay, 3));
            eq += QStringLiteral("Σᵢ Wᵢⱼ %1").arg(input);
            if (t.distance_bias > 0)
                eq += QStringLiteral(" − %1·‖wⱼ‖²/2").arg(num(t.distance_bias, 3));
            text.equation = eq;
            const std::size_t best = argmax(t.potential);
            double mean = 0.0;
            for (float u : t.potential)
                mean += u;
            mean /= static_cast<double>(std::max<std::size_t>(1, t.potential.size()));
            text.numbers = QObject::tr("max U = %1 (neuron %2) · mean U = %3")
                               .arg(num(t.potential[best]))
                               .arg(best)
                               .arg(num(mean));
            break;
        }
        case StepPhase::Inhibit: {
            text.title = QObject::tr("2 Inhibit (softmax)");
            text.equation =
                QObject::tr("Pⱼ = exp(Uⱼ/τₛ) / Σₖ exp(Uₖ/τₛ),  τₛ = %1").arg(num(t.temperature, 3));
            const std::size_t best = argmax(t.softmax);
            text.numbers = QObject::tr("max P = %1 (neuron %2) · uniform = 1/K = %3")
                               .arg(num(t.softmax[best], 3))
                               .arg(best)
                               .arg(num(1.0 / std::max(1, t.units), 3));
            break;
        }
        case StepPhase::Fire: {
            text.title = QObject::tr("3 Fire (WTA threshold)");
            text.equation =
                (per_neuron ? QObject::tr("zⱼ = [Pⱼ ≥ θⱼ]") : QObject::tr("zⱼ = [Pⱼ ≥ θ]")) +
                (t.reset ? QObject::tr("; a winner's Uⱼ ← 0") : QString());
            const QString theta = per_neuron ? QObject::tr("θⱼ")
                                             : QObject::tr("θ = %1").arg(num(t.theta_before[0], 4));
            if (t.fired.empty()) {
                const std::size_t best = argmax(t.softmax);
                text.numbers = QObject::tr("%1 · no neuron fires (max P = %2 < %3)")
                                   .arg(theta)
                                   .arg(num(t.softmax[best], 3))
                                   .arg(num(t.thresholdOf(static_cast<int>(best), false), 3));
            } else if (t.fired.size() == 1) {
                const int j = t.fired[0];
                text.numbers = QObject::tr("%1 · neuron %2 fires (P = %3 ≥ %4)")
                                   .arg(theta)
                                   .arg(j)
                                   .arg(num(t.softmax[static_cast<std::size_t>(j)], 3))
                                   .arg(num(t.thresholdOf(j, false), 3));
            } else {
                text.numbers = QObject::tr("%1 · neurons %2 fire").arg(theta, neuronList(t.fired));
            }
            break;
        }
        case StepPhase::Learn: {
            text.title = QObject::tr("4 Learn (event-based STDP)");
            QString causal = t.epsilon > 0 ? QObject::tr("xᵢ spiked in [t−%1, t]").arg(t.epsilon)
                                           : QObject::tr("xᵢ(t) = 1");
            text.equation = QObject::tr(
                                "winner j, input i — if %1: wᵢⱼ += μ(1 − wᵢⱼ(1+λ)), "
                                "else: wᵢⱼ −= μ_d·wᵢⱼ(1+λ)")
                                .arg(causal);
            if (!t.learn) {
                text.numbers = QObject::tr("learning is off: no weight changes");
            } else if (t.fired.empty()) {
                text.numbers = QObject::tr("no winner: no weight changes this step");
            } else {
                const std::size_t up = t.causal.size();
                text.numbers =
                    QObject::tr("μ = %1, μ_d = %2, λ = %3 · %4 inputs up, %5 down per winner")
                        .arg(num(t.mu, 3), num(t.mu_d, 3), num(t.lambda, 3))
                        .arg(up)
                        .arg(static_cast<std::size_t>(t.inputs) - up);
            }
            break;
        }
        case StepPhase::Adapt: {
            text.title = QObject::tr("5 Adapt θ");
            const double n = static_cast<double>(t.fired.size());
            if (!t.theta_adapt) {
                text.equation = per_neuron ? QObject::tr("θⱼ ← θⱼ + ρ(K zⱼ − 1)")
                                           : QObject::tr("θ ← θ + ρ(n − 1)");
                text.numbers = QObject::tr("threshold adaptation is off");
            } else if (!per_neuron) {
                text.equation = QObject::tr("θ ← θ + ρ(n − 1), n = spikes now (target: 1)");
                text.numbers = QStringLiteral("%1 + %2·(%3 − 1) = %4")
                                   .arg(QString::number(t.theta_before[0], 'f', 5), num(t.rho, 3))
                                   .arg(n)
                                   .arg(QString::number(t.theta_after[0], 'f', 5));
            } else {
                text.equation = QObject::tr("θⱼ ← θⱼ + ρ(K zⱼ − 1),  ρ = %1").arg(num(t.rho, 3));
                text.numbers = meanThresholdChange(t, true);
            }
            break;
        }
    }
    return text;
}

}  // namespace stdp::gui
