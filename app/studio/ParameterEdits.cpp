#include "ParameterEdits.h"

#include <QUndoCommand>

#include "ParameterPanel.h"
#include "SimulationController.h"
#include "model/Experiment.h"

namespace stdp::studio {

namespace {
QString describe(const LiveEdit& edit) {
    if (edit.changes.size() == 1) {
        const SettingChange& c = edit.changes.front();
        return QStringLiteral("%1 = %2").arg(
            QString::fromStdString(c.name),
            QString::fromStdString(numberText(c.name, c.new_value)));
    }
    return edit.origin == ChangeOrigin::Restore
               ? QObject::tr("restore all to preset (%1 settings)").arg(edit.changes.size())
               : QObject::tr("%1 settings").arg(edit.changes.size());
}

LiveEdit reversed(const LiveEdit& edit, const DynamicsSettings& before) {
    LiveEdit back;
    back.dynamics = before;
    back.origin = ChangeOrigin::Undo;
    for (const SettingChange& c : edit.changes)
        back.changes.push_back({c.name, c.new_value, c.old_value});
    return back;
}
}  // namespace

// One edit as an undo step. The stack is strictly last-in first-out and is cleared when the
// settings are replaced from elsewhere, so undo restores exactly the settings before the edit.
class EditCommand : public QUndoCommand {
  public:
    EditCommand(ParameterEdits* owner, LiveEdit edit, DynamicsSettings before)
        : QUndoCommand(describe(edit)), owner_(owner), edit_(std::move(edit)), before_(before) {}

    void redo() override {
        LiveEdit e = edit_;
        if (!first_)
            e.origin = ChangeOrigin::Redo;
        first_ = false;
        owner_->apply(e);
    }
    void undo() override { owner_->apply(reversed(edit_, before_)); }

  private:
    ParameterEdits* owner_;
    LiveEdit edit_;
    DynamicsSettings before_;
    bool first_ = true;
};

ParameterEdits::ParameterEdits(SimulationController* controller, gui::ParameterPanel* panel,
                               QObject* parent)
    : QObject(parent), controller_(controller), panel_(panel) {
    qRegisterMetaType<LiveEdit>();
    known_ = controller_->settings().dynamics;
    connect(panel_, &gui::ParameterPanel::liveEdited, this, &ParameterEdits::submit);
    // The log's moment of each change is the one the worker applied it at (the edit was made
    // a few milliseconds earlier, on an older snapshot).
    connect(controller_, &SimulationController::liveChangesApplied, this,
            [this](const std::vector<LiveChange>& changes) {
                const SnapshotPtr latest = controller_->latest();
                const std::uint64_t offset = latest ? latest->images_offset : 0;
                bool any = false;
                for (const LiveChange& c : changes)
                    any = log_.confirm(c.setting, offset + c.images, c.step) || any;
                if (any)
                    emit logChanged();
            });
    // θ is state, not a setting: overwriting it is logged under the name an experiment file
    // replays (kThetaNow), but not undoable.
    connect(panel_, &gui::ParameterPanel::thresholdEdited, this, [this](double theta) {
        const SnapshotPtr latest = controller_->latest();
        log_.append(entry(kThetaNow, latest ? double(latest->theta_mean) : theta, theta,
                          ChangeOrigin::User));
        emit logChanged();
    });
}

ChangeLogEntry ParameterEdits::entry(const std::string& setting, double old_value, double new_value,
                                     ChangeOrigin origin) const {
    const SnapshotPtr latest = controller_->latest();
    ChangeLogEntry e;
    e.wall_ms = ChangeLog::nowMs();
    e.images = latest ? latest->images_offset + latest->counters.images : 0;
    e.steps = latest ? latest->counters.steps : 0;
    e.setting = setting;
    e.old_value = old_value;
    e.new_value = new_value;
    e.origin = origin;
    return e;
}

void ParameterEdits::submit(const LiveEdit& edit) {
    if (edit.changes.empty())
        return;
    stack_.push(new EditCommand(this, edit, controller_->settings().dynamics));
}

void ParameterEdits::apply(const LiveEdit& edit) {
    controller_->applyEdit(edit);
    known_ = edit.dynamics;
    if (panel_->settings().dynamics != edit.dynamics) {  // undo, redo: the panel did not make it
        Settings shown = panel_->settings();
        shown.dynamics = edit.dynamics;
        panel_->setSettings(shown);
    }
    for (const SettingChange& c : edit.changes)
        log_.append(entry(c.name, c.old_value, c.new_value, edit.origin));
    emit logChanged();
    emit applied(QStringLiteral("%1 (%2)").arg(describe(edit),
                                               QLatin1String(changeOriginName(edit.origin))));
}

void ParameterEdits::onNetworkReplaced() {
    if (controller_->settings().dynamics != known_)
        stack_.clear();
    known_ = controller_->settings().dynamics;
}

}  // namespace stdp::studio
