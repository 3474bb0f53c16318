#include "StepView.h"

#include <QButtonGroup>
#include <QFontMetricsF>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPainter>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "FittingLabel.h"
#include "StepCanvas.h"
#include "StepViewStyle.h"

namespace stdp::gui {

using namespace step_style;

// ---- StepView ---------------------------------------------------------------------------------

StepView::StepView(QWidget* parent) : QWidget(parent), canvas_(new StepCanvas(this)) {
    setFocusPolicy(Qt::StrongFocus);
    // For Help > Keyboard shortcuts; keyPressEvent below handles them.
    setProperty("keyHelp",
                QStringList{tr("Step view: next / previous phase\t→, ←"),
                            tr("Step view: older / newer recorded step\t↑, ↓ (Page Up, Page Down)"),
                            tr("Step view: oldest kept / newest step (Live)\tHome, End")});
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(4, 2, 4, 0);
    phases_ = new QButtonGroup(this);
    phases_->setExclusive(true);
    const QString names[kStepPhases] = {tr("Input"),  tr("1 Integrate"), tr("2 Inhibit"),
                                        tr("3 Fire"), tr("4 Learn"),     tr("5 Adapt θ")};
    for (int k = 0; k < kStepPhases; ++k) {
        auto* b = new QToolButton(this);
        b->setText(names[k]);
        b->setCheckable(true);
        b->setToolTip(tr("Show the step up to this phase (← and → walk through the phases)"));
        phases_->addButton(b, k);
        bar->addWidget(b);
    }
    connect(phases_, &QButtonGroup::idClicked, this,
            [this](int id) { setPhase(static_cast<StepPhase>(id)); });
    bar->addSpacing(12);
    auto* older = new QToolButton(this);
    older->setText(QStringLiteral("◀"));
    older->setToolTip(tr("Previous recorded step (↑)"));
    connect(older, &QToolButton::clicked, this, &StepView::olderStep);
    bar->addWidget(older);
    history_slider_ = new QSlider(Qt::Horizontal, this);
    history_slider_->setToolTip(tr("The last %1 recorded steps").arg(kMaxHistory));
    history_slider_->setMinimumWidth(80);
    connect(history_slider_, &QSlider::valueChanged, this, [this](int v) {
        if (static_cast<std::size_t>(v) != index_)
            showIndex(static_cast<std::size_t>(v));
    });
    bar->addWidget(history_slider_, 1);
    auto* newer = new QToolButton(this);
    newer->setText(QStringLiteral("▶"));
    newer->setToolTip(tr("Next recorded step (↓)"));
    connect(newer, &QToolButton::clicked, this, &StepView::newerStep);
    bar->addWidget(newer);
    live_button_ = new QToolButton(this);
    live_button_->setText(tr("Live"));
    live_button_->setCheckable(true);
    live_button_->setToolTip(tr("Follow the newest step (End)"));
    connect(live_button_, &QToolButton::clicked, this, [this](bool on) {
        if (on)
            goLive();
        else {
            live_ = false;
            refresh();
        }
    });
    bar->addWidget(live_button_);
    // Beside six phase buttons and the history slider a small window leaves this label little
    // room: it shows the longest of its forms that fits on its one line.
    where_ = new FittingLabel(1, this);
    where_->setObjectName(QStringLiteral("stepWhere"));
    where_->setMinimumWidth(10);
    where_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    bar->addWidget(where_, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(canvas_, 1);
    refresh();
}

const StepTrace* StepView::current() const {
    return history_.empty() ? nullptr : history_[index_].get();
}

void StepView::append(const std::vector<StepTracePtr>& traces) {
    if (traces.empty())
        return;
    const StepTrace* shown = current();
    for (const auto& t : traces)
        history_.push_back(t);
    std::size_t dropped = 0;
    while (history_.size() > kMaxHistory) {
        history_.pop_front();
        ++dropped;
    }
    if (live_ || walk_into_next_) {
        index_ = history_.size() - 1;
        if (walk_into_next_) {
            // The step asked for while walking: open it at its first phase.
            phase_ = StepPhase::Input;
            walk_into_next_ = false;
            live_ = true;
        }
    } else if (shown) {
        index_ = index_ >= dropped ? index_ - dropped : 0;
    }
    refresh();
}

void StepView::clear() {
    history_.clear();
    index_ = 0;
    live_ = true;
    walk_into_next_ = false;
    refresh();
}

void StepView::setPhase(StepPhase phase) {
    phase_ = phase;
    refresh();
}

void StepView::showIndex(std::size_t index) {
    if (history_.empty())
        return;
    index_ = std::min(index, history_.size() - 1);
    live_ = index_ + 1 == history_.size() && live_;
    refresh();
}

void StepView::nextPhase() {
    if (phase_ != StepPhase::Adapt) {
        setPhase(static_cast<StepPhase>(static_cast<int>(phase_) + 1));
        return;
    }
    if (!history_.empty() && index_ + 1 < history_.size()) {
        index_ += 1;
        phase_ = StepPhase::Input;
        refresh();
        return;
    }
    walk_into_next_ = true;
    emit stepRequested();
}

void StepView::previousPhase() {
    if (phase_ != StepPhase::Input) {
        setPhase(static_cast<StepPhase>(static_cast<int>(phase_) - 1));
        return;
    }
    if (index_ > 0) {
        live_ = false;
        index_ -= 1;
        phase_ = StepPhase::Adapt;
        refresh();
    }
}

void StepView::olderStep() {
    if (index_ == 0)
        return;
    live_ = false;
    index_ -= 1;
    refresh();
}

void StepView::newerStep() {
    if (history_.empty() || index_ + 1 >= history_.size())
        return;
    index_ += 1;
    refresh();
}

void StepView::goLive() {
    live_ = true;
    if (!history_.empty())
        index_ = history_.size() - 1;
    refresh();
}

void StepView::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
        case Qt::Key_Right:
            nextPhase();
            break;
        case Qt::Key_Left:
            previousPhase();
            break;
        case Qt::Key_Up:
        case Qt::Key_PageUp:
            olderStep();
            break;
        case Qt::Key_Down:
        case Qt::Key_PageDown:
            newerStep();
            break;
        case Qt::Key_Home:
            showIndex(0);
            break;
        case Qt::Key_End:
            goLive();
            break;
        default:
            QWidget::keyPressEvent(event);
            return;
    }
    event->accept();
}

void StepView::refresh() {
    const StepTrace* t = current();
    canvas_->display(t, phase_);
    if (auto* b = phases_->button(static_cast<int>(phase_)))
        b->setChecked(true);
    {
        const QSignalBlocker block(history_slider_);
        history_slider_->setRange(0, history_.empty() ? 0 : static_cast<int>(history_.size()) - 1);
        history_slider_->setValue(static_cast<int>(index_));
    }
    live_button_->setChecked(live_);
    if (auto* b = phases_->button(static_cast<int>(StepPhase::Inhibit)))
        b->setText(t && t->amplitude ? tr("2 Compete") : tr("2 Inhibit"));
    if (!t) {
        where_->setTexts({tr("no step recorded"), tr("no step"), QString()});
        emit firedShown({});
        return;
    }
    const QString step = tr("step %1/%2").arg(t->step_in_patch + 1).arg(t->patch_steps);
    const QString kept = tr("%1/%2 kept").arg(index_ + 1).arg(history_.size());
    where_->setTexts({tr("%1 · tick %2 · %3").arg(step).arg(t->tick).arg(kept),
                      tr("%1 · %2").arg(step, kept), step,
                      QStringLiteral("%1/%2").arg(t->step_in_patch + 1).arg(t->patch_steps)});
    QVector<int> fired;
    if (static_cast<int>(phase_) >= static_cast<int>(StepPhase::Fire))
        for (const std::int32_t j : t->fired)
            fired.push_back(j);
    emit firedShown(fired);
}

QString StepView::whereText() const {
    return where_->text();
}

void StepView::setEmptyHint(const QString& hint) {
    canvas_->setEmptyHint(hint);
}

QString StepView::emptyHint() const {
    return canvas_->emptyHint();
}

}  // namespace stdp::gui
