#include "FittingLabel.h"

namespace stdp::gui {

FittingLabel::FittingLabel(int max_lines, QWidget* parent)
    : QLabel(parent), max_lines_(std::max(1, max_lines)) {
    setWordWrap(true);
}

void FittingLabel::setTexts(const QStringList& texts) {
    if (texts == texts_)
        return;
    texts_ = texts;
    choose();
}

void FittingLabel::setBaseToolTip(const QString& tip) {
    base_tip_ = tip;
    choose();
}

void FittingLabel::resizeEvent(QResizeEvent* event) {
    QLabel::resizeEvent(event);
    choose();
}

void FittingLabel::choose() {
    if (choosing_)
        return;
    choosing_ = true;
    const QMargins m = contentsMargins();
    const int room = max_lines_ * fontMetrics().lineSpacing() + m.top() + m.bottom() + 2;
    QString shown = texts_.isEmpty() ? QString() : texts_.back();
    for (const QString& t : texts_) {
        setText(t);
        if (heightForWidth(width()) <= room) {
            shown = t;
            break;
        }
    }
    setText(shown);
    setToolTip(shown == fullText() || fullText().isEmpty()
                   ? base_tip_
                   : base_tip_ + QStringLiteral("<p>") + fullText() + QStringLiteral("</p>"));
    choosing_ = false;
}

}  // namespace stdp::gui
