#include "FocusHandBack.h"

#include <QAbstractSpinBox>
#include <QKeyEvent>
#include <QLineEdit>
#include <QTimer>
#include <QWidget>

namespace stdp::studio {

FocusHandBack::FocusHandBack(QWidget* home, QObject* parent) : QObject(parent), home_(home) {}

void FocusHandBack::watch(QWidget* root) {
    // A spin box hands keys to its line edit directly, past any filter on the edit: watch both.
    QList<QWidget*> fields;
    for (QLineEdit* f : root->findChildren<QLineEdit*>())
        fields << f;
    for (QAbstractSpinBox* f : root->findChildren<QAbstractSpinBox*>())
        fields << f;
    for (QWidget* field : fields) {
        field->removeEventFilter(this);
        field->installEventFilter(this);
    }
}

bool FocusHandBack::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() != QEvent::KeyPress)
        return false;
    const int key = static_cast<QKeyEvent*>(event)->key();
    if (key != Qt::Key_Return && key != Qt::Key_Enter && key != Qt::Key_Escape)
        return false;
    // After the field (and its spin box) have taken the key: the value is committed first.
    QTimer::singleShot(0, this, [this] {
        if (home_)
            home_->setFocus(Qt::ShortcutFocusReason);
    });
    (void)watched;
    return false;
}

}  // namespace stdp::studio
