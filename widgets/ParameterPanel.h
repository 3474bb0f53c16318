#pragma once
// A slider and a spin box per live parameter; a change is sent at once (the network keeps
// learning). Structure settings (K, patch size) need a reset and ask first.

#include <QWidget>
#include <functional>
#include <vector>

#include "Settings.h"

class QAbstractButton;
class QCheckBox;
class QGridLayout;
class QLineEdit;
class QDoubleSpinBox;
class QSlider;
class QSpinBox;

namespace stdp::gui {

class ParameterPanel : public QWidget {
    Q_OBJECT
  public:
    explicit ParameterPanel(QWidget* parent = nullptr);

    // Shows these values without emitting anything.
    void setSettings(const Settings& settings);
    const Settings& settings() const { return settings_; }
    // Shows the current threshold (the layer adapts it, so it is refreshed from snapshots).
    void showThreshold(double theta);

    // Sets a live parameter as if the user had typed it (tests, command line); false if unknown.
    bool setValue(const QString& name, double value);
    QSlider* slider(const QString& name) const;
    QDoubleSpinBox* spinBox(const QString& name) const;

    // Asked before a change that resets the network; default: a QMessageBox question.
    void setConfirmHandler(std::function<bool(const QString&)> confirm) {
        confirm_ = std::move(confirm);
    }

    // The tooltip of a setting: role, equation, range, authors' value.
    static QString tooltipFor(const QString& name);

  signals:
    void dynamicsEdited(const stdp::DynamicsSettings& dynamics, const QString& change);
    void thresholdEdited(double theta);
    void structureChangeRequested(const stdp::StructureSettings& structure);

  private:
    struct Control {
        QString name;
        bool log = false;
        bool integer = false;
        double slider_lo = 0.0;
        double slider_hi = 1.0;
        QSlider* slider = nullptr;
        QDoubleSpinBox* spin = nullptr;
        QCheckBox* check = nullptr;
    };
    void addControl(QGridLayout* grid, const QString& name, bool log, double lo, double hi,
                    int decimals);
    void addCheck(QGridLayout* grid, const QString& name);
    void onSpin(Control& c, double value);
    void onSlider(Control& c, int position);
    int sliderPosition(const Control& c, double value) const;
    double sliderValue(const Control& c, int position) const;
    void applyStructure();

    Settings settings_;
    std::vector<Control> controls_;
    QDoubleSpinBox* theta_ = nullptr;
    QSpinBox* units_ = nullptr;
    QSpinBox* patch_ = nullptr;
    QLineEdit* seed_ = nullptr;
    bool updating_ = false;
    std::function<bool(const QString&)> confirm_;
};

}  // namespace stdp::gui

Q_DECLARE_METATYPE(stdp::DynamicsSettings)
Q_DECLARE_METATYPE(stdp::StructureSettings)
