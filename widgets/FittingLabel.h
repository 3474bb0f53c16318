#pragma once
// A label with a long and a shorter way of saying the same thing: it shows the longest of its
// texts that fits in at most a few lines at its current width, so that a narrow window does not
// push the views below it away; when a shorter text is shown the tooltip gives the full one.

#include <QLabel>
#include <QStringList>

namespace stdp::gui {

class FittingLabel : public QLabel {
    Q_OBJECT
  public:
    explicit FittingLabel(int max_lines, QWidget* parent = nullptr);

    // Longest first; plain or rich text. Words that must stay together are joined by U+00A0.
    void setTexts(const QStringList& texts);
    const QStringList& texts() const { return texts_; }
    QString fullText() const { return texts_.value(0); }
    // What the tooltip says whatever the text shown (the full text is added when shortened).
    void setBaseToolTip(const QString& tip);
    const QString& baseToolTip() const { return base_tip_; }
    int maxLines() const { return max_lines_; }

  protected:
    void resizeEvent(QResizeEvent* event) override;

  private:
    void choose();

    int max_lines_;
    QStringList texts_;
    QString base_tip_;
    bool choosing_ = false;
};

}  // namespace stdp::gui
