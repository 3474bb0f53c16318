#pragma once
// Presentation mode, for a projector: full screen, the views' fonts and drawing larger, only the
// views a class watches (the central views and the docks that ask to stay). Leaving it restores
// the previous layout exactly: geometry, window state, dock places and visibility, fonts.

#include <QByteArray>
#include <QFont>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QRect>

class QAction;
class QDockWidget;
class QMainWindow;
class QShortcut;
class QWidget;

namespace stdp::studio {

class PresentationMode : public QObject {
    Q_OBJECT
  public:
    static constexpr double kScale = 1.5;  // fonts and drawing, for the back of a room
    // Every dock is hidden in presentation mode unless it is declared to stay, with this function
    // (callable before or after the mode is made; it only sets a property of the dock).
    static void keepVisible(QDockWidget* dock, bool keep = true);
    static bool isKeptVisible(const QDockWidget* dock);

    explicit PresentationMode(QMainWindow* window);

    // View ▸ Presentation mode: checkable, F5 or Ctrl+Shift+P (Esc also leaves).
    QAction* action() const { return action_; }
    bool isActive() const { return active_; }
    void setActive(bool active);

  signals:
    // 1 outside presentation mode; views that draw sizes of their own connect to it.
    void scaleChanged(double scale);

  private:
    void enter();
    void leave();

    struct SavedFont {
        QPointer<QWidget> widget;
        bool was_set = false;  // an explicit font of its own, not the inherited one
        QFont font;
    };

    QMainWindow* window_;
    QAction* action_;
    QShortcut* escape_;
    bool active_ = false;
    QRect geometry_;
    QByteArray state_;
    Qt::WindowStates window_states_;
    QList<SavedFont> fonts_;
};

}  // namespace stdp::studio
