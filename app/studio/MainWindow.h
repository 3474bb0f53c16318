#pragma once
// Wiring only: places the views, connects the toolbar, menus and panels to the controller, and
// remembers the user's choices. Each view paints its own snapshot; nothing is computed here.

#include <QElapsedTimer>
#include <QIcon>
#include <QMainWindow>
#include <QTimer>
#include <functional>

#include "SimulationController.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;

namespace stdp::gui {
class AboutModelPanel;
class LearningCurves;
class NeuronInspector;
class ParameterPanel;
class ReceptiveFieldMosaic;
class ReconstructionView;
class SpikeRaster;
class StepView;
class PresentPanel;
class ThresholdChart;
class WeightHistogram;
class WinCounts;
class CsvSource;
class ChangeLogView;
}  // namespace stdp::gui

namespace stdp::studio {

class PresentationMode;
class ParameterEdits;

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads data and preset and configures the network; on a problem returns the reason.
    // `assignments` are KEY=VALUE changes to the preset (as `stdp-cli --set`).
    QString start(const QString& preset, const QString& data_spec,
                  const QStringList& assignments = {});
    // Replaces the data (keeps the settings); returns the reason on failure, nothing changes.
    QString useData(const QString& spec);
    QString usePreset(const QString& preset);
    QString openBundle(const QString& dir);
    QString saveBundle(const QString& dir);
    // Runs `images` images at full speed, then renders the window to `file`; emits screenshotDone.
    void screenshotAfter(std::uint64_t images, const QString& file);
    // Asked before replacing a trained network; default: a QMessageBox question.
    void setConfirmHandler(std::function<bool(const QString&)> confirm);

    SimulationController* controller() const { return controller_; }
    gui::ReceptiveFieldMosaic* mosaic() const { return mosaic_; }
    gui::ParameterPanel* parameters() const { return parameters_; }
    ParameterEdits* edits() const { return edits_; }
    gui::ChangeLogView* changeLog() const { return change_log_; }
    gui::ThresholdChart* thresholdChart() const { return threshold_; }
    gui::LearningCurves* learningCurves() const { return curves_; }
    gui::SpikeRaster* raster() const { return raster_; }
    gui::ReconstructionView* reconstruction() const { return reconstruction_; }
    PresentationMode* presentation() const { return presentation_; }
    gui::StepView* stepView() const { return step_view_; }
    gui::PresentPanel* presentPanel() const { return present_; }
    // Shows the panel (dock) of this name and brings it in front of its tab siblings; false if
    // there is none. Names: panelNames().
    bool showPanel(const QString& name);
    QStringList panelNames() const;
    // Every view by name (Export menu, tests) and every CSV source.
    QList<QPair<QString, QWidget*>> views() const;
    QList<gui::CsvSource*> csvSources() const;
    void refreshCharts();  // normally coalesced by a timer

    // GUI-thread cost of the views, for the performance report.
    struct FrameStats {
        int frames = 0;
        double frame_ms_total = 0.0;
        double frame_ms_max = 0.0;
        int chart_redraws = 0;
        double chart_ms_total = 0.0;
        std::uint64_t run_images = 0;  // screenshot run: images and time until the pause
        std::uint64_t run_steps = 0;
        double run_seconds = 0.0;
    };
    const FrameStats& frameStats() const { return stats_; }

  signals:
    void screenshotDone(bool ok, const QString& message);

  protected:
    void closeEvent(QCloseEvent* event) override;

  private:
    // Saved dock layouts of another version are ignored: a layout saved before a dock existed
    // would otherwise put the new dock wherever Qt finds room. Raise it when the docks change.
    static constexpr int kLayoutVersion = 2;

    void buildViews();
    void buildActions();
    void buildMenus();
    void onSnapshot(const SnapshotPtr& s);
    void onNetworkReplaced();
    void updatePlayState(bool running);
    void onDataPicked(int index);
    QString configureWith(const Settings& settings, const QString& data_spec);
    void selectDataCombo(const QString& spec);
    void onPresetPicked(int index);
    void showError(const QString& what, const QString& message);
    void addRecent(const QString& dir);
    void rebuildRecentMenu();
    void restoreSettings();
    void saveSettings() const;
    // File menu and export actions (dialogs).
    void openBundleDialog();
    void saveBundleDialog();
    void exportMosaicDialog();
    void exportNeuronsDialog();
    void exportAllCsvDialog();
    // Parameter edits: undo stack, Edit menu, change log (MainWindowEdits.cpp).
    void buildEditing();
    void buildEditMenu();
    void onSettingsReplaced();
    void usePresetAsReference();
    void exportChangeLogDialog();

    SimulationController* controller_;
    QString preset_;
    std::function<bool(const QString&)> confirm_;

    gui::ReceptiveFieldMosaic* mosaic_ = nullptr;
    gui::NeuronInspector* inspector_ = nullptr;
    gui::SpikeRaster* raster_ = nullptr;
    QLineEdit* raster_selection_ = nullptr;
    gui::ReconstructionView* reconstruction_ = nullptr;
    gui::ThresholdChart* threshold_ = nullptr;
    gui::LearningCurves* curves_ = nullptr;
    gui::WeightHistogram* histogram_ = nullptr;
    gui::WinCounts* wins_ = nullptr;
    gui::ParameterPanel* parameters_ = nullptr;
    gui::AboutModelPanel* about_ = nullptr;
    PresentationMode* presentation_ = nullptr;
    ParameterEdits* edits_ = nullptr;
    gui::ChangeLogView* change_log_ = nullptr;
    gui::StepView* step_view_ = nullptr;
    gui::PresentPanel* present_ = nullptr;
    class Presenter* presenter_ = nullptr;

    QAction* play_ = nullptr;
    // The Play/Pause icons, made once: a new QIcon per frame has a new cache key, so each frame
    // put another scaled copy of the icon into QPixmapCache (up to its 10 MB limit).
    QIcon play_icon_;
    QIcon pause_icon_;
    bool play_shows_running_ = false;
    QComboBox* speed_ = nullptr;
    QComboBox* preset_box_ = nullptr;
    QComboBox* data_box_ = nullptr;
    QComboBox* contrast_ = nullptr;
    QMenu* recent_menu_ = nullptr;
    QMenu* view_menu_ = nullptr;
    QLabel* rate_label_ = nullptr;
    QLabel* counter_label_ = nullptr;
    QLabel* theta_label_ = nullptr;
    QLabel* rmse_label_ = nullptr;
    QTimer chart_timer_;
    FrameStats stats_;
    QElapsedTimer run_clock_;
    std::uint64_t screenshot_images_ = 0;
    QString screenshot_file_;
    bool screenshot_stopping_ = false;
};

}  // namespace stdp::studio
