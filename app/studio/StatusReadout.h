#pragma once
// The permanent readouts of the status bar: where training is, θ, the validation RMSE and the
// speed, formatted from a snapshot. Each has a long and a short form: when the long forms would
// leave a message on the left ("All N images presented · …") too little room (a 1280x720
// window), the short ones are shown, the long ones in their tooltips.

#include <QObject>
#include <QString>

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
    QString rateText() const;  // tests: the long form
    bool isCompact() const { return compact_; }

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    struct Readout {
        QLabel* label = nullptr;
        QString full;
        QString brief;
    };
    void set(Readout& r, const QString& full, const QString& brief);
    // Long or short forms, by the bar's width.
    void fit();

    QStatusBar* bar_;
    Readout counter_;
    Readout theta_;
    Readout rmse_;
    QLabel* deferred_;
    Readout rate_;
    bool compact_ = false;
};

}  // namespace stdp::studio
