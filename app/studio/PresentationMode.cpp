#include "PresentationMode.h"

#include <QAction>
#include <QDockWidget>
#include <QMainWindow>
#include <QShortcut>
#include <QTimer>
#include <QVariant>

namespace stdp::studio {

namespace {
constexpr const char* kKeepProperty = "stdpKeepInPresentation";
}  // namespace

void PresentationMode::keepVisible(QDockWidget* dock, bool keep) {
    dock->setProperty(kKeepProperty, keep);
}

bool PresentationMode::isKeptVisible(const QDockWidget* dock) {
    return dock->property(kKeepProperty).toBool();
}

PresentationMode::PresentationMode(QMainWindow* window)
    : QObject(window),
      window_(window),
      action_(new QAction(tr("&Presentation mode"), this)),
      escape_(new QShortcut(QKeySequence(Qt::Key_Escape), window)) {
    action_->setCheckable(true);
    action_->setShortcuts(
        {QKeySequence(Qt::Key_F5), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P)});
    action_->setToolTip(
        tr("Full screen, larger text, only the fields, the spikes and the reconstruction "
           "(F5 or Ctrl+Shift+P; Esc leaves)"));
    escape_->setEnabled(false);
    connect(action_, &QAction::toggled, this, &PresentationMode::setActive);
    connect(escape_, &QShortcut::activated, this, [this] { setActive(false); });
}

void PresentationMode::setActive(bool active) {
    if (active == active_)
        return;
    active_ = active;
    if (active)
        enter();
    else
        leave();
    action_->setChecked(active);
    escape_->setEnabled(active);
    emit scaleChanged(active ? kScale : 1.0);
}

void PresentationMode::enter() {
    geometry_ = window_->geometry();
    state_ = window_->saveState();
    window_states_ = window_->windowState();
    QList<QWidget*> scaled{window_->centralWidget()};
    for (QDockWidget* dock : window_->findChildren<QDockWidget*>()) {
        if (!isKeptVisible(dock))
            dock->hide();
        else if (dock->widget())
            scaled.append(dock->widget());
    }
    fonts_.clear();
    for (QWidget* w : scaled) {
        if (!w)
            continue;
        fonts_.append({w, w->testAttribute(Qt::WA_SetFont), w->font()});
        QFont larger = w->font();
        if (larger.pointSizeF() > 0)
            larger.setPointSizeF(larger.pointSizeF() * kScale);
        else
            larger.setPixelSize(static_cast<int>(larger.pixelSize() * kScale));
        w->setFont(larger);
    }
    window_->setWindowState(window_states_ | Qt::WindowFullScreen);
}

void PresentationMode::leave() {
    for (const SavedFont& saved : std::as_const(fonts_))
        if (saved.widget)
            saved.widget->setFont(saved.was_set ? saved.font : QFont());
    fonts_.clear();
    // Back from full screen first; then the size and place of a window that was neither full
    // screen nor maximised, and the docks' places, sizes and visibility.
    window_->setWindowState(window_states_);
    if (!(window_states_ & (Qt::WindowMaximized | Qt::WindowFullScreen)))
        window_->setGeometry(geometry_);
    window_->restoreState(state_);
    // Once more after the relayout that the restored fonts and size cause (posted events, run
    // before this timer), which would otherwise shift the dock splitters by a few pixels.
    QTimer::singleShot(0, this, [this, state = state_] {
        if (!active_)
            window_->restoreState(state);
    });
}

}  // namespace stdp::studio
