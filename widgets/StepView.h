#pragma once
// "Inside one time step": the chain of one step of the layer — input spikes, potentials,
// softmax against the threshold, winners, each winner's weight change, the threshold's update —
// each phase labelled with its equation and the step's own numbers. A teacher walks through the
// phases one at a time (→ / ←) and back through the recorded steps (↑ / ↓); the network itself
// never rewinds, the view keeps the last few hundred steps it was sent.

#include <QString>
#include <QVector>
#include <QWidget>
#include <deque>

#include "model/StepTrace.h"

class QLabel;
class QSlider;
class QToolButton;
class QButtonGroup;

namespace stdp::gui {

enum class StepPhase { Input, Integrate, Inhibit, Fire, Learn, Adapt };
constexpr int kStepPhases = 6;

// What one phase of a step says in words and numbers (the view's captions; tests read them).
struct PhaseText {
    QString title;
    QString equation;
    QString numbers;
};
PhaseText describePhase(const StepTrace& trace, StepPhase phase);

// Amplitude coding: U_j - q |w_j|^2 of every neuron (a neuron may fire once it is >= 0).
std::vector<float> amplitudeExcess(const StepTrace& trace);
// Values of a field (D inputs) in pixel space: w, or w_on - w_off with ON/OFF inputs.
std::vector<float> pixelValues(std::span<const float> field, int patch_size, bool onoff);

class StepCanvas;

class StepView : public QWidget {
    Q_OBJECT
  public:
    static constexpr std::size_t kMaxHistory = 400;

    explicit StepView(QWidget* parent = nullptr);

    // New recorded steps, oldest first. While the view follows the newest step (Live) it jumps
    // to the last of them; while the user browses older steps it stays where it is.
    void append(const std::vector<StepTracePtr>& traces);
    void clear();  // a new network
    // Why Step cannot record a step now (all images presented), shown while no step is; empty:
    // it can.
    void setEmptyHint(const QString& hint);
    QString emptyHint() const;

    std::size_t historySize() const { return history_.size(); }
    // The step shown: 0 = oldest kept; null if none.
    const StepTrace* current() const;
    std::size_t currentIndex() const { return index_; }
    StepPhase phase() const { return phase_; }
    bool live() const { return live_; }
    // The header's "step 3/40 · tick 1234 · 12/400 kept", in the longest form that fits.
    QString whereText() const;

    void setPhase(StepPhase phase);
    void showIndex(std::size_t index);
    void nextPhase();      // past the last phase: the next step (or ask for one)
    void previousPhase();  // before the first: the previous step's last phase
    void olderStep();
    void newerStep();
    void goLive();

  signals:
    // The neurons that fire in the step shown (for highlights elsewhere, e.g. the mosaic).
    void firedShown(const QVector<int>& neurons);
    // Walking past the newest step's last phase: the user asks the simulation for one more.
    void stepRequested();

  protected:
    void keyPressEvent(QKeyEvent* event) override;

  private:
    void refresh();

    std::deque<StepTracePtr> history_;
    std::size_t index_ = 0;
    StepPhase phase_ = StepPhase::Adapt;
    bool live_ = true;
    bool walk_into_next_ = false;  // a requested step opens at its first phase

    StepCanvas* canvas_ = nullptr;
    QSlider* history_slider_ = nullptr;
    class FittingLabel* where_ = nullptr;
    QToolButton* live_button_ = nullptr;
    QButtonGroup* phases_ = nullptr;
};

}  // namespace stdp::gui
