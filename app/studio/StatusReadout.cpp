#include "StatusReadout.h"

#include <QEvent>
#include <QLabel>
#include <QStatusBar>

#include "EvaluationSchedule.h"

namespace stdp::studio {

namespace {
// The long forms are shown while they leave a message this many characters on the left (the
// longest the window shows, "All 60000 images presented · Loop (L) goes on · Reset (Ctrl+R)").
constexpr int kMessageChars = 66;
constexpr int kLabelGap = 12;  // QStatusBar's spacing and frame around a permanent widget
}  // namespace

StatusReadout::StatusReadout(QStatusBar* bar)
    : QObject(bar), bar_(bar), deferred_(new QLabel(tr("(deferred: machine busy)"))) {
    for (Readout* r : {&counter_, &theta_, &rmse_, &rate_})
        r->label = new QLabel;
    deferred_->setObjectName(QStringLiteral("evaluationDeferred"));
    deferred_->setToolTip(
        tr("Other programs keep the processor busy: the validation evaluation runs every %1 s "
           "instead of every %2 s while the network learns, so that learning keeps most of its "
           "core; each one then runs beside the simulation (in the background it would wait for "
           "minutes). It runs at once when you pause.")
            .arg(EvaluationSchedule::kBusyIntervalMs / 1000)
            .arg(EvaluationSchedule::kIntervalMs / 1000));
    deferred_->hide();
    bar->addPermanentWidget(counter_.label);
    bar->addPermanentWidget(theta_.label);
    bar->addPermanentWidget(rmse_.label);
    bar->addPermanentWidget(deferred_);
    bar->addPermanentWidget(rate_.label);
    clearMetrics();
    bar->installEventFilter(this);
}

bool StatusReadout::eventFilter(QObject* watched, QEvent* event) {
    if (watched == bar_ && event->type() == QEvent::Resize)
        fit();
    return QObject::eventFilter(watched, event);
}

void StatusReadout::set(Readout& r, const QString& full, const QString& brief) {
    if (r.full == full && r.brief == brief)
        return;
    r.full = full;
    r.brief = brief;
    fit();
}

void StatusReadout::fit() {
    const QFontMetrics fm = counter_.label->fontMetrics();
    int wide = 0;
    for (const Readout* r : {&counter_, &theta_, &rmse_, &rate_})
        wide += fm.horizontalAdvance(r->full) + kLabelGap;
    if (deferred_->isVisibleTo(bar_))
        wide += fm.horizontalAdvance(tr("(deferred: machine busy)")) + kLabelGap;
    compact_ = wide + fm.averageCharWidth() * kMessageChars > bar_->width();
    deferred_->setText(compact_ ? tr("(deferred)") : tr("(deferred: machine busy)"));
    for (Readout* r : {&counter_, &theta_, &rmse_, &rate_}) {
        const QString& shown = compact_ ? r->brief : r->full;
        if (r->label->text() != shown)
            r->label->setText(shown);
        const QString tip = compact_ && r->brief != r->full ? r->full : QString();
        if (r->label->toolTip() != tip)
            r->label->setToolTip(tip);
    }
}

void StatusReadout::showSnapshot(const Snapshot& s) {
    const QString steps_per_second = tr("%1 steps/s").arg(s.steps_per_second, 0, 'f', 0);
    set(rate_,
        tr("%1 images/s · %2%3")
            .arg(s.images_per_second, 0, 'f', 1)
            .arg(steps_per_second, s.running ? QString() : tr(" (paused)")),
        s.running ? steps_per_second : tr("paused"));
    const QString where = tr("image %1 · patch %2 · step %3")
                              .arg(s.images_offset + s.counters.images)
                              .arg(s.counters.patches)
                              .arg(s.counters.steps);
    const QString brief_where =
        tr("image %1 · step %2").arg(s.images_offset + s.counters.images).arg(s.counters.steps);
    // Training's counters wait while a chosen input runs: say what runs instead.
    if (s.presentation.active) {
        const QString what = s.presentation.data_index
                                 ? tr("image %1").arg(*s.presentation.data_index)
                                 : QString::fromStdString(s.presentation.label);
        const QString presenting = tr("presenting %1, patch %2 of %3")
                                       .arg(what)
                                       .arg(s.presentation.patch + 1)
                                       .arg(s.presentation.patches);
        set(counter_, presenting + QStringLiteral(" · ") + where, presenting);
    } else {
        set(counter_, where, brief_where);
    }
    if (s.settings.structure.theta_mode == ThresholdMode::Global) {
        const QString theta = tr("θ = %1").arg(double(s.theta_mean), 0, 'f', 4);
        set(theta_, theta, theta);
    } else {
        set(theta_,
            tr("θ mean %1 [%2, %3]")
                .arg(double(s.theta_mean), 0, 'f', 4)
                .arg(double(s.theta_min), 0, 'f', 3)
                .arg(double(s.theta_max), 0, 'f', 3),
            tr("θ mean %1").arg(double(s.theta_mean), 0, 'f', 4));
    }
}

void StatusReadout::showMetrics(const ReconstructionMetrics& m) {
    // Not "dead": the mosaic calls dead a neuron with no recent win in training; this is the
    // share of neurons that never fire on the validation images.
    const QString rmse = QString::number(m.rmse, 'f', 4);
    const QString silent = QString::number(100.0 * m.dead_fraction, 'f', 0);
    set(rmse_, tr("validation RMSE %1 · silent on validation %2 %").arg(rmse, silent),
        tr("RMSE %1 · silent %2 %").arg(rmse, silent));
}

void StatusReadout::clearMetrics() {
    set(rmse_, tr("validation RMSE —"), tr("RMSE —"));
}

void StatusReadout::showEvaluationDeferred(bool deferred) {
    deferred_->setVisible(deferred);
    fit();
}

QString StatusReadout::rateText() const {
    return rate_.full;
}

}  // namespace stdp::studio
