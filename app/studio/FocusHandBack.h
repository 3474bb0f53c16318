#pragma once
// Single-key shortcuts (Space, S, P, I, L) must type into a text field while the user types
// there, yet work again once the user is done with it. This filter watches the window's text
// fields (spin boxes included): Enter or Esc in one hands the keyboard back to `home`.

#include <QObject>
#include <QPointer>

class QWidget;

namespace stdp::studio {

class FocusHandBack : public QObject {
    Q_OBJECT
  public:
    FocusHandBack(QWidget* home, QObject* parent);
    // Watches every text field under `root` (call again after building new fields).
    void watch(QWidget* root);

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    QPointer<QWidget> home_;
};

}  // namespace stdp::studio
