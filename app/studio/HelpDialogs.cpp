#include "HelpDialogs.h"

#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QWidget>

namespace stdp::studio {

namespace {
constexpr int kShortcutsWidth = 460;
constexpr int kShortcutsHeight = 420;

QString plainText(const QAction* a) {
    QString t = a->text();
    t.remove(QLatin1Char('&'));
    if (t.endsWith(QStringLiteral("…")))
        t.chop(1);
    return t;
}
}  // namespace

QString aboutText() {
    return QObject::tr(
               "<h3>STDP Studio %1</h3>"
               "<p>Watch a layer of spiking neurons learn receptive fields with event-based "
               "STDP, as in the paper it implements.</p>"
               "<p><b>Licence:</b> not yet chosen (the repository has no LICENSE file yet).</p>"
               "<p><b>How to cite</b> the model:<br>"
               "A. Tavanaei, T. Masquelier, A. Maida (2018). Representation learning using "
               "event-based STDP. <i>Neural Networks</i> 105, 294–303. "
               "doi:10.1016/j.neunet.2018.05.018</p>"
               "<p>Built with Qt %2, Eigen and OpenCV.</p>")
        .arg(QStringLiteral(STDP_VERSION), QString::fromLatin1(qVersion()));
}

QList<QPair<QString, QString>> shortcutTable(const QWidget* window) {
    QList<QPair<QString, QString>> rows;
    QStringList seen;
    for (const QAction* a : window->findChildren<QAction*>()) {
        if (a->shortcuts().isEmpty() || a->isSeparator())
            continue;
        QStringList keys;
        for (const QKeySequence& k : a->shortcuts())
            keys << k.toString(QKeySequence::NativeText);
        const QString text = plainText(a);
        if (seen.contains(text))
            continue;
        seen << text;
        rows.append({text, keys.join(QStringLiteral(", "))});
    }
    // Keys a view handles itself (no action): each such view lists them in its "keyHelp"
    // property, beside its keyPressEvent, as "what\tkeys".
    for (const QWidget* w : window->findChildren<QWidget*>()) {
        for (const QString& line : w->property("keyHelp").toStringList()) {
            const QStringList parts = line.split(QLatin1Char('\t'));
            if (parts.size() == 2 && !seen.contains(parts[0])) {
                seen << parts[0];
                rows.append({parts[0], parts[1]});
            }
        }
    }
    return rows;
}

void showAboutDialog(QWidget* window) {
    QMessageBox::about(window, QObject::tr("About STDP Studio"), aboutText());
}

void showShortcutsDialog(QWidget* window) {
    QDialog dialog(window);
    dialog.setWindowTitle(QObject::tr("Keyboard shortcuts"));
    auto* layout = new QVBoxLayout(&dialog);
    const auto rows = shortcutTable(window);
    auto* table = new QTableWidget(static_cast<int>(rows.size()), 2);
    table->setHorizontalHeaderLabels({QObject::tr("Action"), QObject::tr("Keys")});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    for (int i = 0; i < rows.size(); ++i) {
        table->setItem(i, 0, new QTableWidgetItem(rows[i].first));
        table->setItem(i, 1, new QTableWidgetItem(rows[i].second));
    }
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    layout->addWidget(table);
    layout->addWidget(new QLabel(
        QObject::tr("Single keys act when no text field has the keyboard; Enter or Esc in a "
                    "field hands it back.")));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog.resize(kShortcutsWidth, kShortcutsHeight);
    dialog.exec();
}

}  // namespace stdp::studio
