#include "InputPicker.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

namespace stdp::gui {

InputPicker::InputPicker(QWidget* parent) : QWidget(parent) {
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(4, 4, 4, 4);
    auto* title = new QLabel(tr("<b>Pick the input</b>"));
    index_ = new QSpinBox;
    index_->setObjectName(QStringLiteral("pickImage"));
    index_->setPrefix(tr("image "));
    index_->setToolTip(
        tr("An image of the training data, by its number (the reconstruction view "
           "shows the number of the image being learnt)."));
    present_ = new QPushButton(tr("Present next"));
    present_->setObjectName(QStringLiteral("pickPresent"));
    present_->setToolTip(
        tr("Runs all the patches of this image next, then training goes on. "
           "Play runs it at the chosen speed; Step goes through it step by step, "
           "with the step view."));
    stop_ = new QPushButton(tr("Back to training"));
    stop_->setObjectName(QStringLiteral("pickStop"));
    stop_->setToolTip(tr("Abandons the presentation: training resumes where it stopped."));
    stop_->setEnabled(false);
    learn_ = new QCheckBox(tr("learn from it"));
    learn_->setObjectName(QStringLiteral("pickLearn"));
    learn_->setToolTip(
        tr("Off (frozen): the network answers and changes nothing; training then resumes bit for "
           "bit where it stopped. On: STDP and the threshold rule run on the chosen input too "
           "(an exported experiment cannot replay that)."));
    status_ = new QLabel;
    status_->setObjectName(QStringLiteral("pickStatus"));
    status_->setWordWrap(true);
    status_->setText(
        tr("Or click the image in the reconstruction view to present one patch, or "
           "present your own input below."));
    grid->addWidget(title, 0, 0, 1, 2);
    grid->addWidget(learn_, 0, 2, Qt::AlignRight);
    grid->addWidget(index_, 1, 0);
    grid->addWidget(present_, 1, 1);
    grid->addWidget(stop_, 1, 2);
    grid->addWidget(status_, 2, 0, 1, 3);
    grid->setColumnStretch(0, 1);
    connect(present_, &QPushButton::clicked, this,
            [this] { emit imageChosen(static_cast<std::size_t>(index_->value())); });
    connect(stop_, &QPushButton::clicked, this, &InputPicker::stopRequested);
    setImageCount(0);
}

void InputPicker::setImageCount(std::size_t count) {
    index_->setRange(0, count > 0 ? static_cast<int>(count - 1) : 0);
    index_->setEnabled(count > 0);
    present_->setEnabled(count > 0);
    index_->setSuffix(count > 0 ? tr(" of %1").arg(count) : QString());
}

bool InputPicker::learns() const {
    return learn_->isChecked();
}

void InputPicker::setLearns(bool on) {
    learn_->setChecked(on);
}

void InputPicker::setProgress(const PresentationProgress& progress, bool running) {
    stop_->setEnabled(progress.active);
    if (!progress.active) {
        if (was_active_)
            status_->setText(tr("Presented. Training goes on from where it stopped."));
        was_active_ = false;
        return;
    }
    was_active_ = true;
    const QString what = progress.data_index ? tr("image %1").arg(*progress.data_index)
                                             : QString::fromStdString(progress.label);
    const QString how = progress.learn ? tr("learning") : tr("frozen");
    QString text;
    if (progress.patches == 1)
        text = tr("Presenting one patch of %1 (%2).").arg(what, how);
    else
        text = tr("Presenting %1 (%2): patch %3 of %4.")
                   .arg(what, how)
                   .arg(progress.patch + 1)
                   .arg(progress.patches);
    if (!running)
        text += tr(" Play or Step runs it.");
    status_->setText(text);
}

QString InputPicker::statusText() const {
    return status_->text();
}

}  // namespace stdp::gui
