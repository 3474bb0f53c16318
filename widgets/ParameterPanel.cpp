#include "ParameterPanel.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>
#include <cmath>
#include <limits>
#include <string>

#include "EditControls.h"
#include "Presets.h"

namespace stdp::gui {

namespace {
constexpr int kSliderSteps = 1000;
constexpr const char* kReferencePreset = "paper-mnist";
constexpr int kMaxUnits = 1024;  // the window stays responsive up to here
constexpr int kSliderDigits = 3;

double roundSignificant(double v, int digits) {
    if (v == 0.0 || !std::isfinite(v))
        return v;
    const double scale =
        std::pow(10.0, digits - 1 - static_cast<int>(std::floor(std::log10(std::abs(v)))));
    return std::round(v * scale) / scale;
}

QString symbolText(const SettingInfo& info) {
    const QString symbol = QString::fromStdString(info.symbol);
    const QString name = QString::fromStdString(info.name);
    if (symbol.isEmpty())
        return name;
    QString pretty = symbol;
    pretty.replace(QStringLiteral("theta"), QStringLiteral("θ"));
    pretty.replace(QStringLiteral("tau_s"), QStringLiteral("τ_s"));
    pretty.replace(QStringLiteral("tau_m"), QStringLiteral("τ_m"));
    pretty.replace(QStringLiteral("tau"), QStringLiteral("τ"));
    pretty.replace(QStringLiteral("mu"), QStringLiteral("μ"));
    pretty.replace(QStringLiteral("lambda"), QStringLiteral("λ"));
    pretty.replace(QStringLiteral("eps"), QStringLiteral("ε"));
    pretty.replace(QStringLiteral("rho"), QStringLiteral("ρ"));
    pretty.replace(QStringLiteral("beta"), QStringLiteral("β"));
    return QStringLiteral("%1  (%2)").arg(pretty, name);
}
// A live setting's value as a number (booleans as 0/1).
double numericValue(const Settings& s, const QString& name) {
    const std::string text = settingValue(s, name.toStdString());
    if (text == "true")
        return 1.0;
    if (text == "false")
        return 0.0;
    return std::stod(text);
}
}  // namespace

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

ParameterPanel::ParameterPanel(QWidget* parent) : QWidget(parent) {
    auto* outer = new QVBoxLayout(this);
    auto* live = new QGroupBox(tr("Learning (live: applied at the next time step)"), this);
    auto* grid = new QGridLayout(live);
    grid->setColumnStretch(1, 1);
    controls_.reserve(16);
    addControl(grid, QStringLiteral("mu"), true, 1e-6, 0.1, 7);
    addControl(grid, QStringLiteral("mu_d_ratio"), false, 0.0, 2.0, 3);
    addControl(grid, QStringLiteral("lambda"), false, 0.0, 0.5, 4);
    addControl(grid, QStringLiteral("epsilon"), false, 0.0, 10.0, 0);
    addControl(grid, QStringLiteral("temperature"), true, 0.01, 10.0, 3);
    addCheck(grid, QStringLiteral("theta_adapt"));
    addControl(grid, QStringLiteral("rho"), true, 1e-7, 1e-2, 7);
    addControl(grid, QStringLiteral("theta_floor"), false, 0.0, 0.5, 4);
    {
        // θ itself is state, not a setting: setting it overwrites the layer's current value(s).
        const int row = grid->rowCount();
        auto* label = new QLabel(tr("θ now  (threshold)"), live);
        theta_ = new NumberSpinBox(live);
        theta_->setRange(0.0, 1.0);
        theta_->setSingleStep(0.01);
        theta_->setKeyboardTracking(false);
        const QString tip =
            tr("<b>θ</b>: neuron j fires when its softmax value P_j ≥ θ. Adaptation moves it by "
               "ρ(n_fired − 1) after every step. Setting it here overwrites the current value(s) "
               "at the next step.<br>Authors' initial value: 0.15 (MNIST), 0.25 (natural).");
        label->setToolTip(tip);
        theta_->setToolTip(tip);
        grid->addWidget(label, row, 0);
        grid->addWidget(theta_, row, 2);
        connect(theta_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
            if (!updating_)
                emit thresholdEdited(v);
        });
    }
    addControl(grid, QStringLiteral("steps"), false, 1.0, 200.0, 0);
    addControl(grid, QStringLiteral("tau_m"), false, 0.0, 20.0, 2);
    addControl(grid, QStringLiteral("trace_tau"), false, 0.0, 10.0, 2);
    addControl(grid, QStringLiteral("refractory"), false, 0.0, 20.0, 0);
    addCheck(grid, QStringLiteral("learn"));
    outer->addWidget(live);

    auto* beyond = new QGroupBox(tr("Beyond the paper (off in the paper presets)"), this);
    auto* grid2 = new QGridLayout(beyond);
    grid2->setColumnStretch(1, 1);
    addControl(grid2, QStringLiteral("distance_bias"), false, 0.0, 1.0, 3);
    addControl(grid2, QStringLiteral("mu_decay"), false, 0.0, 10.0, 3);
    outer->addWidget(beyond);

    auto* structure = new QGroupBox(tr("Structure (needs a reset)"), this);
    auto* form = new QGridLayout(structure);
    auto addInt = [&](const QString& name, int lo, int hi) {
        auto* label = new QLabel(symbolText(*findSetting(name.toStdString())), structure);
        auto* box = new FocusWheelSpinBox(structure);
        box->setRange(lo, hi);
        label->setToolTip(tooltipFor(name));
        box->setToolTip(tooltipFor(name));
        const int row = form->rowCount();
        form->addWidget(label, row, 0);
        form->addWidget(box, row, 1);
        return box;
    };
    units_ = addInt(QStringLiteral("units"), 1, kMaxUnits);
    patch_ = addInt(QStringLiteral("patch_size"), 2, 32);
    {
        // 64-bit seeds do not fit a QSpinBox (int): a line edit of digits keeps them whole.
        auto* label = new QLabel(tr("seed"), structure);
        seed_ = new QLineEdit(structure);
        seed_->setValidator(new QRegularExpressionValidator(
            QRegularExpression(QStringLiteral("[0-9]{1,20}")), seed_));
        label->setToolTip(tooltipFor(QStringLiteral("seed")));
        seed_->setToolTip(tooltipFor(QStringLiteral("seed")));
        const int row = form->rowCount();
        form->addWidget(label, row, 0);
        form->addWidget(seed_, row, 1);
    }
    auto* apply = new QPushButton(tr("Apply and reset…"), structure);
    apply->setToolTip(tr("Re-initialises the network with these settings (asks first)."));
    form->addWidget(apply, form->rowCount(), 0, 1, 2);
    connect(apply, &QPushButton::clicked, this, &ParameterPanel::applyStructure);
    outer->addWidget(structure);
    outer->addStretch(1);

    confirm_ = [this](const QString& question) {
        return QMessageBox::question(this, tr("Reset the network?"), question) == QMessageBox::Yes;
    };
    setSettings(settings_);
}

void ParameterPanel::addControl(QGridLayout* grid, const QString& name, bool log, double lo,
                                double hi, int decimals) {
    const SettingInfo* info = findSetting(name.toStdString());
    if (!info)
        return;
    QWidget* parent = grid->parentWidget();
    Control c;
    c.name = name;
    c.log = log;
    c.slider_lo = lo;
    c.slider_hi = hi;
    c.slider = new FocusWheelSlider(Qt::Horizontal, parent);
    c.slider->setRange(0, kSliderSteps);
    c.spin = new NumberSpinBox(parent);
    c.spin->setRange(info->min, info->max);
    c.spin->setSingleStep(log ? lo : (hi - lo) / 100.0);
    c.integer = decimals == 0;
    if (c.integer)
        c.spin->setSingleStep(1.0);
    c.spin->setKeyboardTracking(false);  // one change per edit, not per keystroke
    c.spin->setMinimumWidth(96);
    auto* label = new QLabel(symbolText(*info), parent);
    const QString tip = tooltipFor(name);
    for (QWidget* w : {static_cast<QWidget*>(label), static_cast<QWidget*>(c.slider),
                       static_cast<QWidget*>(c.spin)})
        w->setToolTip(tip);
    const int row = grid->rowCount();
    grid->addWidget(label, row, 0);
    grid->addWidget(c.slider, row, 1);
    grid->addWidget(c.spin, row, 2);
    controls_.push_back(c);
    const std::size_t index = controls_.size() - 1;
    connect(c.spin, &QDoubleSpinBox::valueChanged, this,
            [this, index](double v) { onSpin(controls_[index], v); });
    connect(c.slider, &QSlider::valueChanged, this,
            [this, index](int pos) { onSlider(controls_[index], pos); });
}

void ParameterPanel::addCheck(QGridLayout* grid, const QString& name) {
    const SettingInfo* info = findSetting(name.toStdString());
    if (!info)
        return;
    Control c;
    c.name = name;
    c.check = new QCheckBox(symbolText(*info), grid->parentWidget());
    c.check->setToolTip(tooltipFor(name));
    grid->addWidget(c.check, grid->rowCount(), 0, 1, 3);
    controls_.push_back(c);
    const std::size_t index = controls_.size() - 1;
    connect(c.check, &QCheckBox::toggled, this,
            [this, index](bool on) { onSpin(controls_[index], on ? 1.0 : 0.0); });
}

int ParameterPanel::sliderPosition(const Control& c, double value) const {
    double t = 0.0;
    if (c.log) {
        const double v = std::max(value, c.slider_lo);
        t = std::log(v / c.slider_lo) / std::log(c.slider_hi / c.slider_lo);
    } else {
        t = (value - c.slider_lo) / (c.slider_hi - c.slider_lo);
    }
    return static_cast<int>(std::lround(std::clamp(t, 0.0, 1.0) * kSliderSteps));
}

double ParameterPanel::sliderValue(const Control& c, int position) const {
    const double t = static_cast<double>(position) / kSliderSteps;
    if (c.log)
        return c.slider_lo * std::pow(c.slider_hi / c.slider_lo, t);
    return c.slider_lo + t * (c.slider_hi - c.slider_lo);
}

void ParameterPanel::onSlider(Control& c, int position) {
    if (updating_)
        return;
    // Three significant digits (whole numbers for integer settings): values a reader can say
    // aloud; the spin box then reports the change through onSpin.
    const double v = sliderValue(c, position);
    c.spin->setValue(c.integer ? std::round(v) : roundSignificant(v, kSliderDigits));
}

void ParameterPanel::onSpin(Control& c, double value) {
    if (updating_)
        return;
    const std::string key = c.name.toStdString();
    const SettingInfo* info = findSetting(key);
    std::string text;
    if (info->kind == SettingKind::Bool)
        text = value != 0.0 ? "true" : "false";
    else if (info->kind == SettingKind::Int)
        text = std::to_string(std::lround(value));
    else
        text = QString::number(value, 'g', 10).toStdString();
    Settings changed = settings_;
    try {
        applySetting(changed, key, text);
        validate(changed);
    } catch (const UserError& e) {
        // Out of range: put the old value back and say why.
        setSettings(settings_);
        setToolTip(QString::fromStdString(e.what()));
        return;
    }
    settings_ = changed;
    updating_ = true;
    if (c.slider)
        c.slider->setValue(sliderPosition(c, value));
    updating_ = false;
    emit dynamicsEdited(settings_.dynamics,
                        QStringLiteral("%1=%2").arg(c.name, QString::fromStdString(text)));
}

void ParameterPanel::setSettings(const Settings& settings) {
    settings_ = settings;
    updating_ = true;
    for (Control& c : controls_) {
        const double v = numericValue(settings_, c.name);
        if (c.check)
            c.check->setChecked(v != 0.0);
        if (c.spin)
            c.spin->setValue(v);
        if (c.slider)
            c.slider->setValue(sliderPosition(c, v));
    }
    units_->setValue(settings_.structure.units);
    patch_->setValue(settings_.structure.patch_size);
    seed_->setText(QString::number(settings_.structure.seed));
    updating_ = false;
}

void ParameterPanel::showThreshold(double theta) {
    if (theta_->hasFocus())
        return;  // do not fight the user's typing
    updating_ = true;
    theta_->setValue(theta);
    updating_ = false;
}

bool ParameterPanel::setValue(const QString& name, double value) {
    for (Control& c : controls_) {
        if (c.name != name)
            continue;
        if (c.check)
            c.check->setChecked(value != 0.0);
        else
            c.spin->setValue(value);
        return true;
    }
    return false;
}

QSlider* ParameterPanel::slider(const QString& name) const {
    for (const Control& c : controls_)
        if (c.name == name)
            return c.slider;
    return nullptr;
}

QDoubleSpinBox* ParameterPanel::spinBox(const QString& name) const {
    for (const Control& c : controls_)
        if (c.name == name)
            return c.spin;
    return nullptr;
}

void ParameterPanel::applyStructure() {
    StructureSettings s = settings_.structure;
    s.units = units_->value();
    s.patch_size = patch_->value();
    try {
        s.seed = parseWholeNumber("seed", seed_->text().toStdString(), 0,
                                  std::numeric_limits<std::uint64_t>::max());
    } catch (const UserError& e) {
        QMessageBox::warning(this, tr("Seed"), QString::fromStdString(e.what()));
        return;
    }
    if (!confirm_(tr("Changing K, the patch size or the seed re-initialises the network: the "
                     "learned weights are lost. Reset now?")))
        return;
    emit structureChangeRequested(s);
}

}  // namespace stdp::gui
