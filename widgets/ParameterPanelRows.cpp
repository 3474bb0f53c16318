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

QString ParameterPanel::tooltipFor(const QString& name) {
    const SettingInfo* info = findSetting(name.toStdString());
    if (!info)
        return {};
    QString authors;
    for (const PresetValue& v : describePreset(kReferencePreset))
        if (v.key == info->name)
            authors = tr("Authors' setting (%1 preset): %2 — %3")
                          .arg(QLatin1String(kReferencePreset), QString::fromStdString(v.value),
                               QLatin1String(provenanceName(v.source)));
    QString range;
    if (info->kind == SettingKind::Bool)
        range = tr("on or off");
    else
        range = tr("range %1 … %2").arg(info->min).arg(info->max);
    return QStringLiteral("<b>%1</b><br>%2<br><i>%3</i><br>%4%5")
        .arg(symbolText(*info).toHtmlEscaped(),
             QString::fromStdString(info->description).toHtmlEscaped(), range, authors,
             info->live ? tr("<br>Takes effect at the next time step, without pausing.")
                        : tr("<br>Changing it re-initialises the network."));
}

ParameterPanel::ParameterPanel(QWidget* parent) : QWidget(parent), settle_timer_(new QTimer(this)) {
    settle_timer_->setSingleShot(true);
    settle_timer_->setInterval(kSliderSettleMs);
    connect(settle_timer_, &QTimer::timeout, this, &ParameterPanel::commitSettling);
    auto* outer = new QVBoxLayout(this);
    auto section = [&](const QString& title, PanelSection which) {
        auto* box = new QGroupBox(title, this);
        auto* grid = new QGridLayout(box);
        grid->setColumnStretch(1, 1);
        buildSection(grid, which);
        outer->addWidget(box);
        return grid;
    };
    mode_note_ = new QLabel(this);
    mode_note_->setObjectName(QStringLiteral("codingModeNote"));
    mode_note_->setWordWrap(true);
    mode_note_->setStyleSheet(QLatin1String(kNoteStyle));
    outer->addWidget(mode_note_);
    QGridLayout* learning =
        section(tr("Learning (live: applied at the next time step)"), PanelSection::Learning);
    addThresholdRow(learning);
    QGridLayout* beyond =
        section(tr("Beyond the paper (off in the paper presets)"), PanelSection::BeyondPaper);
    beyond_note_ = new QLabel(beyond->parentWidget());
    beyond_note_->setWordWrap(true);
    beyond_note_->setStyleSheet(QLatin1String(kNoteStyle));
    beyond_note_->setText(
        tr("The overlap share, h, h2, p, g, λ_h, λ_i, the learning rule and its β act only with "
           "amplitude coding: set q > 0 to show them."));
    beyond->addWidget(beyond_note_, beyond->rowCount(), 0, 1, 4);
    QGridLayout* structure = section(tr("Structure (needs a reset)"), PanelSection::Structure);
    auto* apply = new QPushButton(tr("Apply and reset…"), structure->parentWidget());
    apply->setObjectName(QStringLiteral("apply_structure"));
    apply->setToolTip(tr("Re-initialises the network with these settings (asks first)."));
    structure->addWidget(apply, structure->rowCount(), 0, 1, 4);
    connect(apply, &QPushButton::clicked, this, &ParameterPanel::applyStructure);

    auto* restore_all = new QPushButton(tr("Restore all to preset"), this);
    restore_all->setObjectName(QStringLiteral("restore_all"));
    restore_all->setToolTip(
        tr("Puts every live setting back to the preset's value (one edit: "
           "one Undo takes it back)."));
    connect(restore_all, &QPushButton::clicked, this, &ParameterPanel::restoreAll);
    connect(this, &ParameterPanel::presetDifferenceChanged, restore_all, &QWidget::setEnabled);
    outer->addWidget(restore_all);
    outer->addStretch(1);

    confirm_ = [this](const QString& question) {
        return QMessageBox::question(this, tr("Reset the network?"), question) == QMessageBox::Yes;
    };
    preset_ = settings_;
    setSettings(settings_);
}

void ParameterPanel::buildSection(QGridLayout* grid, PanelSection section) {
    std::vector<const SettingInfo*> infos;
    for (const SettingInfo& i : settingInfos())
        if (i.panel.section == section)
            infos.push_back(&i);
    std::stable_sort(infos.begin(), infos.end(), [](const SettingInfo* a, const SettingInfo* b) {
        return a->panel.order < b->panel.order;
    });
    controls_.reserve(settingInfos().size());  // Control addresses stay valid (lambdas hold them)
    for (const SettingInfo* i : infos) {
        if (section == PanelSection::Structure)
            addStructureControl(grid, *i);
        else
            addLiveControl(grid, *i);
    }
}

void ParameterPanel::addLiveControl(QGridLayout* grid, const SettingInfo& info) {
    QWidget* parent = grid->parentWidget();
    Control c;
    c.name = QString::fromStdString(info.name);
    c.info = &info;
    const QString tip = tooltipFor(c.name);
    const int row = grid->rowCount();
    QWidget* label_widget = nullptr;
    if (info.kind == SettingKind::Choice) {
        c.combo = new FocusWheelComboBox(parent);
        for (std::size_t i = 0; i < info.choices.size(); ++i)
            c.combo->addItem(choiceText(info, static_cast<double>(i)));
        auto* label = new QLabel(labelText(info), parent);
        c.label = label;
        label->setToolTip(tip);
        c.combo->setToolTip(tip);
        grid->addWidget(label, row, 0);
        grid->addWidget(c.combo, row, 1, 1, 2);
        label_widget = label;
    } else if (info.kind == SettingKind::Bool) {
        c.check = new QCheckBox(labelText(info), parent);
        c.check->setToolTip(tip);
        grid->addWidget(c.check, row, 0, 1, 3);
        label_widget = c.check;
    } else {
        const bool whole = info.kind == SettingKind::Int;
        c.slider = new FocusWheelSlider(Qt::Horizontal, parent);
        c.slider->setRange(0, kSliderSteps);
        c.spin = new NumberSpinBox(parent);
        // The box takes any number: the range is core's rule, applied (and explained) in edit().
        c.spin->setRange(-std::numeric_limits<double>::max(), std::numeric_limits<double>::max());
        c.spin->setSingleStep(whole                  ? 1.0
                              : info.panel.log_scale ? info.panel.lo
                                                     : (info.panel.hi - info.panel.lo) / 100.0);
        c.spin->setKeyboardTracking(false);  // one change per edit, not per keystroke
        c.spin->setMinimumWidth(kSpinMinWidth);
        auto* label = new QLabel(labelText(info), parent);
        c.label = label;
        for (QWidget* w : {static_cast<QWidget*>(label), static_cast<QWidget*>(c.slider),
                           static_cast<QWidget*>(c.spin)})
            w->setToolTip(tip);
        grid->addWidget(label, row, 0);
        grid->addWidget(c.slider, row, 1);
        grid->addWidget(c.spin, row, 2);
        label_widget = label;
    }
    c.restore = new QToolButton(parent);
    c.restore->setText(QStringLiteral("↺"));
    c.restore->setAutoRaise(true);
    c.restore->setFocusPolicy(Qt::TabFocus);
    // Reserve the button's room even while hidden, so that the rows do not jump.
    QSizePolicy keep = c.restore->sizePolicy();
    keep.setRetainSizeWhenHidden(true);
    c.restore->setSizePolicy(keep);
    c.restore->hide();
    grid->addWidget(c.restore, row, 3);
    c.message = new QLabel(parent);
    c.message->setWordWrap(true);
    c.message->hide();
    grid->addWidget(c.message, row + 1, 0, 1, 4);
    if (!info.live) {
        c.new_network = new QPushButton(tr("New network with this…"), parent);
        c.new_network->setObjectName(QStringLiteral("new_network_") + c.name);
        c.new_network->setToolTip(
            tr("Starts a new network from the seed with the settings shown (asks first): the "
               "learned fields are discarded."));
        c.new_network->hide();
        grid->addWidget(c.new_network, row + 2, 0, 1, 4, Qt::AlignLeft);
        connect(c.new_network, &QPushButton::clicked, this, &ParameterPanel::startNewNetwork);
    }
    controls_.push_back(c);
    Control* stored = &controls_.back();
    offerRestore(*stored, label_widget);
    if (stored->slider)
        offerRestore(*stored, stored->slider);
    connect(stored->restore, &QToolButton::clicked, this,
            [this, stored] { restoreValue(stored->name); });
    if (stored->combo) {
        connect(stored->combo, &QComboBox::currentIndexChanged, this, [this, stored](int index) {
            if (!updating_ && index >= 0)
                edit(*stored, static_cast<double>(index), ChangeOrigin::User);
        });
        return;
    }
    if (stored->check) {
        connect(stored->check, &QCheckBox::toggled, this, [this, stored](bool on) {
            if (!updating_)
                edit(*stored, on ? 1.0 : 0.0, ChangeOrigin::User);
        });
        return;
    }
    connect(stored->spin, &QDoubleSpinBox::valueChanged, this, [this, stored](double v) {
        if (!updating_)
            edit(*stored, v, ChangeOrigin::User);
    });
    connect(stored->slider, &QSlider::valueChanged, this,
            [this, stored](int pos) { onSlider(*stored, pos); });
    // A drag is one edit: the value follows the handle, the change is sent on release.
    connect(stored->slider, &QSlider::sliderPressed, this, &ParameterPanel::commitSettling);
    connect(stored->slider, &QSlider::sliderReleased, this,
            [this, stored] { edit(*stored, stored->spin->value(), ChangeOrigin::User); });
}

void ParameterPanel::offerRestore(Control& c, QWidget* w) {
    w->setContextMenuPolicy(Qt::CustomContextMenu);
    Control* target = &c;
    connect(w, &QWidget::customContextMenuRequested, this, [this, target, w](const QPoint& at) {
        QMenu menu(w);
        const double preset = numericValue(preset_, target->name.toStdString());
        QAction* a = menu.addAction(
            tr("Restore the preset's value (%1)")
                .arg(QString::fromStdString(numberText(target->info->name, preset))));
        a->setEnabled(numericValue(settings_, target->name.toStdString()) != preset);
        connect(a, &QAction::triggered, this, [this, target] { restoreValue(target->name); });
        menu.exec(w->mapToGlobal(at));
    });
}

void ParameterPanel::addThresholdRow(QGridLayout* grid) {
    // θ itself is state, not a setting: setting it overwrites the layer's current value(s).
    QWidget* parent = grid->parentWidget();
    const int row = grid->rowCount();
    theta_label_ = new QLabel(parent);
    theta_ = new NumberSpinBox(parent);
    theta_->setRange(0.0, 1.0);
    theta_->setSingleStep(0.01);
    theta_->setKeyboardTracking(false);
    grid->addWidget(theta_label_, row, 0);
    grid->addWidget(theta_, row, 2);
    connect(theta_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        if (!updating_)
            emit thresholdEdited(v);
    });
}

bool ParameterPanel::appliesTo(const QString& name, const Settings& settings) {
    static const QStringList softmax_only{QStringLiteral("temperature"), QStringLiteral("tau_m"),
                                          QStringLiteral("reset"), QStringLiteral("distance_bias")};
    static const QStringList amplitude_only{
        QStringLiteral("overlap_inhibition"), QStringLiteral("hurdle"),
        QStringLiteral("recruit_hurdle"),     QStringLiteral("target_rate"),
        QStringLiteral("decoder_gain"),       QStringLiteral("decoder_hurdle"),
        QStringLiteral("hurdle_inhibition"),  QStringLiteral("learning_rule"),
        QStringLiteral("residual_decay"),     QStringLiteral("onoff_opponency")};
    const bool amplitude = settings.dynamics.amplitudeCoding();
    if (!(amplitude ? !softmax_only.contains(name) : !amplitude_only.contains(name)))
        return false;
    if (name == QLatin1String("residual_decay"))
        return settings.dynamics.residualLearning();
    if (name == QLatin1String("onoff_opponency"))
        return settings.structure.onoff;
    return true;
}

void ParameterPanel::showCodingMode() {
    const bool amplitude = settings_.dynamics.amplitudeCoding();
    for (Control& c : controls_) {
        const bool applies = appliesTo(c.name, settings_);
        for (QWidget* w : {static_cast<QWidget*>(c.label), static_cast<QWidget*>(c.slider),
                           static_cast<QWidget*>(c.spin), static_cast<QWidget*>(c.check),
                           static_cast<QWidget*>(c.combo)})
            if (w)
                w->setVisible(applies);
        if (c.new_network)
            c.new_network->setVisible(applies && c.has_pending);
        // A hidden row gives its room back (the ↺ button otherwise keeps it, so that the rows
        // do not jump while values are edited).
        QSizePolicy keep = c.restore->sizePolicy();
        keep.setRetainSizeWhenHidden(applies);
        c.restore->setSizePolicy(keep);
        if (!applies) {
            c.restore->hide();
            c.message->hide();
        }
    }
    const QString why =
        tr("With amplitude coding a neuron fires when its potential reaches q‖w_j‖² (the "
           "largest excess first) and each spike removes q⟨w_j, w_k⟩ from the others: no "
           "softmax, no leak, no distance bias.");
    mode_note_->setVisible(amplitude);
    mode_note_->setText(
        tr("Amplitude coding (q > 0): τ_s, τ_m and β are hidden, they shape the softmax "
           "competition it replaces; θ is each neuron's hurdle scale. The residual rule's β "
           "shows with that rule, the ON/OFF opponency with ON/OFF inputs."));
    mode_note_->setToolTip(why);
    beyond_note_->setVisible(!amplitude);
    beyond_note_->setToolTip(why);
    theta_label_->setText(amplitude ? tr("θ now  (hurdle scale)") : tr("θ now  (threshold)"));
    const QString tip =
        amplitude
            ? tr("<b>θ</b>: with amplitude coding neuron j starts every patch at U_j = −h θ_j, "
                 "the evidence it needs before its first spike. Homeostasis moves θ_j by "
                 "ρ(z_j − p) after every step, toward firing on a fraction p of the steps. "
                 "Setting it here overwrites the current value(s) at the next step.")
            : tr("<b>θ</b>: neuron j fires when its softmax value P_j ≥ θ. Adaptation moves it "
                 "by ρ(n_fired − 1) after every step. Setting it here overwrites the current "
                 "value(s) at the next step.<br>Authors' initial value: 0.15 (MNIST), 0.25 "
                 "(natural).");
    theta_label_->setToolTip(tip);
    theta_->setToolTip(tip);
}

void ParameterPanel::addStructureControl(QGridLayout* grid, const SettingInfo& info) {
    QWidget* parent = grid->parentWidget();
    const QString name = QString::fromStdString(info.name);
    auto* label = new QLabel(labelText(info), parent);
    QWidget* field = nullptr;
    if (info.kind == SettingKind::Seed) {
        // 64-bit seeds do not fit a QSpinBox (int): a line edit of digits keeps them whole.
        seed_ = new QLineEdit(parent);
        seed_->setValidator(new QRegularExpressionValidator(
            QRegularExpression(QStringLiteral("[0-9]{1,20}")), seed_));
        field = seed_;
    } else {
        auto* box = new FocusWheelSpinBox(parent);
        box->setRange(static_cast<int>(info.panel.lo), static_cast<int>(info.panel.hi));
        structure_boxes_[name] = box;
        field = box;
    }
    label->setToolTip(tooltipFor(name));
    field->setToolTip(tooltipFor(name));
    const int row = grid->rowCount();
    grid->addWidget(label, row, 0);
    grid->addWidget(field, row, 1, 1, 3);
}

ParameterPanel::Control* ParameterPanel::find(const QString& name) {
    for (Control& c : controls_)
        if (c.name == name)
            return &c;
    return nullptr;
}

const ParameterPanel::Control* ParameterPanel::find(const QString& name) const {
    for (const Control& c : controls_)
        if (c.name == name)
            return &c;
    return nullptr;
}

}  // namespace stdp::gui
