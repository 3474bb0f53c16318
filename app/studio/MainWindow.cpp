#include "MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QScreen>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QVBoxLayout>
#include <memory>

#include "AboutModelPanel.h"
#include "Charts.h"
#include "FieldCensusRunner.h"
#include "FocusHandBack.h"
#include "HelpDialogs.h"
#include "Histograms.h"
#include "MosaicPanel.h"
#include "NeuronInspector.h"
#include "ParameterPanel.h"
#include "PresentPanel.h"
#include "PresentationMode.h"
#include "Presenter.h"
#include "PresetBox.h"
#include "ReceptiveFieldMosaic.h"
#include "ReconstructionView.h"
#include "SpikeRaster.h"
#include "StatusReadout.h"
#include "StepView.h"
#include "model/Presets.h"

namespace stdp::studio {

namespace {
constexpr int kChartRefreshMs = 200;  // charts redraw at most 5 times a second
constexpr int kScrollBarAllowance = 20;
constexpr int kPinnedThumbHeight = 32;  // fits the mosaic header at 720p
constexpr int kMaxPinnedChanges = 3;    // changes named in a pinned run's label
constexpr int kSplitUnit = 100;
constexpr int kTallScreen = 900;  // pixels of available height (a screenshot: of the window)
constexpr int kChartDockHeight = 240;
constexpr int kSpeedComboChars = 16;  // the longest choice shows in full in the open list
constexpr int kDataComboChars = 14;

struct SpeedChoice {
    const char* label;
    double steps_per_second;
};
constexpr SpeedChoice kSpeeds[] = {
    {"As fast as possible", SimulationWorker::kMaxSpeed},
    {"2000 steps/s", 2000.0},
    {"200 steps/s", 200.0},
    {"40 steps/s (a patch a second)", 40.0},
    {"10 steps/s", 10.0},
    {"3 steps/s (teaching)", 3.0},
    {"1 step/s", 1.0},
};

// A dock holding `widget`, with an object name so that its place is remembered.
QDockWidget* makeDock(QMainWindow* window, const QString& title, const QString& name,
                      QWidget* widget) {
    auto* dock = new QDockWidget(title, window);
    dock->setObjectName(name);
    dock->setWidget(widget);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                      QDockWidget::DockWidgetClosable);
    return dock;
}
}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      controller_(new SimulationController(this)),
      session_(new StudioSession(controller_, this)),
      screenshot_(new ScreenshotRun(
          this, controller_, [this] { refreshCharts(); }, this)) {
    session_->setConfirm([this](const QString& question) {
        return QMessageBox::question(this, tr("STDP Studio"), question) == QMessageBox::Yes;
    });
    session_->setAskUnsaved([this](const QString& question) {
        const auto answer = QMessageBox::question(
            this, tr("Unsaved learning"), question,
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
        return answer == QMessageBox::Save      ? UnsavedChoice::Save
               : answer == QMessageBox::Discard ? UnsavedChoice::Discard
                                                : UnsavedChoice::Cancel;
    });
    session_->setChooseSaveFolder([this] { return chooseBundleFolder(); });
    buildViews();
    buildEditing();
    buildActions();
    buildMenus();
    buildEditMenu();

    // Presentation mode: the central views stay; docks that should stay declare it themselves.
    presentation_ = new PresentationMode(this);
    addAction(presentation_->action());
    view_menu_->addSeparator();
    view_menu_->addAction(presentation_->action());
    connect(presentation_, &PresentationMode::scaleChanged, mosaic_,
            &gui::ReceptiveFieldMosaic::setDrawingScale);
    // In front of a class the step view is the lesson: give it close to half the height (the
    // layout before is restored on leaving).
    connect(presentation_, &PresentationMode::scaleChanged, this, [this](double scale) {
        if (scale <= 1.0)
            return;
        if (auto* step = findChild<QDockWidget*>(QStringLiteral("step")))
            QTimer::singleShot(0, this, [this, step] {
                resizeDocks({step}, {height() * 45 / 100}, Qt::Vertical);
            });
    });

    connect(session_, &StudioSession::documentChanged, this, &MainWindow::onDocumentChanged);
    connect(session_, &StudioSession::note, this,
            [this](const QString& message) { statusBar()->showMessage(message, 10000); });
    connect(screenshot_, &ScreenshotRun::done, this, &MainWindow::screenshotDone);
    onDocumentChanged();
    (new FocusHandBack(mosaic_, this))->watch(this);

    chart_timer_.setSingleShot(true);
    chart_timer_.setInterval(kChartRefreshMs);
    connect(&chart_timer_, &QTimer::timeout, this, [this] { updateCharts(true); });
    connect(controller_, &SimulationController::historyChanged, this, [this] {
        if (!chart_timer_.isActive())
            chart_timer_.start();
    });
    connect(controller_, &SimulationController::snapshotReady, this, &MainWindow::onSnapshot);
    connect(controller_, &SimulationController::networkReplaced, this,
            &MainWindow::onNetworkReplaced);
    connect(controller_, &SimulationController::reconstructionReady, reconstruction_,
            &gui::ReconstructionView::setSnapshot);
    connect(controller_, &SimulationController::metricsReady, this,
            [this](const ReconstructionMetrics& m) { status_->showMetrics(m); });
    connect(controller_, &SimulationController::evaluationDeferredChanged, status_,
            &StatusReadout::showEvaluationDeferred);
    connect(controller_, &SimulationController::failed, this,
            [this](const QString& message) { showError(tr("The simulation refused"), message); });
    restoreSettings();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildViews() {
    inspector_ = new gui::NeuronInspector;
    raster_ = new gui::SpikeRaster;
    reconstruction_ = new gui::ReconstructionView;
    threshold_ = new gui::ThresholdChart;
    curves_ = new gui::LearningCurves;
    histogram_ = new gui::WeightHistogram;
    wins_ = new gui::WinCounts;
    parameters_ = new gui::ParameterPanel;
    about_ = new gui::AboutModelPanel;
    step_view_ = new gui::StepView;

    // Centre: the fields (the point of the program), and beside them the selected neuron, the
    // patch and its reconstruction, and the spikes.
    auto* mosaic_box = new gui::MosaicPanel;
    mosaic_ = mosaic_box->mosaic();
    contrast_ = mosaic_box->contrastBox();
    mosaic_->setFocusPolicy(Qt::ClickFocus);  // takes the keyboard back from fields and combos
    pinned_thumb_ = new QLabel;
    pinned_thumb_->hide();
    mosaic_box->addHeaderWidget(pinned_thumb_);

    auto* raster_box = new QWidget;
    auto* raster_layout = new QVBoxLayout(raster_box);
    raster_layout->setContentsMargins(4, 4, 4, 4);
    auto* sel_row = new QHBoxLayout;
    sel_row->addWidget(new QLabel(tr("<b>Spike raster</b> — neurons:")));
    raster_selection_ = new QLineEdit(QStringLiteral("all"));
    raster_selection_->setObjectName(QStringLiteral("rasterSelection"));
    raster_selection_->setToolTip(
        tr("Which neurons to show: 'all', 'top 16' (most active), or a list like '0-7, 12'."));
    sel_row->addWidget(raster_selection_, 1);
    raster_layout->addLayout(sel_row);
    raster_layout->addWidget(raster_, 1);

    QHBoxLayout* census_row = buildCensusRow();
    auto* fields_box = new QWidget;
    auto* fields_layout = new QVBoxLayout(fields_box);
    fields_layout->setContentsMargins(0, 0, 0, 0);
    fields_layout->setSpacing(0);
    fields_layout->addWidget(mosaic_box, 1);
    fields_layout->addLayout(census_row);
    // The selected neuron under the fields it is picked from; two short columns rather than one
    // tall one, so that the window fits a 720p projector with the raster still tall enough.
    left_split_ = new QSplitter(Qt::Vertical);
    left_split_->addWidget(fields_box);
    left_split_->addWidget(inspector_);
    left_split_->setStretchFactor(0, 4);
    left_split_->setStretchFactor(1, 1);
    auto* right = new QSplitter(Qt::Vertical);
    right->addWidget(reconstruction_);
    right->addWidget(raster_box);
    right->setStretchFactor(0, 2);
    right->setStretchFactor(1, 3);
    // Proportions of all the height, not only the extra space above the minimum sizes.
    splitLeftColumn(screen() ? screen()->availableSize().height() : 0);
    right->setSizes({2 * kSplitUnit, 3 * kSplitUnit});
    auto* centre = new QSplitter(Qt::Horizontal);
    centre->addWidget(left_split_);
    centre->addWidget(right);
    centre->setStretchFactor(0, 5);
    centre->setStretchFactor(1, 6);
    setCentralWidget(centre);

    auto* weights_box = new QSplitter(Qt::Vertical);
    weights_box->addWidget(histogram_);
    weights_box->addWidget(wins_);
    // The panel is taller than a small screen: it scrolls rather than forcing the window's size.
    auto* params_scroll = new QScrollArea;
    params_scroll->setWidget(parameters_);
    params_scroll->setWidgetResizable(true);
    params_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    params_scroll->setMinimumWidth(parameters_->sizeHint().width() + kScrollBarAllowance);
    QDockWidget* params =
        makeDock(this, tr("Parameters"), QStringLiteral("parameters"), params_scroll);
    QDockWidget* about = makeDock(this, tr("About this model"), QStringLiteral("about"), about_);
    QDockWidget* theta = makeDock(this, tr("Threshold"), QStringLiteral("threshold"), threshold_);
    QDockWidget* curves = makeDock(this, tr("Learning curves"), QStringLiteral("curves"), curves_);
    QDockWidget* weights =
        makeDock(this, tr("Weights and wins"), QStringLiteral("weights"), weights_box);
    addDockWidget(Qt::RightDockWidgetArea, params);
    tabifyDockWidget(params, about);
    params->raise();
    addDockWidget(Qt::BottomDockWidgetArea, theta);
    addDockWidget(Qt::BottomDockWidgetArea, curves);
    addDockWidget(Qt::BottomDockWidgetArea, weights);
    splitDockWidget(theta, curves, Qt::Horizontal);
    splitDockWidget(curves, weights, Qt::Horizontal);
    // The step view shares the curves' place: hidden behind its tab, the run records nothing.
    QDockWidget* step =
        makeDock(this, tr("Inside one time step"), QStringLiteral("step"), step_view_);
    tabifyDockWidget(curves, step);
    curves->raise();
    PresentationMode::keepVisible(step);  // what a class is shown, with the central views
    // A tab behind another or a closed dock is not "visible" in this sense.
    connect(step, &QDockWidget::visibilityChanged, controller_,
            &SimulationController::setStepTracing);
    QDockWidget* present = buildPresenting();
    tabifyDockWidget(step, present);
    curves->raise();
    PresentationMode::keepVisible(present);
    // The mosaic frames the neurons the step view or the last drawing is about.
    connect(step_view_, &gui::StepView::firedShown, mosaic_,
            &gui::ReceptiveFieldMosaic::setHighlighted);
    for (QDockWidget* chart_dock : {theta, curves})
        connect(chart_dock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
            if (visible)
                updateCharts(true);
        });
    resizeDocks({theta, curves, weights}, {3, 7, 3}, Qt::Horizontal);
    resizeDocks({theta}, {kChartDockHeight}, Qt::Vertical);
    resizeDocks({params}, {400}, Qt::Horizontal);

    connect(mosaic_, &gui::ReceptiveFieldMosaic::neuronSelected, inspector_,
            &gui::NeuronInspector::setNeuron);
    // Hovering a field or a raster row says what it is, in the status bar (and in a tooltip).
    // Leaving a view clears only its own text, not an error shown meanwhile.
    auto showHover = [this, shown = std::make_shared<QString>()](const QString& text) {
        if (!text.isEmpty())
            statusBar()->showMessage(text);
        else if (statusBar()->currentMessage() == *shown)
            statusBar()->clearMessage();
        *shown = text;
    };
    connect(mosaic_, &gui::ReceptiveFieldMosaic::hovered, this, showHover);
    connect(raster_, &gui::SpikeRaster::hovered, this, showHover);
    connect(raster_selection_, &QLineEdit::editingFinished, this, [this] {
        QString why;
        if (!raster_->setSelection(raster_selection_->text(), &why))
            statusBar()->showMessage(tr("Raster: %1").arg(why), 5000);
    });
    connect(step_view_, &gui::StepView::stepRequested, this, [this] {
        if (!play_shows_running_)
            controller_->step(StepUnit::Step);
    });
    connect(parameters_, &gui::ParameterPanel::thresholdEdited, controller_,
            &SimulationController::setThreshold);
    connect(parameters_, &gui::ParameterPanel::structureChangeRequested, this,
            [this](const StructureSettings& st) {
                Settings s = controller_->settings();
                s.structure = st;
                QString error;
                if (!controller_->configure(s, controller_->data(), std::nullopt, &error))
                    showError(tr("Cannot change the structure"), error);
            });
    connect(parameters_, &gui::ParameterPanel::newNetworkRequested, this,
            [this](const Settings& s) {
                QString error;
                if (!controller_->configure(s, controller_->data(), std::nullopt, &error))
                    showError(tr("Cannot start the new network"), error);
            });
}

void MainWindow::buildActions() {
    QToolBar* bar = addToolBar(tr("Simulation"));
    bar->setObjectName(QStringLiteral("simulation_toolbar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    play_icon_ = style()->standardIcon(QStyle::SP_MediaPlay);
    pause_icon_ = style()->standardIcon(QStyle::SP_MediaPause);
    play_ = bar->addAction(play_icon_, tr("Play"));
    play_->setShortcut(Qt::Key_Space);
    play_->setToolTip(tr("Learn continuously (Space)"));
    connect(play_, &QAction::triggered, this, [this] {
        if (controller_->isRunning()) {
            controller_->pause();
            updatePlayState(false);
        } else {
            controller_->play();
            updatePlayState(true);
        }
    });
    auto addStep = [&](const QString& text, const QString& tip, StepUnit unit,
                       QKeySequence key) -> QAction* {
        QAction* a = bar->addAction(style()->standardIcon(QStyle::SP_MediaSeekForward), text);
        a->setToolTip(tip);
        a->setShortcut(key);
        connect(a, &QAction::triggered, this, [this, unit] {
            const SnapshotPtr s = controller_->latest();
            const bool mid_patch = s && s->raster && s->raster->current_step > 0 &&
                                   s->raster->current_step < s->raster->patch_steps;
            if (unit == StepUnit::Patch && mid_patch)
                statusBar()->showMessage(
                    tr("Patch: finished the patch under way (%1 of %2 steps were done)")
                        .arg(s->raster->current_step)
                        .arg(s->raster->patch_steps),
                    5000);
            controller_->step(unit);
            updatePlayState(false);
        });
        return a;
    };
    addStep(tr("Step"), tr("One time step (S)"), StepUnit::Step, Qt::Key_S);
    addStep(tr("Patch"),
            tr("To the end of a patch: the rest of the patch under way, else a whole patch of T "
               "time steps (P)"),
            StepUnit::Patch, Qt::Key_P);
    addStep(tr("Image"), tr("All patches of one image (I)"), StepUnit::Image, Qt::Key_I);
    loop_ = bar->addAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("Loop"));
    loop_->setCheckable(true);
    loop_->setShortcut(Qt::Key_L);
    loop_->setToolTip(
        tr("Keep learning past the end of the data: the images start over, the network goes "
           "on (L)"));
    connect(loop_, &QAction::toggled, controller_, &SimulationController::setLoop);
    QAction* reset = bar->addAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("Reset"));
    reset->setShortcut(QKeySequence(QStringLiteral("Ctrl+R")));
    reset->setToolTip(
        tr("Re-initialise the weights and θ from the seed and start the data over (Ctrl+R)"));
    connect(reset, &QAction::triggered, this, [this] { session_->reset(); });
    bar->addSeparator();
    bar->addWidget(new QLabel(tr(" Speed ")));
    speed_ = new QComboBox;
    for (const SpeedChoice& c : kSpeeds)
        speed_->addItem(tr(c.label), c.steps_per_second);
    speed_->setMinimumContentsLength(kSpeedComboChars);
    speed_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    speed_->setToolTip(tr("Slow it down to follow every spike and every weight change by eye"));
    bar->addWidget(speed_);
    connect(speed_, &QComboBox::currentIndexChanged, this,
            [this](int i) { controller_->setSpeed(speed_->itemData(i).toDouble()); });
    connect(speed_, &QComboBox::activated, this, &MainWindow::returnFocus);
    bar->addSeparator();
    bar->addWidget(new QLabel(tr(" Preset ")));
    preset_box_ = new gui::PresetBox;
    bar->addWidget(preset_box_);
    connect(preset_box_, &QComboBox::activated, this, &MainWindow::onPresetPicked);
    bar->addWidget(new QLabel(tr(" Data ")));
    data_box_ = new QComboBox;
    data_box_->setMinimumContentsLength(kDataComboChars);
    data_box_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    data_box_->addItem(tr("Built-in MNIST"), QLatin1String(kBuiltinSpec));
    data_box_->addItem(tr("Built-in photographs"), QLatin1String(kBuiltinNaturalSpec));
    data_box_->setItemData(
        1, tr("CC0 / public-domain photographs: six to learn from, two held out"), Qt::ToolTipRole);
    data_box_->addItem(tr("IDX file…"), QString());
    data_box_->addItem(tr("Image folder…"), QString());
    bar->addWidget(data_box_);
    connect(data_box_, &QComboBox::activated, this, &MainWindow::onDataPicked);
    // The window is never narrower than its toolbar: no control hides behind a » overflow.
    bar->setMinimumWidth(bar->sizeHint().width());

    status_ = new StatusReadout(statusBar());
}

void MainWindow::updatePlayState(bool running) {
    // Called with every snapshot: touch the action (and repaint its button) only on a change.
    if (running == play_shows_running_)
        return;
    play_shows_running_ = running;
    play_->setText(running ? tr("Pause") : tr("Play"));
    play_->setIcon(running ? pause_icon_ : play_icon_);
}

void MainWindow::onSnapshot(const SnapshotPtr& s) {
    QElapsedTimer clock;
    clock.start();
    mosaic_->setSnapshot(s->fields);
    census_->offer(s);
    ageCensus(*s);
    inspector_->setSnapshot(s->fields);
    histogram_->setSnapshot(s->fields);
    wins_->setSnapshot(s->fields);
    raster_->setSnapshot(s->raster);
    raster_->setHoverContext(s->fields, s->counters.steps);
    step_view_->append(s->step_traces);
    if (!s->step_traces.empty())
        inspector_->setLastStep(s->step_traces.back());
    parameters_->showThreshold(static_cast<double>(s->theta_mean));
    threshold_->setAmplitudeCoding(s->settings.dynamics.amplitudeCoding());
    updatePlayState(s->running);
    status_->showSnapshot(*s);
    if (s->finished) {  // until the next message: Play alone would do nothing now
        // Short: the readouts on the right leave a small window a third of the bar.
        finished_message_ = tr("All %1 images presented · Loop (L) goes on · Reset (Ctrl+R)")
                                .arg(s->counters.images);
        statusBar()->showMessage(finished_message_);
        step_view_->setEmptyHint(
            tr("All %1 images presented: Step has nothing left to step through. Turn on Loop (L) "
               "to go on learning, or Reset (Ctrl+R) to start again.")
                .arg(s->counters.images));
    } else if (!finished_message_.isEmpty()) {  // reset, a new preset, Loop: no longer true
        if (statusBar()->currentMessage() == finished_message_)
            statusBar()->clearMessage();
        finished_message_.clear();
        step_view_->setEmptyHint({});
    }
    screenshot_->onFrame(*s, static_cast<double>(clock.nsecsElapsed()) / 1e6);
}

void MainWindow::onNetworkReplaced() {
    const Settings& s = controller_->settings();
    parameters_->setSettings(s);
    resetCensus(s);
    onSettingsReplaced();
    inspector_->setNeuron(std::min(inspector_->neuron(), s.structure.units - 1));
    inspector_->setLastStep(nullptr);
    mosaic_->setSelected(inspector_->neuron());
    reconstruction_->setSnapshot(nullptr);
    step_view_->clear();
    present_->setResponse(nullptr, nullptr);  // the answer of a network that is gone
    // Digit presets are shown a drawing; photograph presets a crop of a photograph, whitened as
    // their training photographs are.
    present_->setPhotographMode(s.structure.onoff, s.data, s.structure.patch_size);
    status_->clearMetrics();
    refreshCharts();
}

void MainWindow::refreshCharts() {
    updateCharts(false);
}

void MainWindow::updateCharts(bool visible_only) {
    QElapsedTimer clock;
    clock.start();
    const History& h = controller_->history();
    // A chart behind another tab or in a closed dock catches up when it is shown.
    if (!visible_only || threshold_->isVisible())
        threshold_->setData(reference_.overlay(h.thresholdData(), ReferenceRun::Chart::Threshold));
    if (!visible_only || curves_->isVisible())
        curves_->setData(reference_.overlay(h.errorData(), ReferenceRun::Chart::Error),
                         reference_.overlay(h.codeData(), ReferenceRun::Chart::Code));
    screenshot_->onChartRedraw(static_cast<double>(clock.nsecsElapsed()) / 1e6);
}

void MainWindow::pinReference() {
    const History& h = controller_->history();
    // The label names the run: its preset and data, and the first changes made to it.
    QString label = session_->bundleDir().isEmpty() ? session_->preset() : session_->documentName();
    const auto markers = h.errorData()->markers;
    for (std::size_t i = 0; i < markers.size() && i < std::size_t{kMaxPinnedChanges}; ++i)
        label += QStringLiteral(", ") + markers[i].label;
    if (markers.size() > std::size_t{kMaxPinnedChanges})
        label += QStringLiteral(", …");
    const QImage mosaic = mosaic_->grab().toImage();
    reference_.pin(h.thresholdData(), h.errorData(), h.codeData(), label, mosaic);
    pinned_thumb_->setPixmap(
        QPixmap::fromImage(mosaic.scaledToHeight(kPinnedThumbHeight, Qt::SmoothTransformation)));
    pinned_thumb_->setToolTip(tr("Pinned reference: %1").arg(label));
    pinned_thumb_->show();
    statusBar()->showMessage(
        tr("Pinned '%1' as the reference: change settings, Reset, and compare the dashed curves")
            .arg(label),
        8000);
    refreshCharts();
}

void MainWindow::clearReference() {
    reference_.clear();
    pinned_thumb_->hide();
    refreshCharts();
}

QList<QPair<QString, QWidget*>> MainWindow::views() const {
    return {
        {tr("Receptive fields"), mosaic_},    {tr("Neuron inspector"), inspector_},
        {tr("Spike raster"), raster_},        {tr("Reconstruction"), reconstruction_},
        {tr("Threshold chart"), threshold_},  {tr("Learning curves"), curves_},
        {tr("Weight histogram"), histogram_}, {tr("Win counts"), wins_},
        {tr("Parameters"), parameters_},      {tr("Whole window"), const_cast<MainWindow*>(this)}};
}

QList<gui::CsvSource*> MainWindow::csvSources() const {
    return {threshold_, curves_->errorChart(), curves_->codeChart(), histogram_, wins_, census_};
}

void MainWindow::splitLeftColumn(int window_height) {
    const bool tall = window_height >= kTallScreen;
    left_split_->setSizes({(tall ? 3 : 4) * kSplitUnit, (tall ? 2 : 1) * kSplitUnit});
}

void MainWindow::resizeForScreenshot(QSize size) {
    resize(size);
    splitLeftColumn(size.height());
}

void MainWindow::screenshotAfter(std::uint64_t images, const QString& file) {
    speed_->setCurrentIndex(0);
    screenshot_->start(images, file);
}

QStringList MainWindow::panelNames() const {
    QStringList names;
    for (const QDockWidget* dock : findChildren<QDockWidget*>())
        names << dock->objectName();
    return names;
}

bool MainWindow::showPanel(const QString& name) {
    for (QDockWidget* dock : findChildren<QDockWidget*>()) {
        if (dock->objectName() != name)
            continue;
        dock->show();
        dock->raise();
        return true;
    }
    return false;
}

void MainWindow::setConfirmHandler(std::function<bool(const QString&)> confirm) {
    session_->setConfirm(confirm);
    session_->setAskUnsaved([confirm](const QString& question) {
        return confirm(question) ? UnsavedChoice::Discard : UnsavedChoice::Cancel;
    });
    parameters_->setConfirmHandler(std::move(confirm));
}

void MainWindow::setUnsavedHandler(StudioSession::AskUnsaved ask) {
    session_->setAskUnsaved(std::move(ask));
}

QString MainWindow::rateText() const {
    return status_->rateText();
}

void MainWindow::returnFocus() {
    // Single-key shortcuts (Space, S, P, I) belong to the window, not to the combo or the text
    // field the user just finished with: give the keyboard back to the views.
    mosaic_->setFocus(Qt::OtherFocusReason);
}

void MainWindow::showError(const QString& what, const QString& message) {
    statusBar()->showMessage(QStringLiteral("%1: %2").arg(what, message), 10000);
    if (isVisible() && !QApplication::platformName().startsWith(QLatin1String("offscreen")))
        QMessageBox::warning(this, what, message);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!session_->mayClose()) {
        event->ignore();
        return;
    }
    presentation_->setActive(false);  // the layout to remember is the normal one
    saveSettings();
    controller_->pause();
    event->accept();
}

}  // namespace stdp::studio
