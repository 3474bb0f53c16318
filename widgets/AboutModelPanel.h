#pragma once
// "About this model": the equations the studio simulates and what to watch for while it learns.

#include <QTextBrowser>

namespace stdp::gui {

class AboutModelPanel : public QTextBrowser {
    Q_OBJECT
  public:
    explicit AboutModelPanel(QWidget* parent = nullptr);
    static QString html();
};

}  // namespace stdp::gui
