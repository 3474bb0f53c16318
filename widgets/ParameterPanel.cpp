#include "ParameterPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QContextMenuEvent>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QSlider>
#include <QSpinBox>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "EditControls.h"
#include "model/Presets.h"

#include "ParameterPanelText.h"

namespace stdp::gui {

using namespace panel_text;

int ParameterPanel::sliderPosition(const Control& c, double value) const {
    const PanelHint& h = c.info->panel;
    double t = 0.0;
    if (h.log_scale) {
        const double v = std::max(value, h.lo);
        t = std::log(v / h.lo) / std::log(h.hi / h.lo);
    } else {
        t = (value - h.lo) / (h.hi - h.lo);
    }
    return static_cast<int>(std::lround(std::clamp(t, 0.0, 1.0) * kSliderSteps));
}

double ParameterPanel::sliderValue(const Control& c, int position) const {
    const PanelHint& h = c.info->panel;
    const double t = static_cast<double>(position) / kSliderSteps;
    const double v = h.log_scale ? h.lo * std::pow(h.hi / h.lo, t) : h.lo + t * (h.hi - h.lo);
    // Values a reader can say aloud: a few significant digits, whole numbers for counts.
    return c.info->kind == SettingKind::Int ? std::round(v) : roundSignificant(v, h.digits);
}

void ParameterPanel::onSlider(Control& c, int position) {
    if (updating_)
        return;
    // The box follows the handle; the edit is made once: on release of a drag, or when a run of
    // key presses, groove clicks or wheel turns (with focus) has settled.
    updating_ = true;
    c.spin->setValue(sliderValue(c, position));
    updating_ = false;
    if (c.slider->isSliderDown())
        return;
    if (settling_ && settling_ != &c)
        commitSettling();
    settling_ = &c;
    settle_timer_->start();
}

void ParameterPanel::commitSettling() {
    settle_timer_->stop();
    if (Control* c = std::exchange(settling_, nullptr))
        edit(*c, c->spin->value(), ChangeOrigin::User);
}

void ParameterPanel::say(Control& c, const QString& text, bool refusal) {
    c.message->setText(text);
    c.message->setStyleSheet(QLatin1String(refusal ? kRefusedStyle : kNoteStyle));
    c.message->setVisible(!text.isEmpty());
}

void ParameterPanel::display(Control& c, double value) {
    updating_ = true;
    if (c.check)
        c.check->setChecked(value != 0.0);
    if (c.combo)
        c.combo->setCurrentIndex(static_cast<int>(value));
    if (c.spin)
        c.spin->setValue(value);
    if (c.slider && !c.slider->isSliderDown())
        c.slider->setValue(sliderPosition(c, value));
    updating_ = false;
    updateRestore(c);
}

void ParameterPanel::updateRestore(Control& c) {
    const std::string key = c.name.toStdString();
    const double preset = numericValue(preset_, key);
    const bool differs = numericValue(settings_, key) != preset;
    c.restore->setVisible(differs && appliesTo(c.name, settings_));
    c.restore->setToolTip(
        tr("Restore the preset's value (%1)").arg(QString::fromStdString(numberText(key, preset))));
}

void ParameterPanel::edit(Control& c, double value, ChangeOrigin origin) {
    if (settling_ == &c) {  // typed or restored meanwhile: that value wins
        settle_timer_->stop();
        settling_ = nullptr;
    }
    const std::string key = c.name.toStdString();
    const double before = numericValue(settings_, key);
    const ValueCheck check = checkValue(settings_, key, value);
    const QString typed = c.combo ? choiceText(*c.info, value) : shown(value);
    if (!check.accepted) {
        say(c,
            (check.cross_setting ? tr("Refused %1 (cross-setting rule): %2") : tr("Refused %1: %2"))
                .arg(typed, QString::fromStdString(check.refusal)),
            true);
        display(c, c.has_pending ? c.pending : before);  // what the network uses, or will
        return;
    }
    if (!c.info->live) {
        holdForNewNetwork(c, check.value, before);
        return;
    }
    say(c,
        check.note.empty() ? QString()
                           : tr("%1 → %2").arg(shown(value), QString::fromStdString(check.note)),
        false);
    display(c, check.value);
    if (check.value == before)
        return;
    emitEdit(check.settings, origin);
}

void ParameterPanel::emitEdit(const Settings& after, ChangeOrigin origin) {
    LiveEdit e;
    e.changes = liveDifferences(settings_.dynamics, after.dynamics);
    e.dynamics = after.dynamics;
    e.origin = origin;
    settings_ = after;
    for (Control& c : controls_)
        updateRestore(c);
    showCodingMode();
    if (differsFromPreset() != differed_) {
        differed_ = differsFromPreset();
        emit presetDifferenceChanged(differed_);
    }
    if (!e.changes.empty())
        emit liveEdited(e);
}

void ParameterPanel::holdForNewNetwork(Control& c, double value, double current) {
    c.has_pending = value != current;
    c.pending = value;
    display(c, value);
    if (c.new_network)
        c.new_network->setVisible(c.has_pending);
    say(c,
        c.has_pending
            ? tr("Applies to a new network: the running one keeps %1 (a network learns by one "
                 "rule from its first patch; its run and experiment file record that rule).")
                  .arg(choiceText(*c.info, current))
            : QString(),
        false);
}

void ParameterPanel::startNewNetwork() {
    Settings next = settings_;
    QStringList changed;
    for (Control& c : controls_)
        if (c.has_pending) {
            const ValueCheck check = checkValue(next, c.name.toStdString(), c.pending);
            if (!check.accepted) {
                say(c, QString::fromStdString(check.refusal), true);
                return;
            }
            next = check.settings;
            changed << QStringLiteral("%1 = %2").arg(
                c.name, c.combo ? choiceText(*c.info, c.pending) : shown(c.pending));
        }
    if (changed.isEmpty())
        return;
    if (!confirm_(tr("A new network with %1 starts from the seed: the learned weights are lost. "
                     "Start it now?")
                      .arg(changed.join(QStringLiteral(", ")))))
        return;
    emit newNetworkRequested(next);
}

void ParameterPanel::setSettings(const Settings& settings) {
    settle_timer_->stop();  // replaced from outside: a pending slider value is void
    settling_ = nullptr;
    settings_ = settings;
    for (Control& c : controls_) {
        c.has_pending = false;
        if (c.new_network)
            c.new_network->hide();
        say(c, QString(), false);
        display(c, numericValue(settings_, c.name.toStdString()));
    }
    updating_ = true;
    for (auto& [name, box] : structure_boxes_)
        box->setValue(static_cast<int>(numericValue(settings_, name.toStdString())));
    seed_->setText(QString::number(settings_.structure.seed));
    updating_ = false;
    differed_ = differsFromPreset();
    showCodingMode();
    emit presetDifferenceChanged(differed_);
}

void ParameterPanel::setPresetSettings(const Settings& preset) {
    preset_ = preset;
    for (Control& c : controls_)
        updateRestore(c);
    differed_ = differsFromPreset();
    emit presetDifferenceChanged(differed_);
}

void ParameterPanel::showThreshold(double theta) {
    if (theta_->hasFocus())
        return;  // do not fight the user's typing
    updating_ = true;
    theta_->setValue(theta);
    updating_ = false;
}

bool ParameterPanel::setValue(const QString& name, double value) {
    Control* c = find(name);
    if (!c)
        return false;
    edit(*c, value, ChangeOrigin::User);
    return true;
}

bool ParameterPanel::restoreValue(const QString& name) {
    Control* c = find(name);
    if (!c)
        return false;
    edit(*c, numericValue(preset_, name.toStdString()), ChangeOrigin::Restore);
    return true;
}

void ParameterPanel::restoreAll() {
    // The preset's live settings as a whole (valid together, though one at a time they might
    // pass through a state a cross-setting rule refuses).
    Settings after = settings_;
    after.dynamics = preset_.dynamics;
    // What only a new network can take stays as it is (Restore offers it under its control).
    after.dynamics.learning_rule = settings_.dynamics.learning_rule;
    try {
        validate(after);
    } catch (const UserError& e) {
        if (Control* c = find(QStringLiteral("learning_rule")))
            say(*c, tr("Cannot restore all: %1").arg(QString::fromUtf8(e.what())), true);
        return;
    }
    for (Control& c : controls_) {
        c.has_pending = false;
        if (c.new_network)
            c.new_network->hide();
        say(c, QString(), false);
        display(c, numericValue(after, c.name.toStdString()));
    }
    emitEdit(after, ChangeOrigin::Restore);
    for (Control& c : controls_)
        updateRestore(c);
}

QSlider* ParameterPanel::slider(const QString& name) const {
    const Control* c = find(name);
    return c ? c->slider : nullptr;
}

QDoubleSpinBox* ParameterPanel::spinBox(const QString& name) const {
    const Control* c = find(name);
    return c ? c->spin : nullptr;
}

QCheckBox* ParameterPanel::checkBox(const QString& name) const {
    const Control* c = find(name);
    return c ? c->check : nullptr;
}

QComboBox* ParameterPanel::comboBox(const QString& name) const {
    const Control* c = find(name);
    return c ? c->combo : nullptr;
}

QPushButton* ParameterPanel::newNetworkButton(const QString& name) const {
    const Control* c = find(name);
    return c ? c->new_network : nullptr;
}

QLabel* ParameterPanel::messageLabel(const QString& name) const {
    const Control* c = find(name);
    return c ? c->message : nullptr;
}

QToolButton* ParameterPanel::restoreButton(const QString& name) const {
    const Control* c = find(name);
    return c ? c->restore : nullptr;
}

void ParameterPanel::applyStructure() {
    Settings changed = settings_;
    for (auto& [name, box] : structure_boxes_) {
        const ValueCheck check = checkValue(changed, name.toStdString(), box->value());
        if (!check.accepted) {
            QMessageBox::warning(this, name, QString::fromStdString(check.refusal));
            return;
        }
        changed = check.settings;
    }
    try {
        changed.structure.seed = parseWholeNumber("seed", seed_->text().toStdString(), 0,
                                                  std::numeric_limits<std::uint64_t>::max());
    } catch (const UserError& e) {
        QMessageBox::warning(this, tr("Seed"), QString::fromStdString(e.what()));
        return;
    }
    if (!confirm_(tr("Changing K, the patch size or the seed re-initialises the network: the "
                     "learned weights are lost. Reset now?")))
        return;
    emit structureChangeRequested(changed.structure);
}

}  // namespace stdp::gui
