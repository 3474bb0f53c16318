#include "PresetBox.h"

#include <QSignalBlocker>
#include <algorithm>

#include "model/Presets.h"

namespace stdp::gui {

namespace {
constexpr int kShownDepartures = 6;  // the tooltip names this many, then "and N more"
}

PresetBox::PresetBox(QWidget* parent) : QComboBox(parent) {
    int longest = 0;
    for (const Preset& p : presets()) {
        const QString name = QString::fromStdString(p.name);
        addItem(name, name);
        setItemData(count() - 1, QString::fromStdString(p.description), Qt::ToolTipRole);
        longest = std::max(longest, static_cast<int>(name.size()));
    }
    // Wide enough for the longest name with its mark, so that the mark is never cut.
    setMinimumContentsLength(longest + static_cast<int>(tr(" (modified)").size()));
    setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
}

QString PresetBox::presetAt(int index) const {
    return itemData(index).toString();
}

void PresetBox::showPreset(const QString& preset, const QStringList& departures) {
    const int index = findData(preset);
    if (index < 0)
        return;
    const QSignalBlocker block(this);
    for (int i = 0; i < count(); ++i)
        setItemText(i, presetAt(i));
    modified_ = !departures.isEmpty();
    if (modified_) {
        setItemText(index, tr("%1 (modified)").arg(preset));
        QStringList named = departures.mid(0, kShownDepartures);
        if (departures.size() > kShownDepartures)
            named << tr("and %1 more").arg(departures.size() - kShownDepartures);
        setToolTip(tr("The network was made from the preset '%1' with other values of: %2. Pick "
                      "the preset again to start it as it is.")
                       .arg(preset, named.join(QStringLiteral(", "))));
    } else {
        setToolTip(itemData(index, Qt::ToolTipRole).toString());
    }
    setCurrentIndex(index);
}

}  // namespace stdp::gui
