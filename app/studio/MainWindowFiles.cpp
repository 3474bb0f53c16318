// MainWindow: data, presets, bundles, exports, menus and remembered settings.
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

#include "AboutModelPanel.h"
#include "Bundle.h"
#include "Charts.h"
#include "Export.h"
#include "Histograms.h"
#include "MainWindow.h"
#include "Presets.h"
#include "ReceptiveFieldMosaic.h"
#include "SpikeRaster.h"

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
    Settings settings;
    try {
        settings = presetSettings(preset.toStdString());
        for (const QString& a : assignments)
            applyAssignment(settings, a.toStdString());
        validate(settings);
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    const QString error = configureWith(settings, data_spec);
    if (error.isEmpty()) {
        preset_ = preset;
        preset_box_->setCurrentText(preset);
    }
    return error;
}

QString MainWindow::configureWith(const Settings& settings, const QString& data_spec) {
    DataChoice choice;
    try {
        choice = loadDataChoice(data_spec, settings.data);
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    QString error;
    if (!controller_->configure(settings, choice, std::nullopt, &error))
        return error;
    selectDataCombo(choice.spec);
    if (!choice.held_out)
        statusBar()->showMessage(tr("Too few images to hold some out: the learning curves are "
                                    "measured on the training images."),
                                 10000);
    return {};
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

QString MainWindow::useData(const QString& spec) {
    // Digit presets cannot learn from the whitened built-in photographs: bring their counterpart.
    if (const auto preset = presetForData(preset_.toStdString(), spec.trimmed().toStdString()))
        return start(QString::fromStdString(*preset), spec);
    return configureWith(controller_->settings(), spec);
}

QString MainWindow::usePreset(const QString& preset) {
    return start(preset, dataForPresetName(preset, controller_->data().spec));
}

void MainWindow::onPresetPicked(int index) {
    const QString name = preset_box_->itemText(index);
    const SnapshotPtr s = controller_->latest();
    if (s && s->counters.steps > 0 &&
        !confirm_(
            tr("Switching to the preset '%1' re-initialises the network. Continue?").arg(name))) {
        preset_box_->setCurrentText(preset_);
        return;
    }
    if (const QString error = usePreset(name); !error.isEmpty()) {
        preset_box_->setCurrentText(preset_);
        showError(tr("Cannot use the preset '%1'").arg(name), error);
    }
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
    const QString previous = controller_->data().spec;
    if (spec.isEmpty() || spec == previous) {
        selectDataCombo(previous);  // cancelled: show what is in use
        return;
    }
    if (const QString error = useData(spec); !error.isEmpty()) {
        showError(tr("Cannot use these images"), error);
        selectDataCombo(previous);
    }
}

QString MainWindow::openBundle(const QString& dir) {
    ModelBundle b;
    try {
        b = loadBundle(dir.toStdString());
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    DataChoice choice;
    QString spec = QString::fromStdString(b.data_source);
    try {
        choice =
            loadDataChoice(spec.isEmpty() ? QLatin1String(kBuiltinSpec) : spec, b.settings.data);
    } catch (const std::exception&) {
        // The images it was trained on are gone: keep learning on the built-in digits.
        choice = loadDataChoice(QLatin1String(kBuiltinSpec), b.settings.data);
        statusBar()->showMessage(tr("'%1' is not available; using the built-in digits").arg(spec),
                                 10000);
    }
    InitialState initial{b.weights, b.thresholds, b.images_seen};
    QString error;
    if (!controller_->configure(b.settings, choice, initial, &error))
        return error;
    preset_ = QString::fromStdString(b.preset);
    if (preset_box_->findText(preset_) >= 0)
        preset_box_->setCurrentText(preset_);
    addRecent(dir);
    setWindowTitle(tr("STDP Studio — %1").arg(QFileInfo(dir).fileName()));
    return {};
}

QString MainWindow::saveBundle(const QString& dir) {
    const SnapshotPtr s = controller_->latest();
    if (!s)
        return tr("no network to save yet");
    const QString error =
        saveSnapshotBundle(*s, dir, controller_->data().spec, preset_, controller_->lastMetrics());
    if (error.isEmpty())
        addRecent(dir);
    return error;
}

void MainWindow::openBundleDialog() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a model bundle"));
    if (dir.isEmpty())
        return;
    if (const QString error = openBundle(dir); !error.isEmpty())
        showError(tr("Cannot open the bundle"), error);
}

void MainWindow::saveBundleDialog() {
    const QString dir = QFileDialog::getSaveFileName(this, tr("Save the model as a bundle folder"));
    if (dir.isEmpty())
        return;
    if (const QString error = saveBundle(dir); !error.isEmpty())
        showError(tr("Cannot save the bundle"), error);
    else
        statusBar()->showMessage(tr("Saved %1").arg(dir), 5000);
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
    file->addAction(tr("&Save bundle…"), QKeySequence::Save, this, &MainWindow::saveBundleDialog);
    recent_menu_ = file->addMenu(tr("Open &recent"));
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
        });
    }
    exp->addAction(tr("&All chart data to a folder…"), this, &MainWindow::exportAllCsvDialog);

    view_menu_ = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        view_menu_->addAction(dock->toggleViewAction());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("About this &model"), this, [this] {
        for (QDockWidget* dock : findChildren<QDockWidget*>())
            if (dock->objectName() == QLatin1String("about")) {
                dock->show();
                dock->raise();
            }
    });
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
            if (const QString error = openBundle(dir); !error.isEmpty())
                showError(tr("Cannot open the bundle"), error);
        });
    recent_menu_->setEnabled(!recent.isEmpty());
}

void MainWindow::restoreSettings() {
    QSettings s;
    restoreGeometry(s.value(QStringLiteral("geometry")).toByteArray());
    restoreState(s.value(QStringLiteral("windowState")).toByteArray(), kLayoutVersion);
    speed_->setCurrentIndex(
        std::clamp(s.value(QStringLiteral("speed"), 0).toInt(), 0, speed_->count() - 1));
    contrast_->setCurrentIndex(s.value(QStringLiteral("contrast"), 0).toInt() == 1 ? 1 : 0);
    const QString selection =
        s.value(QStringLiteral("rasterNeurons"), QStringLiteral("all")).toString();
    raster_selection_->setText(selection);
    raster_->setSelection(selection);
    rebuildRecentMenu();
}

void MainWindow::saveSettings() const {
    QSettings s;
    s.setValue(QStringLiteral("geometry"), saveGeometry());
    s.setValue(QStringLiteral("windowState"), saveState(kLayoutVersion));
    s.setValue(QStringLiteral("speed"), speed_->currentIndex());
    s.setValue(QStringLiteral("contrast"), contrast_->currentIndex());
    s.setValue(QStringLiteral("rasterNeurons"), raster_selection_->text());
    s.setValue(QStringLiteral("preset"), preset_);
    s.setValue(QStringLiteral("data"), controller_->data().spec);
}

}  // namespace stdp::studio
