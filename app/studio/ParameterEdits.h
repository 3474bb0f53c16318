#pragma once
// Live edits of the parameters as undoable commands: each edit from the panel (one change, or a
// restore of every setting) is one step of the undo stack; doing, undoing or redoing it applies
// the settings through the controller, shows them in the panel and writes one change-log entry
// per setting changed, with the images seen at that moment. Widget-free apart from the panel it
// listens to, so tests drive it directly.

#include <QObject>
#include <QUndoStack>

#include "foundation/ChangeLog.h"

namespace stdp::gui {
class ParameterPanel;
}

namespace stdp::studio {

class SimulationController;

class ParameterEdits : public QObject {
    Q_OBJECT
  public:
    ParameterEdits(SimulationController* controller, gui::ParameterPanel* panel,
                   QObject* parent = nullptr);

    QUndoStack* undoStack() { return &stack_; }
    const ChangeLog& log() const { return log_; }

    // An edit made in the panel: becomes one undo step.
    void submit(const LiveEdit& edit);
    // The network was replaced (new preset, data or bundle): edits of the old settings can no
    // longer be undone; a plain Reset keeps the settings and the stack.
    void onNetworkReplaced();

  signals:
    void logChanged();
    // An edit took effect (done, undone, redone): a line for the status bar.
    void applied(const QString& what);

  private:
    friend class EditCommand;
    void apply(const LiveEdit& edit);
    ChangeLogEntry entry(const std::string& setting, double old_value, double new_value,
                         ChangeOrigin origin) const;

    SimulationController* controller_;
    gui::ParameterPanel* panel_;
    QUndoStack stack_;
    ChangeLog log_;
    DynamicsSettings known_;  // the live settings the stack's newest step leaves
};

}  // namespace stdp::studio
