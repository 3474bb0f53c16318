// MainWindow: the Edit menu, the undo stack of parameter edits and the change-log dock.

#include <QAction>
#include <QDockWidget>
#include <QFileDialog>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>

#include "ChangeLogView.h"
#include "Export.h"
#include "MainWindow.h"
#include "ParameterEdits.h"
#include "ParameterPanel.h"
#include "model/Presets.h"

namespace stdp::studio {

void MainWindow::buildEditing() {
    edits_ = new ParameterEdits(controller_, parameters_, this);
    change_log_ = new gui::ChangeLogView(&edits_->log());
    auto* dock = new QDockWidget(tr("Change log"), this);
    dock->setObjectName(QStringLiteral("change_log"));
    dock->setWidget(change_log_);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                      QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::RightDockWidgetArea, dock);
    if (auto* about = findChild<QDockWidget*>(QStringLiteral("about")))
        tabifyDockWidget(about, dock);
    if (auto* params = findChild<QDockWidget*>(QStringLiteral("parameters")))
        params->raise();
    connect(edits_, &ParameterEdits::logChanged, change_log_, &gui::ChangeLogView::refresh);
    connect(change_log_, &gui::ChangeLogView::exportRequested, this,
            &MainWindow::exportChangeLogDialog);
    connect(edits_, &ParameterEdits::applied, this, &MainWindow::showPresetState);
    connect(edits_, &ParameterEdits::applied, this, [this](const QString& what) {
        // After an undo the way back is Redo, not Undo.
        const bool undone = what.endsWith(QStringLiteral("(undo)"));
        statusBar()->showMessage(
            undone ? tr("Changed (live): %1 — Edit ▸ Redo (Ctrl+Shift+Z) puts it back").arg(what)
                   : tr("Changed (live): %1 — Edit ▸ Undo (Ctrl+Z) takes it back").arg(what),
            4000);
    });
}

void MainWindow::buildEditMenu() {
    QAction* after_file = menuBar()->actions().value(1);
    auto* edit = new QMenu(tr("&Edit"), this);
    menuBar()->insertMenu(after_file, edit);
    QAction* undo = edits_->undoStack()->createUndoAction(this, tr("Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = edits_->undoStack()->createRedoAction(this, tr("Redo"));
    redo->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    QAction* restore = edit->addAction(tr("Restore all parameters to the preset"), parameters_,
                                       &gui::ParameterPanel::restoreAll);
    restore->setEnabled(parameters_->differsFromPreset());
    connect(parameters_, &gui::ParameterPanel::presetDifferenceChanged, restore,
            &QAction::setEnabled);
    for (QAction* a : menuBar()->actions())
        if (a->menu() && a->text() == tr("&Export"))
            a->menu()->addAction(tr("C&hange log as CSV…"), this,
                                 &MainWindow::exportChangeLogDialog);
}

void MainWindow::onSettingsReplaced() {
    // Queued: start() and openBundle() name the new preset just after configuring the network.
    QMetaObject::invokeMethod(this, &MainWindow::usePresetAsReference, Qt::QueuedConnection);
    edits_->onNetworkReplaced();
}

void MainWindow::usePresetAsReference() {
    // "Restore" goes back to the preset the session started from (the settings themselves when
    // they came from elsewhere, e.g. a bundle of an unknown preset).
    Settings reference = controller_->settings();
    try {
        if (const QString preset = session_->preset(); !preset.isEmpty())
            reference.dynamics = presetSettings(preset.toStdString()).dynamics;
    } catch (const UserError&) {
    }
    parameters_->setPresetSettings(reference);
    showPresetState();  // a new network with another rule or K departs from its preset
}

void MainWindow::exportChangeLogDialog() {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export the change log"),
                                     QStringLiteral("change-log.csv"), tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    if (const QString error = exportCsv(*change_log_, path); !error.isEmpty())
        showError(tr("Cannot export"), error);
    else
        statusBar()->showMessage(tr("Change log written to %1").arg(path), 5000);
}

}  // namespace stdp::studio
