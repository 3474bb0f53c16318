#pragma once
// Wiring only: places the views, connects the toolbar, menus and panels to the controller, and
// remembers the user's choices. Each view paints its own snapshot; nothing is computed here.

#include <QElapsedTimer>
#include <QIcon>
#include <QMainWindow>
#include <QTimer>
#include <functional>

#include "ReferenceRun.h"
#include "ScreenshotRun.h"
#include "SimulationController.h"
#include "StudioSession.h"

class QCheckBox;
class QHBoxLayout;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QSplitter;

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
class InputPicker;
class ThresholdChart;
class WeightHistogram;
class WinCounts;
class CsvSource;
class ChangeLogView;
class FittingLabel;
class PresetBox;
}  // namespace stdp::gui

namespace stdp::studio {

class StatusReadout;
class FieldCensusRunner;
class PresentationMode;
class ParameterEdits;

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // The session's use-cases (see StudioSession), with their errors as text (empty = done or
    // cancelled). `assignments` are KEY=VALUE changes to the preset (as `stdp-cli --set`).
    QString start(const QString& preset, const QString& data_spec,
                  const QStringList& assignments = {});
    QString useData(const QString& spec);
    QString usePreset(const QString& preset);
    QString openBundle(const QString& dir);
    QString saveBundle(const QString& dir);
    // Sizes the window for a screenshot and splits it as a screen that tall would: offscreen the
    // screen is 800x600 whatever the window's size, and the neuron inspector's text was cut.
    void resizeForScreenshot(QSize size);
    // Runs `images` images at full speed, then renders the window to `file`; emits screenshotDone.
    void screenshotAfter(std::uint64_t images, const QString& file);
    // Asked before replacing a trained network and for yes/no questions; true = go ahead
    // (discard). Default: message boxes.
    void setConfirmHandler(std::function<bool(const QString&)> confirm);
    // Save / Discard / Cancel before a modified network is discarded (tests inject one).
    void setUnsavedHandler(StudioSession::AskUnsaved ask);

    StudioSession* session() const { return session_; }
    SimulationController* controller() const { return controller_; }
    gui::ReceptiveFieldMosaic* mosaic() const { return mosaic_; }
    FieldCensusRunner* census() const { return census_; }
    gui::FittingLabel* censusLine() const { return census_line_; }
    QCheckBox* censusMarks() const { return census_marks_; }
    gui::ParameterPanel* parameters() const { return parameters_; }
    gui::PresetBox* presetBox() const { return preset_box_; }
    ParameterEdits* edits() const { return edits_; }
    gui::ChangeLogView* changeLog() const { return change_log_; }
    gui::ThresholdChart* thresholdChart() const { return threshold_; }
    gui::LearningCurves* learningCurves() const { return curves_; }
    gui::SpikeRaster* raster() const { return raster_; }
    gui::ReconstructionView* reconstruction() const { return reconstruction_; }
    PresentationMode* presentation() const { return presentation_; }
    gui::StepView* stepView() const { return step_view_; }
    gui::PresentPanel* presentPanel() const { return present_; }
    gui::InputPicker* inputPicker() const { return picker_; }
    // Shows the panel (dock) of this name and brings it in front of its tab siblings; false if
    // there is none. Names: panelNames().
    bool showPanel(const QString& name);
    QStringList panelNames() const;
    // Every view by name (Export menu, tests) and every CSV source.
    QList<QPair<QString, QWidget*>> views() const;
    QList<gui::CsvSource*> csvSources() const;
    void refreshCharts();  // every chart now (normally coalesced by a timer, visible ones only)
    // A/B: pin the current run's curves, threshold chart and mosaic as the reference.
    void pinReference();
    void clearReference();
    const ReferenceRun& reference() const { return reference_; }

    const FrameStats& frameStats() const { return screenshot_->stats(); }
    QString rateText() const;  // the speed readout (tests)

  signals:
    void screenshotDone(bool ok, const QString& message);

  protected:
    void closeEvent(QCloseEvent* event) override;

  private:
    // Saved dock layouts of another version are ignored: a layout saved before a dock existed
    // would otherwise put the new dock wherever Qt finds room. Raise it when the docks change.
    static constexpr int kLayoutVersion = 2;

    void buildViews();
    // A tall window has room for the selected neuron's history under its numbers.
    void splitLeftColumn(int window_height);
    QDockWidget* buildPresenting();  // Pick the input, Draw and present (MainWindowPresent.cpp)
    void buildActions();
    void buildMenus();
    void onSnapshot(const SnapshotPtr& s);
    void updateCharts(bool visible_only);
    void onNetworkReplaced();
    // The census line, the mosaic's marks and the inspector's line, from the newest census.
    void showCensus();
    // Greys the census line (and says it is being updated) once the network has moved on.
    void ageCensus(const Snapshot& now);
    QHBoxLayout* buildCensusRow();
    void resetCensus(const Settings& settings);
    void updatePlayState(bool running);
    void onDataPicked(int index);
    void selectDataCombo(const QString& spec);
    void onPresetPicked(int index);
    // A use-case's outcome: a refusal shown under `what`; true when done.
    bool report(const Outcome& outcome, const QString& what);
    void onDocumentChanged();
    // The preset box names the preset and says whether the network departs from it.
    void showPresetState();
    void returnFocus();
    void showError(const QString& what, const QString& message);
    void addRecent(const QString& dir);
    void rebuildRecentMenu();
    void restoreSettings();
    void saveSettings() const;
    // File menu and export actions (dialogs).
    void openBundleDialog();
    void saveBundleDialog();
    QString chooseBundleFolder();
    void importFiltersDialog();
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
    StudioSession* session_;
    ScreenshotRun* screenshot_;
    StatusReadout* status_ = nullptr;

    gui::ReceptiveFieldMosaic* mosaic_ = nullptr;
    FieldCensusRunner* census_ = nullptr;
    gui::FittingLabel* census_line_ = nullptr;
    QCheckBox* census_marks_ = nullptr;
    bool census_stale_ = false;
    gui::NeuronInspector* inspector_ = nullptr;
    QSplitter* left_split_ = nullptr;  // the fields above the selected neuron
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
    gui::InputPicker* picker_ = nullptr;

    QAction* play_ = nullptr;
    QAction* loop_ = nullptr;
    QLabel* pinned_thumb_ = nullptr;
    ReferenceRun reference_;
    // The Play/Pause icons, made once: a new QIcon per frame has a new cache key, so each frame
    // put another scaled copy of the icon into QPixmapCache (up to its 10 MB limit).
    QIcon play_icon_;
    QIcon pause_icon_;
    bool play_shows_running_ = false;
    QString finished_message_;  // "All N training images presented", while it is shown
    QComboBox* speed_ = nullptr;
    gui::PresetBox* preset_box_ = nullptr;
    QComboBox* data_box_ = nullptr;
    QComboBox* contrast_ = nullptr;
    QMenu* recent_menu_ = nullptr;
    QMenu* view_menu_ = nullptr;
    QTimer chart_timer_;
};

}  // namespace stdp::studio
