// MainWindow: data, presets, bundles, exports, menus and remembered settings.
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>

#include "AboutModelPanel.h"
#include "Charts.h"
#include "Export.h"
#include "FittingLabel.h"
#include "HelpDialogs.h"
#include "Histograms.h"
#include "MainWindow.h"
#include "PresetBox.h"
#include "ReceptiveFieldMosaic.h"
#include "SpikeRaster.h"
#include "WindowSize.h"
#include "io/Bundle.h"
#include "model/Presets.h"

namespace stdp::studio {

namespace {
constexpr int kMaxRecent = 8;
constexpr int kDefaultExportScale = 8;
constexpr int kMaxExportScale = 64;
const QString kRecentKey = QStringLiteral("recentBundles");
// The data combo: built-in sets, then "IDX file…", "Image folder…", then a loaded file or folder.
constexpr int kIdxDataIndex = 2;
constexpr int kFolderDataIndex = 3;
constexpr int kCustomDataIndex = 4;
}  // namespace

QString MainWindow::start(const QString& preset, const QString& data_spec,
                          const QStringList& assignments) {
    return session_->start(preset, data_spec, assignments).error;
}

QString MainWindow::useData(const QString& spec) {
    return session_->useData(spec).error;
}

QString MainWindow::usePreset(const QString& preset) {
    return session_->usePreset(preset).error;
}

QString MainWindow::openBundle(const QString& dir) {
    const Outcome out = session_->openBundle(dir);
    if (out.done())
        addRecent(dir);
    return out.error;
}

QString MainWindow::saveBundle(const QString& dir) {
    const Outcome out = session_->saveAs(dir);
    if (out.done())
        addRecent(dir);
    return out.error;
}

bool MainWindow::report(const Outcome& outcome, const QString& what) {
    if (outcome.kind == Outcome::Kind::Refused)
        showError(what, outcome.error);
    return outcome.done();
}

void MainWindow::onDocumentChanged() {
    // The combos follow the session (a bundle or a switch to the natural preset changes both).
    showPresetState();
    if (!controller_->data().spec.isEmpty())
        selectDataCombo(controller_->data().spec);
    setWindowTitle(tr("%1[*] — STDP Studio").arg(session_->documentName()));
    setWindowModified(session_->isModified());
}

void MainWindow::showPresetState() {
    preset_box_->showPreset(session_->preset(), session_->presetDepartures());
}

void MainWindow::selectDataCombo(const QString& spec) {
    if (const int builtin = data_box_->findData(spec); builtin >= 0 && builtin < kIdxDataIndex) {
        data_box_->setCurrentIndex(builtin);
        return;
    }
    while (data_box_->count() > kCustomDataIndex)
        data_box_->removeItem(kCustomDataIndex);
    data_box_->addItem(QFileInfo(spec.section(QLatin1Char(':'), 1)).fileName(), spec);
    data_box_->setCurrentIndex(kCustomDataIndex);
}

void MainWindow::onPresetPicked(int index) {
    const QString name = preset_box_->presetAt(index);
    report(session_->usePreset(name), tr("Cannot use the preset '%1'").arg(name));
    onDocumentChanged();  // cancelled or refused: show what is in use
    returnFocus();
}

void MainWindow::onDataPicked(int index) {
    QString spec = data_box_->itemData(index).toString();
    if (index == kIdxDataIndex) {
        const QString file = QFileDialog::getOpenFileName(
            this, tr("Open an IDX image file"), QString(),
            tr("IDX images (*idx3-ubyte *idx3-ubyte.gz *.idx *.gz);;All files (*)"));
        spec = file.isEmpty() ? QString() : QStringLiteral("idx:") + file;
    } else if (index == kFolderDataIndex) {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a folder of images"));
        spec = dir.isEmpty() ? QString() : QStringLiteral("images:") + dir;
    }
    if (!spec.isEmpty() && spec != controller_->data().spec)
        report(session_->useData(spec), tr("Cannot use these images"));
    onDocumentChanged();  // cancelled or refused: show what is in use
    returnFocus();
}

void MainWindow::openBundleDialog() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a model bundle"));
    if (dir.isEmpty())
        return;
    if (report(session_->openBundle(dir), tr("Cannot open the bundle")))
        addRecent(dir);
}

QString MainWindow::chooseBundleFolder() {
    return QFileDialog::getSaveFileName(this, tr("Save the model as a bundle folder"));
}

void MainWindow::saveBundleDialog() {
    const QString dir = chooseBundleFolder();
    if (!dir.isEmpty() && report(session_->saveAs(dir), tr("Cannot save the bundle")))
        addRecent(dir);
}

void MainWindow::importFiltersDialog() {
    const QString file = QFileDialog::getOpenFileName(this, tr("Import filters (D x K weights)"),
                                                      QString(), tr("NumPy arrays (*.npy)"));
    if (!file.isEmpty())
        report(session_->importFilters(file), tr("Cannot import the filters"));
}

void MainWindow::exportMosaicDialog() {
    const SnapshotPtr s = controller_->latest();
    if (!s)
        return;
    bool ok = false;
    const int scale =
        QInputDialog::getInt(this, tr("Export the filter mosaic"), tr("Screen pixels per weight:"),
                             kDefaultExportScale, 1, kMaxExportScale, 1, &ok);
    if (!ok)
        return;
    const QString file =
        QFileDialog::getSaveFileName(this, tr("Export the filter mosaic"),
                                     QStringLiteral("filters.png"), tr("PNG images (*.png)"));
    if (file.isEmpty())
        return;
    const auto contrast =
        contrast_->currentIndex() == 0 ? ExportContrast::Shared : ExportContrast::PerNeuron;
    if (const QString error = exportMosaic(*s, file, scale, contrast); !error.isEmpty())
        showError(tr("Cannot export"), error);
    else
        statusBar()->showMessage(tr("Filter mosaic written to %1").arg(file), 10000);
}

void MainWindow::exportNeuronsDialog() {
    const SnapshotPtr s = controller_->latest();
    if (!s)
        return;
    bool ok = false;
    const int scale =
        QInputDialog::getInt(this, tr("Export one PNG per neuron"), tr("Screen pixels per weight:"),
                             kDefaultExportScale, 1, kMaxExportScale, 1, &ok);
    if (!ok)
        return;
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the neuron PNGs"));
    if (dir.isEmpty())
        return;
    if (const QString error = exportNeurons(*s, dir, scale); !error.isEmpty())
        showError(tr("Cannot export"), error);
    else
        statusBar()->showMessage(
            tr("%1 neuron PNGs written to %2").arg(s->settings.structure.units).arg(dir), 10000);
}

void MainWindow::exportAllCsvDialog() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the chart CSVs"));
    if (dir.isEmpty())
        return;
    refreshCharts();
    for (gui::CsvSource* source : csvSources()) {
        const QString path = dir + QLatin1Char('/') + source->csvName() + QStringLiteral(".csv");
        if (const QString error = exportCsv(*source, path); !error.isEmpty()) {
            showError(tr("Cannot export"), error);
            return;
        }
    }
    statusBar()->showMessage(tr("Chart data written to %1").arg(dir), 5000);
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open bundle…"), QKeySequence::Open, this, &MainWindow::openBundleDialog);
    recent_menu_ = file->addMenu(tr("Open &recent"));
    file->addAction(tr("&Save"), QKeySequence::Save, this, [this] {
        const Outcome out = session_->save();
        if (report(out, tr("Cannot save the bundle")))
            addRecent(session_->bundleDir());
    });
    file->addAction(tr("Save &as…"), QKeySequence(QStringLiteral("Ctrl+Shift+S")), this,
                    &MainWindow::saveBundleDialog);
    file->addSeparator();
    file->addAction(tr("&Import filters…"), this, &MainWindow::importFiltersDialog);
    file->addSeparator();
    file->addAction(tr("Open e&xperiment…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open an experiment"), QString(),
                                                          tr("Experiments (*.json)"));
        if (!path.isEmpty())
            report(session_->openExperiment(path), tr("Cannot open the experiment"));
    });
    file->addAction(tr("&Export experiment…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export the experiment"),
                                                          QStringLiteral("experiment.json"),
                                                          tr("Experiments (*.json)"));
        if (!path.isEmpty())
            report(session_->exportExperiment(path), tr("Cannot export the experiment"));
    });
    file->addAction(tr("&Copy as command"), this, [this] {
        QString note;
        const QString command = session_->trainCommand(&note);
        if (command.isEmpty()) {
            showError(tr("Cannot copy a command"), note);
            return;
        }
        QGuiApplication::clipboard()->setText(command);
        statusBar()->showMessage(tr("Copied: %1. %2").arg(command, note), 15000);
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* exp = menuBar()->addMenu(tr("&Export"));
    exp->addAction(tr("Filter &mosaic as PNG…"), this, &MainWindow::exportMosaicDialog);
    exp->addAction(tr("One PNG per &neuron…"), this, &MainWindow::exportNeuronsDialog);
    QMenu* views_menu = exp->addMenu(tr("&View as PNG"));
    for (const auto& [name, widget] : views()) {
        QWidget* w = widget;
        const QString title = name;
        views_menu->addAction(title + QStringLiteral("…"), this, [this, w, title] {
            const QString path = QFileDialog::getSaveFileName(this, tr("Export %1").arg(title),
                                                              QString(), tr("PNG images (*.png)"));
            if (path.isEmpty())
                return;
            if (const QString error = exportViewPng(w, path); !error.isEmpty())
                showError(tr("Cannot export"), error);
            else
                statusBar()->showMessage(tr("%1 written to %2").arg(title, path), 10000);
        });
    }
    QMenu* csv_menu = exp->addMenu(tr("&Chart data as CSV"));
    for (gui::CsvSource* source : csvSources()) {
        csv_menu->addAction(source->csvName() + QStringLiteral(".csv…"), this, [this, source] {
            refreshCharts();
            const QString path = QFileDialog::getSaveFileName(
                this, tr("Export chart data"), source->csvName() + QStringLiteral(".csv"),
                tr("CSV files (*.csv)"));
            if (path.isEmpty())
                return;
            if (const QString error = exportCsv(*source, path); !error.isEmpty())
                showError(tr("Cannot export"), error);
            else
                statusBar()->showMessage(tr("Chart data written to %1").arg(path), 10000);
        });
    }
    exp->addAction(tr("&All chart data to a folder…"), this, &MainWindow::exportAllCsvDialog);

    view_menu_ = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        view_menu_->addAction(dock->toggleViewAction());
    view_menu_->addSeparator();
    view_menu_->addAction(tr("&Pin as reference"), QKeySequence(QStringLiteral("Ctrl+B")), this,
                          &MainWindow::pinReference);
    view_menu_->addAction(tr("&Clear reference"), this, &MainWindow::clearReference);
    view_menu_->addSeparator();
    // The same switch as the check box beside the census line.
    QAction* marks = view_menu_->addAction(tr("&Mark field classes (Gabor census)"));
    marks->setCheckable(true);
    marks->setChecked(census_marks_->isChecked());
    connect(marks, &QAction::toggled, census_marks_, &QCheckBox::setChecked);
    connect(census_marks_, &QCheckBox::toggled, marks, &QAction::setChecked);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("About this &model"), this, [this] {
        for (QDockWidget* dock : findChildren<QDockWidget*>())
            if (dock->objectName() == QLatin1String("about")) {
                dock->show();
                dock->raise();
            }
    });
    help->addAction(tr("The &Gabor census"), this, [this] {
        QMessageBox::information(this, tr("The Gabor census"),
                                 census_line_->baseToolTip() +
                                     tr("<p>Shown for photograph networks (ON/OFF inputs or "
                                        "patches of 8 px or more); the fits are refreshed every "
                                        "few seconds while learning.</p>"));
    });
    help->addAction(tr("&Keyboard shortcuts"), QKeySequence::HelpContents, this,
                    [this] { showShortcutsDialog(this); });
    help->addAction(tr("&About STDP Studio"), this, [this] { showAboutDialog(this); });
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::addRecent(const QString& dir) {
    QSettings settings;
    QStringList recent = settings.value(kRecentKey).toStringList();
    recent.removeAll(dir);
    recent.prepend(dir);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue(kRecentKey, recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    recent_menu_->clear();
    const QStringList recent = QSettings().value(kRecentKey).toStringList();
    for (const QString& dir : recent)
        recent_menu_->addAction(dir, this, [this, dir] {
            if (report(session_->openBundle(dir), tr("Cannot open the bundle")))
                addRecent(dir);
        });
    recent_menu_->setEnabled(!recent.isEmpty());
}

void MainWindow::restoreSettings() {
    QSettings s;
    if (!restoreGeometry(s.value(QStringLiteral("geometry")).toByteArray()) && screen())
        resize(firstLaunchSize(screen()->availableSize()));
    restoreState(s.value(QStringLiteral("windowState")).toByteArray(), kLayoutVersion);
    speed_->setCurrentIndex(
        std::clamp(s.value(QStringLiteral("speed"), 0).toInt(), 0, speed_->count() - 1));
    contrast_->setCurrentIndex(s.value(QStringLiteral("contrast"), 0).toInt() == 1 ? 1 : 0);
    const QString selection =
        s.value(QStringLiteral("rasterNeurons"), QStringLiteral("all")).toString();
    raster_selection_->setText(selection);
    raster_->setSelection(selection);
    loop_->setChecked(s.value(QStringLiteral("loop"), false).toBool());
    rebuildRecentMenu();
}

void MainWindow::saveSettings() const {
    QSettings s;
    s.setValue(QStringLiteral("geometry"), saveGeometry());
    s.setValue(QStringLiteral("windowState"), saveState(kLayoutVersion));
    s.setValue(QStringLiteral("speed"), speed_->currentIndex());
    s.setValue(QStringLiteral("contrast"), contrast_->currentIndex());
    s.setValue(QStringLiteral("rasterNeurons"), raster_selection_->text());
    s.setValue(QStringLiteral("loop"), loop_->isChecked());
    s.setValue(QStringLiteral("preset"), session_->preset());
    s.setValue(QStringLiteral("data"), controller_->data().spec);
}

}  // namespace stdp::studio
