#pragma once
// The permanent readouts of the status bar: where training is, θ, the validation RMSE and the
// speed, formatted from a snapshot.

#include <QObject>

#include "Snapshot.h"

class QLabel;
class QStatusBar;

namespace stdp::studio {

class StatusReadout : public QObject {
    Q_OBJECT
  public:
    explicit StatusReadout(QStatusBar* bar);

    void showSnapshot(const Snapshot& s);
    void showMetrics(const ReconstructionMetrics& m);
    void clearMetrics();
    // Other programs keep the machine busy: the evaluation waits for the simulation's sake.
    void showEvaluationDeferred(bool deferred);
    QString rateText() const;  // tests

  private:
    QLabel* counter_;
    QLabel* theta_;
    QLabel* rmse_;
    QLabel* deferred_;
    QLabel* rate_;
};

}  // namespace stdp::studio
