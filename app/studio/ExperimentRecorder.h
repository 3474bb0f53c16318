#pragma once
// Writes down the current run as an experiment anyone can rerun (core/model/Experiment.h): the
// settings and data the network started from and every live change at the step it took effect, as
// the worker reports them. A network opened from a bundle cannot be rerun from its seed: the
// recorder says so instead of writing a file that would not reproduce it.

#include <QObject>
#include <QString>
#include <optional>

#include "SimulationController.h"
#include "model/Experiment.h"

namespace stdp::studio {

class ExperimentRecorder : public QObject {
    Q_OBJECT
  public:
    // Follows `controller`: every new network (configure, reset) starts a new experiment from
    // the controller's settings and data; live changes are recorded as they take effect.
    explicit ExperimentRecorder(SimulationController* controller, QObject* parent = nullptr);

    // A new network from the seed: the controller's settings and data now.
    void startFromSeed();
    // The network just configured did not start from the seed (an opened bundle, imported
    // filters): no experiment file can reproduce it.
    void startFromState(const QString& why_not);

    // The experiment so far, ending at `steps` time steps, its settings from `preset`; nullopt
    // with the reason if the run cannot be replayed from a file.
    std::optional<Experiment> experiment(std::uint64_t steps, const QString& preset,
                                         QString* why_not = nullptr) const;
    std::size_t changeCount() const { return experiment_.changes.size(); }

  private:
    SimulationController* controller_;
    Experiment experiment_;
    QString why_not_;  // empty: replayable
};

}  // namespace stdp::studio
