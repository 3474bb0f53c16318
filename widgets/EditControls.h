#pragma once
// Parameter controls that are safe to scroll past and that read numbers as scientists write
// them. A control changes only when the user means it: the mouse wheel moves a slider or a spin
// box only once the control has focus (a click or Tab); otherwise the wheel scrolls the panel.

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QSlider>
#include <QSpinBox>

namespace stdp::gui {

class FocusWheelSlider : public QSlider {
    Q_OBJECT
  public:
    explicit FocusWheelSlider(Qt::Orientation orientation, QWidget* parent = nullptr);

  protected:
    void wheelEvent(QWheelEvent* event) override;
};

class FocusWheelSpinBox : public QSpinBox {
    Q_OBJECT
  public:
    explicit FocusWheelSpinBox(QWidget* parent = nullptr);

  protected:
    void wheelEvent(QWheelEvent* event) override;
};

class FocusWheelComboBox : public QComboBox {
    Q_OBJECT
  public:
    explicit FocusWheelComboBox(QWidget* parent = nullptr);

  protected:
    void wheelEvent(QWheelEvent* event) override;
};

// A spin box for real settings: accepts decimal and scientific notation ("5e-5", "1e-30"),
// shows six significant digits, and keeps the value exactly as typed (no rounding to a fixed
// number of decimals, which turned 5e-5 into 0.0001 at four decimals).
class NumberSpinBox : public QDoubleSpinBox {
    Q_OBJECT
  public:
    explicit NumberSpinBox(QWidget* parent = nullptr);

    QValidator::State validate(QString& text, int& pos) const override;
    double valueFromText(const QString& text) const override;
    QString textFromValue(double value) const override;

  protected:
    void wheelEvent(QWheelEvent* event) override;
};

}  // namespace stdp::gui
