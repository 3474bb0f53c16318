#pragma once
// "Pick the input": which input the network gets next, chosen by the user rather than the data's
// order. An image of the data by its number, one patch by a click on the image in the
// reconstruction view, or a drawing from Draw and present; with learning frozen (the network is
// left exactly as it was) or on. Says what is being presented and how far it has gone.

#include <QWidget>
#include <cstddef>

#include "model/TrainingSession.h"

class QCheckBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace stdp::gui {

class InputPicker : public QWidget {
    Q_OBJECT
  public:
    explicit InputPicker(QWidget* parent = nullptr);

    // Images of the data that can be chosen (0 disables the choice).
    void setImageCount(std::size_t count);
    // Learning on while a chosen input is presented (off: frozen).
    bool learns() const;
    void setLearns(bool on);
    // The worker's presentation, for the status line and the Stop button.
    void setProgress(const PresentationProgress& progress, bool running);
    QString statusText() const;

  signals:
    void imageChosen(std::size_t index);
    void stopRequested();

  private:
    QSpinBox* index_ = nullptr;
    QPushButton* present_ = nullptr;
    QPushButton* stop_ = nullptr;
    QCheckBox* learn_ = nullptr;
    QLabel* status_ = nullptr;
    bool was_active_ = false;
};

}  // namespace stdp::gui
