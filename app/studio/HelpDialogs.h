#pragma once
// Help ▸ About STDP Studio and Help ▸ Keyboard shortcuts. The shortcut list is read from the
// window's actions, so it can never disagree with what the keys do.

#include <QList>
#include <QPair>
#include <QString>

class QWidget;

namespace stdp::studio {

// Version, licence and how to cite the paper, as rich text.
QString aboutText();
// Every action of `window` that has a shortcut: (what it does, the keys), in menu order.
QList<QPair<QString, QString>> shortcutTable(const QWidget* window);

void showAboutDialog(QWidget* window);
void showShortcutsDialog(QWidget* window);

}  // namespace stdp::studio
