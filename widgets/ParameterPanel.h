#pragma once
// The model's settings as controls, built from the settings table in core (its ranges, scales
// and sections): a slider and a number box per live setting, applied at the next time step;
// structure settings (K, patch size, seed) need a reset and ask first. An edit is checked once,
// by core's rule (checkValue); a refused or adjusted value is explained under its control. Each
// edit leaves as one typed LiveEdit: a slider drag is one edit, sent when it is released. A
// setting the core fixes for a network's life (the learning rule) is held under its control
// with a button that starts a new network with it; the running network is never told.

#include <QWidget>
#include <functional>
#include <map>
#include <vector>

#include "SettingsMetaTypes.h"
#include "foundation/ChangeLog.h"
#include "foundation/Settings.h"

class QCheckBox;
class QComboBox;
class QPushButton;
class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QSlider;
class QSpinBox;
class QTimer;
class QToolButton;

namespace stdp::gui {

class ParameterPanel : public QWidget {
    Q_OBJECT
  public:
    explicit ParameterPanel(QWidget* parent = nullptr);

    // Shows these values without emitting anything (and clears the messages).
    void setSettings(const Settings& settings);
    const Settings& settings() const { return settings_; }
    // The values "restore" goes back to: the preset the session started from.
    void setPresetSettings(const Settings& preset);
    const Settings& presetSettings() const { return preset_; }
    // Shows the current threshold (the layer adapts it, so it is refreshed from snapshots).
    void showThreshold(double theta);

    // Sets a live setting as if the user had typed it (tests, command line); false if unknown.
    bool setValue(const QString& name, double value);
    // Puts the preset's value back: one setting, or every live setting as one edit.
    bool restoreValue(const QString& name);
    void restoreAll();
    // True when some live setting differs from the preset.
    bool differsFromPreset() const { return settings_.dynamics != preset_.dynamics; }

    QSlider* slider(const QString& name) const;
    QDoubleSpinBox* spinBox(const QString& name) const;
    QCheckBox* checkBox(const QString& name) const;
    QComboBox* comboBox(const QString& name) const;
    // Under a setting that needs a new network, once a new value waits for one.
    QPushButton* newNetworkButton(const QString& name) const;
    // The explanation under a control (hidden when there is nothing to say).
    QLabel* messageLabel(const QString& name) const;
    QToolButton* restoreButton(const QString& name) const;

    // Asked before a change that resets the network; default: a QMessageBox question.
    void setConfirmHandler(std::function<bool(const QString&)> confirm) {
        confirm_ = std::move(confirm);
    }

    // The tooltip of a setting: role, equation, range, authors' value.
    static QString tooltipFor(const QString& name);
    // Whether a setting acts on a layer with these settings: the softmax's τ_s, the leak τ_m and
    // the bias β do not with amplitude coding, its h, h2, p, g, overlap share and learning rule
    // not without; the residual rule's β only with that rule, the ON/OFF opponency only with
    // ON/OFF inputs.
    static bool appliesTo(const QString& name, const Settings& settings);
    // The θ row's label (its meaning changes with amplitude coding).
    QLabel* thresholdLabel() const { return theta_label_; }
    // The line that says which controls are hidden for the current coding, and why.
    QLabel* modeNote() const { return mode_note_; }

  signals:
    void liveEdited(const stdp::LiveEdit& edit);
    void thresholdEdited(double theta);
    void structureChangeRequested(const stdp::StructureSettings& structure);
    // A new network with these settings (a value the running network cannot take), confirmed.
    void newNetworkRequested(const stdp::Settings& settings);
    void presetDifferenceChanged(bool differs);

  private:
    struct Control {
        QString name;
        const SettingInfo* info = nullptr;
        QSlider* slider = nullptr;
        QDoubleSpinBox* spin = nullptr;
        QCheckBox* check = nullptr;
        QComboBox* combo = nullptr;
        QPushButton* new_network = nullptr;  // settings the running network cannot take
        bool has_pending = false;            // a value waiting for a new network
        double pending = 0.0;
        QToolButton* restore = nullptr;
        QLabel* message = nullptr;
        QLabel* label = nullptr;
    };
    void buildSection(QGridLayout* grid, PanelSection section);
    void addLiveControl(QGridLayout* grid, const SettingInfo& info);
    void addThresholdRow(QGridLayout* grid);
    void addStructureControl(QGridLayout* grid, const SettingInfo& info);
    void offerRestore(Control& c, QWidget* w);
    Control* find(const QString& name);
    const Control* find(const QString& name) const;
    // The one path of an edit: check with core's rule, explain, show, emit.
    void edit(Control& c, double value, ChangeOrigin origin);
    void onSlider(Control& c, int position);
    void commitSettling();
    void display(Control& c, double value);
    void say(Control& c, const QString& text, bool refusal);
    void updateRestore(Control& c);
    void emitEdit(const Settings& after, ChangeOrigin origin);
    int sliderPosition(const Control& c, double value) const;
    double sliderValue(const Control& c, int position) const;
    void applyStructure();
    // A setting fixed for a network's life: hold the value and offer a new network with it.
    void holdForNewNetwork(Control& c, double value, double current);
    void startNewNetwork();
    // Shows the controls that act on the current coding, names the others, relabels θ.
    void showCodingMode();

    Settings settings_;
    Settings preset_;
    std::vector<Control> controls_;
    std::map<QString, QSpinBox*> structure_boxes_;
    QDoubleSpinBox* theta_ = nullptr;
    QLabel* theta_label_ = nullptr;
    QLabel* mode_note_ = nullptr;
    QLabel* beyond_note_ = nullptr;
    QLineEdit* seed_ = nullptr;
    bool updating_ = false;
    bool differed_ = false;
    QTimer* settle_timer_;
    Control* settling_ = nullptr;  // a slider moved by keys or wheel, waiting to settle
    std::function<bool(const QString&)> confirm_;
};

}  // namespace stdp::gui
