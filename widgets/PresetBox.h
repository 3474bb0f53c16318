#pragma once
// The toolbar's preset choice. It names the preset the network was made from and says when the
// network no longer is that preset as it is (a live edit, a new network with another learning
// rule, another K): "paper-mnist (modified)", the tooltip listing what differs. Picking the
// preset again starts it afresh.

#include <QComboBox>
#include <QStringList>

namespace stdp::gui {

class PresetBox : public QComboBox {
    Q_OBJECT
  public:
    explicit PresetBox(QWidget* parent = nullptr);

    // The preset's name at `index` (its text may carry the "modified" mark).
    QString presetAt(int index) const;
    // Selects `preset` (no signal); `departures` are the settings that differ from it, empty when
    // the network is the preset as it is. An unknown preset leaves the selection as it was.
    void showPreset(const QString& preset, const QStringList& departures);
    bool showsModified() const { return modified_; }

  private:
    bool modified_ = false;
};

}  // namespace stdp::gui
