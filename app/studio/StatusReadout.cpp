#include "StatusReadout.h"

#include <QLabel>
#include <QStatusBar>

#include "EvaluationSchedule.h"

namespace stdp::studio {

StatusReadout::StatusReadout(QStatusBar* bar)
    : QObject(bar),
      counter_(new QLabel),
      theta_(new QLabel),
      rmse_(new QLabel(tr("validation RMSE —"))),
      deferred_(new QLabel(tr("(deferred: machine busy)"))),
      rate_(new QLabel) {
    deferred_->setObjectName(QStringLiteral("evaluationDeferred"));
    deferred_->setToolTip(
        tr("Other programs keep the processor busy: the validation evaluation runs every %1 s "
           "instead of every %2 s while the network learns, so that learning keeps most of its "
           "core; each one then runs beside the simulation (in the background it would wait for "
           "minutes). It runs at once when you pause.")
            .arg(EvaluationSchedule::kBusyIntervalMs / 1000)
            .arg(EvaluationSchedule::kIntervalMs / 1000));
    deferred_->hide();
    bar->addPermanentWidget(counter_);
    bar->addPermanentWidget(theta_);
    bar->addPermanentWidget(rmse_);
    bar->addPermanentWidget(deferred_);
    bar->addPermanentWidget(rate_);
}

void StatusReadout::showSnapshot(const Snapshot& s) {
    rate_->setText(tr("%1 images/s · %2 steps/s%3")
                       .arg(s.images_per_second, 0, 'f', 1)
                       .arg(s.steps_per_second, 0, 'f', 0)
                       .arg(s.running ? QString() : tr(" (paused)")));
    QString counter = tr("image %1 · patch %2 · step %3")
                          .arg(s.images_offset + s.counters.images)
                          .arg(s.counters.patches)
                          .arg(s.counters.steps);
    // Training's counters wait while a chosen input runs: say what runs instead.
    if (s.presentation.active)
        counter =
            tr("presenting %1, patch %2 of %3 · ")
                .arg(s.presentation.data_index ? tr("image %1").arg(*s.presentation.data_index)
                                               : QString::fromStdString(s.presentation.label))
                .arg(s.presentation.patch + 1)
                .arg(s.presentation.patches) +
            counter;
    counter_->setText(counter);
    theta_->setText(s.settings.structure.theta_mode == ThresholdMode::Global
                        ? tr("θ = %1").arg(double(s.theta_mean), 0, 'f', 4)
                        : tr("θ mean %1 [%2, %3]")
                              .arg(double(s.theta_mean), 0, 'f', 4)
                              .arg(double(s.theta_min), 0, 'f', 3)
                              .arg(double(s.theta_max), 0, 'f', 3));
}

void StatusReadout::showMetrics(const ReconstructionMetrics& m) {
    // Not "dead": the mosaic calls dead a neuron with no recent win in training; this is the
    // share of neurons that never fire on the validation images.
    rmse_->setText(tr("validation RMSE %1 · silent on validation %2 %")
                       .arg(m.rmse, 0, 'f', 4)
                       .arg(100.0 * m.dead_fraction, 0, 'f', 0));
}

void StatusReadout::clearMetrics() {
    rmse_->setText(tr("validation RMSE —"));
}

void StatusReadout::showEvaluationDeferred(bool deferred) {
    deferred_->setVisible(deferred);
}

QString StatusReadout::rateText() const {
    return rate_->text();
}

}  // namespace stdp::studio
