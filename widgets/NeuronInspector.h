#pragma once
// One neuron up close: its field enlarged, its threshold, how often it wins and fired recently.

#include <QWidget>
#include <memory>

#include "ViewData.h"

namespace stdp::gui {

class NeuronInspector : public QWidget {
    Q_OBJECT
  public:
    explicit NeuronInspector(QWidget* parent = nullptr);

    void setSnapshot(std::shared_ptr<const FieldsSnapshot> snapshot);
    void setNeuron(int neuron);
    int neuron() const { return neuron_; }
    // The text lines shown beside the field (tests read them).
    QStringList lines() const;
    QRect fieldRect() const;

    QSize sizeHint() const override { return {360, 200}; }
    QSize minimumSizeHint() const override { return {200, 120}; }

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    std::shared_ptr<const FieldsSnapshot> snapshot_;
    int neuron_ = 0;
};

}  // namespace stdp::gui
