#include "ExperimentRecorder.h"

namespace stdp::studio {

ExperimentRecorder::ExperimentRecorder(SimulationController* controller, QObject* parent)
    : QObject(parent), controller_(controller) {
    why_not_ = tr("no network yet");
    connect(controller_, &SimulationController::liveChangesApplied, this,
            [this](const std::vector<LiveChange>& changes) {
                experiment_.changes.insert(experiment_.changes.end(), changes.begin(),
                                           changes.end());
            });
    connect(controller_, &SimulationController::networkReplaced, this,
            &ExperimentRecorder::startFromSeed);
    connect(controller_, &SimulationController::learnedFromPresentation, this,
            [this](quint64 step) {
                if (why_not_.isEmpty())
                    why_not_ = tr("the network learnt from a chosen input at step %1 (Pick the "
                                  "input or Draw and present with \"learn from it\"), which an "
                                  "experiment file cannot replay")
                                   .arg(step);
            });
}

void ExperimentRecorder::startFromSeed() {
    experiment_ = {};
    experiment_.settings = controller_->settings();
    const DataChoice& data = controller_->data();
    experiment_.data_spec = data.spec.toStdString();
    // The studio trains on the first images of the SPEC (the rest validates): name them.
    experiment_.offset = 0;
    experiment_.images = data.train ? data.train->size() : 0;
    why_not_.clear();
    if (!data.train)
        why_not_ = tr("no data");
}

void ExperimentRecorder::startFromState(const QString& why_not) {
    experiment_ = {};
    why_not_ = why_not;
}

std::optional<Experiment> ExperimentRecorder::experiment(std::uint64_t steps, const QString& preset,
                                                         QString* why_not) const {
    if (!why_not_.isEmpty()) {
        if (why_not)
            *why_not = why_not_;
        return std::nullopt;
    }
    Experiment e = experiment_;
    e.preset = preset.toStdString();
    e.steps = steps;
    // A change reported after the run ended (at `steps`) belongs to no step of it.
    std::erase_if(e.changes, [steps](const LiveChange& c) { return c.step > steps; });
    return e;
}

}  // namespace stdp::studio
