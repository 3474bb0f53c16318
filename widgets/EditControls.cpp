#include "EditControls.h"

#include <QLocale>
#include <QRegularExpression>
#include <QWheelEvent>
#include <limits>

#include "foundation/Settings.h"

namespace stdp::gui {

namespace {
constexpr int kSignificantDigits = 6;
// QDoubleSpinBox rounds every value to its decimals; this many keeps any double as it is.
constexpr int kKeepAllDecimals =
    std::numeric_limits<double>::max_exponent10 + std::numeric_limits<double>::digits10;
// The one rule of these controls: without focus the wheel is not theirs. An ignored wheel event
// goes on to the parent, the scroll area around the panel. True when the event was passed on.
bool passWheelOnUnlessFocused(const QWidget* control, QWheelEvent* event) {
    if (control->hasFocus())
        return false;
    event->ignore();
    return true;
}
}  // namespace

FocusWheelSlider::FocusWheelSlider(Qt::Orientation orientation, QWidget* parent)
    : QSlider(orientation, parent) {
    setFocusPolicy(Qt::StrongFocus);  // the wheel alone does not take focus
}

void FocusWheelSlider::wheelEvent(QWheelEvent* event) {
    if (!passWheelOnUnlessFocused(this, event))
        QSlider::wheelEvent(event);
}

FocusWheelComboBox::FocusWheelComboBox(QWidget* parent) : QComboBox(parent) {
    setFocusPolicy(Qt::StrongFocus);
}

void FocusWheelComboBox::wheelEvent(QWheelEvent* event) {
    if (!passWheelOnUnlessFocused(this, event))
        QComboBox::wheelEvent(event);
}

FocusWheelSpinBox::FocusWheelSpinBox(QWidget* parent) : QSpinBox(parent) {
    setFocusPolicy(Qt::StrongFocus);
}

void FocusWheelSpinBox::wheelEvent(QWheelEvent* event) {
    if (!passWheelOnUnlessFocused(this, event))
        QSpinBox::wheelEvent(event);
}

NumberSpinBox::NumberSpinBox(QWidget* parent) : QDoubleSpinBox(parent) {
    setDecimals(kKeepAllDecimals);
    setFocusPolicy(Qt::StrongFocus);
}

QValidator::State NumberSpinBox::validate(QString& text, int& /*pos*/) const {
    const QString t = text.trimmed();
    if (t.isEmpty())
        return QValidator::Intermediate;
    if (const auto v = parseRealNumber(t.toStdString()))
        return *v >= minimum() && *v <= maximum() ? QValidator::Acceptable
                                                  : QValidator::Intermediate;
    // A number being typed: "1e", "1e-", "-", ".5e".
    static const QRegularExpression partial(
        QStringLiteral("^[-]?([0-9]*[.]?[0-9]*)?([eE][-+]?[0-9]*)?$"));
    return partial.match(t).hasMatch() ? QValidator::Intermediate : QValidator::Invalid;
}

double NumberSpinBox::valueFromText(const QString& text) const {
    return parseRealNumber(text.trimmed().toStdString()).value_or(value());
}

QString NumberSpinBox::textFromValue(double value) const {
    return QLocale::c().toString(value, 'g', kSignificantDigits);
}

void NumberSpinBox::wheelEvent(QWheelEvent* event) {
    if (!passWheelOnUnlessFocused(this, event))
        QDoubleSpinBox::wheelEvent(event);
}

}  // namespace stdp::gui
