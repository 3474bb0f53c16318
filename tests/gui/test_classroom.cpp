// The studio in a classroom: the window fits a 1280x720 projector, the mosaic zooms so that large
// layers stay readable, hovering names a neuron, and presentation mode leaves the layout as it was.
#include <QApplication>
#include <QDockWidget>
#include <QGraphicsScene>
#include <QGraphicsTextItem>
#include <QLabel>
#include <QMainWindow>
#include <QScrollArea>
#include <QScrollBar>
#include <QStatusBar>
#include <QToolBar>
#include <QWheelEvent>
#include <QtTest>

#include "Charts.h"
#include "DataSource.h"
#include "MainWindow.h"
#include "MosaicPanel.h"
#include "NeuronInspector.h"
#include "PresentationMode.h"
#include "ReceptiveFieldMosaic.h"
#include "ReconstructionView.h"
#include "SpikeRaster.h"
#include "WindowSize.h"

using namespace stdp;
using namespace stdp::gui;
using namespace stdp::studio;

namespace {
constexpr int kTimeoutMs = 180000 * STDP_TEST_TIMEOUT_SCALE;
// A 1280x720 screen less a title bar: the whole window, status bar included, must fit.
constexpr QSize kProjectorScreen{1280, 720};
constexpr QSize kMostWindow{1260, 690};

// K fields of p x p pixels; field j uniform at a grey that identifies it. Neuron 0 is dead.
std::shared_ptr<FieldsSnapshot> fields(int units, int p) {
    auto s = std::make_shared<FieldsSnapshot>();
    s->patch_size = p;
    s->weights = WeightMatrix::Zero(p * p, units);
    for (int j = 0; j < units; ++j)
        s->weights.col(j).setConstant(j == 0 ? 1.0f : 0.5f);
    s->thresholds.assign(static_cast<std::size_t>(units), 0.0f);
    for (int j = 0; j < units; ++j)
        s->thresholds[static_cast<std::size_t>(j)] = 0.01f * static_cast<float>(j);
    s->recent_steps = 5000;
    s->recent_wins.assign(static_cast<std::size_t>(units), 10);
    s->recent_wins[0] = 0;
    s->wins.assign(static_cast<std::size_t>(units), 0);
    for (int j = 0; j < units; ++j)
        s->wins[static_cast<std::size_t>(j)] = static_cast<std::uint64_t>(100 + j);
    return s;
}

// An output raster of `units` neurons over `steps` steps; neuron j fires at step j % steps.
std::shared_ptr<RasterSnapshot> raster(int units, int steps) {
    auto r = std::make_shared<RasterSnapshot>();
    r->inputs = 4;
    r->units = units;
    r->patch_steps = 4;
    r->current_step = 4;
    r->input_offsets = {0, 0, 0, 0, 0};
    r->window = steps;
    r->out_offsets.assign(1, 0);
    for (int t = 0; t < steps; ++t) {
        for (int j = 0; j < units; ++j)
            if (j % steps == t)
                r->out_indices.push_back(j);
        r->out_offsets.push_back(static_cast<std::int32_t>(r->out_indices.size()));
    }
    r->patch_start.assign(static_cast<std::size_t>(steps), 0);
    return r;
}

void sendCtrlWheel(QWidget* w, QPoint pos, int delta) {
    QWheelEvent e(QPointF(pos), QPointF(w->mapToGlobal(pos)), QPoint(), QPoint(0, delta),
                  Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(w, &e);
}

QMap<QString, bool> dockVisibility(const QMainWindow& w) {
    QMap<QString, bool> out;
    for (const QDockWidget* d : w.findChildren<QDockWidget*>())
        out[d->objectName()] = d->isVisible();
    return out;
}

// The texts Qt Charts shows in a chart (titles, axis titles and labels, legend), as drawn: a text
// that did not fit its room ends in "...".
QStringList chartTexts(const QChartView& view) {
    QStringList out;
    for (const QGraphicsItem* item : view.scene()->items())
        if (const auto* text = qgraphicsitem_cast<const QGraphicsTextItem*>(item);
            text && text->isVisible())
            out << text->toPlainText();
    return out;
}

void startPreset(MainWindow& w, const QString& preset) {
    const char* spec =
        preset.contains(QStringLiteral("natural")) ? kBuiltinNaturalSpec : kBuiltinSpec;
    QCOMPARE(w.start(preset, QString::fromLatin1(spec)), QString());
    QTRY_VERIFY_WITH_TIMEOUT(w.controller()->latest() != nullptr, kTimeoutMs);
}

// Shows the window at `size` and lets it settle: Qt Charts lays a chart out on a posted event, and
// a shorter title or a fitted mosaic lays it out again.
void showSettled(MainWindow& w, QSize size) {
    w.resize(size);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    for (int i = 0; i < 5; ++i) {
        QApplication::processEvents();
        QTest::qWait(20);
    }
}

void startDefault(MainWindow& w) {
    QCOMPARE(w.start(QStringLiteral("paper-mnist"), QString::fromLatin1(kBuiltinSpec)), QString());
    QTRY_VERIFY_WITH_TIMEOUT(w.controller()->latest() != nullptr, kTimeoutMs);
}
}  // namespace

class TestClassroom : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("STDPStudioTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_classroom"));
    }

    void windowFitsAProjector() {
        MainWindow w;
        startDefault(w);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QApplication::processEvents();
        const QSize hint = w.minimumSizeHint();
        const QSize min = w.minimumSize();
        QVERIFY2(
            hint.width() <= kMostWindow.width() && hint.height() <= kMostWindow.height(),
            qPrintable(
                QStringLiteral("minimum size hint %1x%2").arg(hint.width()).arg(hint.height())));
        QVERIFY2(
            min.width() <= kMostWindow.width() && min.height() <= kMostWindow.height(),
            qPrintable(QStringLiteral("minimum size %1x%2").arg(min.width()).arg(min.height())));
    }

    void firstLaunchLayoutHasNoToolbarOverflow_data() {
        QTest::addColumn<QSize>("size");
        QTest::newRow("first launch on 1280x720") << firstLaunchSize(kProjectorScreen);
        QTest::newRow("first launch on 1600x1000") << firstLaunchSize(QSize(1600, 1000));
        QTest::newRow("minimum size") << QSize();
    }
    void firstLaunchLayoutHasNoToolbarOverflow() {
        QFETCH(QSize, size);
        MainWindow w;
        startDefault(w);
        w.resize(size.isValid() ? size : w.minimumSizeHint());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QApplication::processEvents();
        QVERIFY(w.width() <= kMostWindow.width() || size.width() > kProjectorScreen.width());
        auto* bar = w.findChild<QToolBar*>(QStringLiteral("simulation_toolbar"));
        QVERIFY(bar);
        QVERIFY2(bar->sizeHint().width() <= bar->width(),
                 qPrintable(QStringLiteral("toolbar needs %1 px, has %2")
                                .arg(bar->sizeHint().width())
                                .arg(bar->width())));
        const auto* extension = bar->findChild<QWidget*>(QStringLiteral("qt_toolbar_ext_button"));
        QVERIFY(!extension || !extension->isVisible());
        for (QAction* a : bar->actions())
            if (QWidget* item = bar->widgetForAction(a); item && !a->isSeparator())
                QVERIFY2(item->isVisible(), qPrintable(a->text()));
        // The status bar is inside the window, not below it.
        QVERIFY(w.statusBar()->isVisible());
        QVERIFY(w.statusBar()->geometry().bottom() < w.height());
    }

    // At the first-launch size on a projector the status bar's message is read whole: "All N
    // images presented · Loop (L) goes on · Reset (Ctrl+R)" was cut after "Loop (L)" by the
    // readouts on the right (two thirds of the bar), which now take their short forms.
    void finishedMessageFitsBesideTheReadouts() {
        MainWindow w;
        startDefault(w);
        w.resize(firstLaunchSize(kProjectorScreen));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        SimulationController& c = *w.controller();
        auto finished = std::make_shared<Snapshot>(*c.latest());
        finished->finished = true;
        finished->counters.images = 60000;
        finished->counters.patches = 20601735;
        finished->counters.steps = 824069400;
        ReconstructionMetrics m;
        m.rmse = 0.1234;
        m.dead_fraction = 0.03;
        emit c.metricsReady(m);
        emit c.snapshotReady(finished);
        QApplication::processEvents();
        const QString message = w.statusBar()->currentMessage();
        QVERIFY(message.contains(QStringLiteral("Reset (Ctrl+R)")));
        int readouts = w.statusBar()->width();
        for (const QLabel* l : w.statusBar()->findChildren<QLabel*>())
            if (l->isVisible())
                readouts = std::min(readouts, l->geometry().left());
        const int needs = w.statusBar()->fontMetrics().horizontalAdvance(message);
        QVERIFY2(
            needs + 8 <= readouts,
            qPrintable(
                QStringLiteral("the message needs %1 px, has %2").arg(needs + 8).arg(readouts)));
    }

    // On a projector every chart title and axis title is read whole ("Reconstruction error
    // (validation, prot…" and "images seen (0 = untrai…" were cut): a shorter form where the
    // full one does not fit, the criterion kept in the title while there is room and in the
    // tooltip always. A large screen shows the full forms.
    void chartTitlesAreWhole_data() {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QSize>("size");
        for (const char* preset : {"paper-mnist", "coop-natural"}) {
            QTest::addRow("%s at 1280x720", preset)
                << QString::fromLatin1(preset) << kProjectorScreen;
            QTest::addRow("%s first launch on 1280x720", preset)
                << QString::fromLatin1(preset) << firstLaunchSize(kProjectorScreen);
            QTest::addRow("%s at 1600x1000", preset)
                << QString::fromLatin1(preset) << QSize(1600, 1000);
        }
    }
    void chartTitlesAreWhole() {
        QFETCH(QString, preset);
        QFETCH(QSize, size);
        MainWindow w;
        startPreset(w, preset);
        showSettled(w, size);
        int charts = 0;
        for (const TimeSeriesChart* chart : w.findChildren<TimeSeriesChart*>()) {
            if (!chart->isVisible())
                continue;
            ++charts;
            for (const QString& text : chartTexts(*chart))
                QVERIFY2(!text.endsWith(QStringLiteral("...")) && !text.endsWith(QChar(0x2026)),
                         qPrintable(QStringLiteral("'%1' cut in '%2' (%3x%4)")
                                        .arg(text, chart->chart()->title())
                                        .arg(chart->width())
                                        .arg(chart->height())));
        }
        QVERIFY(charts >= 3);  // θ, the reconstruction error, the code statistics
        const TimeSeriesChart* error = w.findChild<LearningCurves*>()->errorChart();
        const QString full = QStringLiteral("Reconstruction error (validation, protocol A)");
        QVERIFY(error->chart()->title().contains(QStringLiteral("alidation")));
        QVERIFY(error->toolTip().contains(QStringLiteral("before it learned")));
        if (size.width() >= 1600) {
            QCOMPARE(error->chart()->title(), full);
            QCOMPARE(error->shownXAxisTitle(), error->xAxisTitle());
        } else if (error->chart()->title() != full) {
            QVERIFY(error->toolTip().contains(full));
        }
        QVERIFY(error->shownXAxisTitle().contains(QStringLiteral("images")));
    }

    // The 64 fields of a photograph preset are all in view on a projector, none behind a
    // scroll bar, none below one screen pixel per weight.
    void wholeMosaicOnAProjector_data() {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1280x720") << kProjectorScreen;
        QTest::newRow("first launch on 1280x720") << firstLaunchSize(kProjectorScreen);
        QTest::newRow("1600x1000") << QSize(1600, 1000);
    }
    void wholeMosaicOnAProjector() {
        QFETCH(QSize, size);
        MainWindow w;
        startPreset(w, QStringLiteral("coop-natural"));
        showSettled(w, size);
        ReceptiveFieldMosaic* mosaic = w.mosaic();
        const int units = w.controller()->settings().structure.units;
        QCOMPARE(units, 64);
        auto* scroll = qobject_cast<QScrollArea*>(mosaic->parentWidget()->parentWidget());
        QVERIFY(scroll);
        const QRect viewport = scroll->viewport()->rect();
        for (int j = 0; j < units; ++j) {
            const QRect cell(mosaic->mapTo(scroll->viewport(), mosaic->cellRect(j).topLeft()),
                             mosaic->cellRect(j).size());
            QVERIFY2(viewport.contains(cell),
                     qPrintable(QStringLiteral("field %1 at %2,%3 %4 px; viewport %5x%6")
                                    .arg(j)
                                    .arg(cell.x())
                                    .arg(cell.y())
                                    .arg(cell.width())
                                    .arg(viewport.width())
                                    .arg(viewport.height())));
        }
        QVERIFY(!scroll->verticalScrollBar()->isVisible());
        const int p = w.controller()->settings().structure.patch_size;
        QVERIFY2(
            mosaic->fieldPixels() >= p,
            qPrintable(QStringLiteral("%1 px per field of %2").arg(mosaic->fieldPixels()).arg(p)));
        // The readout says the size the fields have now, also after the window grew (it kept
        // the size of the first layout).
        const auto* readout = w.findChild<QLabel*>(QStringLiteral("zoomReadout"));
        QVERIFY(readout);
        QTRY_COMPARE(readout->text(), QStringLiteral("%1 px").arg(mosaic->fieldPixels()));
        const int before = mosaic->fieldPixels();
        w.resize(size + QSize(400, 300));
        QTRY_VERIFY(mosaic->fieldPixels() > before);
        QTRY_COMPARE(readout->text(), QStringLiteral("%1 px").arg(mosaic->fieldPixels()));
    }

    // stdp-studio --screenshot renders a 1600x1000 window on the offscreen platform, whose screen
    // is 800x600: the window must still be split as on a screen that tall, so that the selected
    // neuron's longest text (a wrapped step line and a flag) is not cut at the bottom.
    void screenshotInspectorTextIsWhole() {
        MainWindow w;
        startDefault(w);
        w.resizeForScreenshot(kScreenshotSize);
        showSettled(w, kScreenshotSize);
        auto* inspector = w.findChild<NeuronInspector*>();
        QVERIFY(inspector);
        constexpr int kUnits = 32;
        auto step = std::make_shared<StepTrace>();
        step->tick = 2659073;
        step->units = kUnits;
        step->potential.assign(kUnits, 6.12637f);
        step->softmax.assign(kUnits, 0.0522917f);
        step->theta_before = {0.170531f};
        inspector->setSnapshot(fields(kUnits, 5));  // neuron 0 is dead: a flag line
        inspector->setLastStep(step);
        inspector->setNeuron(0);
        QApplication::processEvents();
        const QVector<NeuronInspector::Row> rows = inspector->rows();
        QVERIFY(rows.size() > inspector->lines().size());  // the step line wraps, as at 1600x1000
        const int bottom = rows.back().baseline.y() + inspector->fontMetrics().descent();
        QVERIFY2(bottom <= inspector->height(),
                 qPrintable(QStringLiteral("text to %1 px in an inspector %2 px tall")
                                .arg(bottom)
                                .arg(inspector->height())));
    }

    void noShortcutIsTakenTwice() {
        MainWindow w;
        QMap<QString, QString> owner;
        for (const QAction* a : w.findChildren<QAction*>()) {
            for (const QKeySequence& k : a->shortcuts()) {
                const QString key = k.toString();
                QVERIFY2(
                    !owner.contains(key) || owner[key] == a->text(),
                    qPrintable(
                        QStringLiteral("%1: '%2' and '%3'").arg(key, owner.value(key), a->text())));
                owner[key] = a->text();
            }
        }
        QVERIFY(owner.contains(QStringLiteral("F5")));
        QVERIFY(owner.contains(QStringLiteral("Ctrl+Shift+P")));
    }

    void mosaicZoomSizesAndHitTests() {
        MosaicPanel panel;
        panel.resize(420, 420);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        ReceptiveFieldMosaic& m = *panel.mosaic();
        m.setSnapshot(fields(256, 5));
        QApplication::processEvents();
        QVERIFY(m.isFitted());
        const int fitted = m.fieldPixels();
        QVERIFY(fitted >= 5);
        const QList<int> probes{0, 1, 17, 100, 255};
        for (int j : probes)
            QCOMPARE(m.neuronAt(m.cellRect(j).center()), j);

        m.zoomIn();
        QTRY_COMPARE(panel.zoomText(), QStringLiteral("%1 px").arg(m.fieldPixels()));
        const int zoomed = m.fieldPixels();
        QVERIFY2(zoomed > fitted, qPrintable(QStringLiteral("%1 -> %2").arg(fitted).arg(zoomed)));
        m.setZoom(8);
        QApplication::processEvents();
        QCOMPARE(m.fieldPixels(), 8 * 5);
        QCOMPARE(m.cellRect(3).size(), QSize(40, 40));
        // Zoomed: the fields keep their size, the mosaic grows past the view and scrolls.
        QTRY_VERIFY(m.height() > panel.scrollArea()->viewport()->height());
        QVERIFY(panel.scrollArea()->verticalScrollBar()->maximum() > 0);
        for (int j : probes) {
            const QRect r = m.cellRect(j);
            QCOMPARE(m.neuronAt(r.center()), j);
            QCOMPARE(m.neuronAt(r.topLeft()), j);
            QCOMPARE(m.neuronAt(r.bottomRight()), j);
        }
        QCOMPARE(m.neuronAt(QPoint(0, 0)), -1);

        // Ctrl+wheel zooms around the field under the mouse; a plain wheel does not zoom.
        const int before = m.fieldPixels();
        sendCtrlWheel(&m, m.cellRect(17).center(), 120);
        QVERIFY(m.fieldPixels() > before);
        sendCtrlWheel(&m, m.cellRect(17).center(), -120);
        QCOMPARE(m.fieldPixels(), before);
        m.fitToView();
        QApplication::processEvents();
        QVERIFY(m.isFitted());
        QCOMPARE(m.fieldPixels(), fitted);

        // The largest zoom, then K and p grow: the fields shrink to what memory allows.
        m.setZoom(1000);
        QCOMPARE(m.zoom(), 64);
        QVERIFY(m.fieldPixels() <= 320);
        m.setSnapshot(fields(1024, 9));
        const qint64 side = m.fieldPixels() + 8;
        QVERIFY2(side * side * 1024 <= 16'000'000, qPrintable(QString::number(m.fieldPixels())));
        QVERIFY(!m.canZoomIn());
        m.zoomOut();
        QVERIFY(m.fieldPixels() < side - 8);
    }

    void deadFlagNeverCoversAField() {
        ReceptiveFieldMosaic m;
        m.resize(300, 300);
        m.setSnapshot(fields(8, 4));  // neuron 0: dead and white
        for (int zoom : {0, 3, 10}) {
            m.setZoom(zoom);
            const QImage img = m.grab().toImage();
            const QRect r = m.cellRect(0);
            for (int y = r.top(); y <= r.bottom(); ++y)
                for (int x = r.left(); x <= r.right(); ++x)
                    QCOMPARE(qGray(img.pixel(x, y)), 255);
            const QColor flag = img.pixelColor(r.left() - 1, r.center().y());
            QVERIFY2(flag.red() > 180 && flag.green() < 100,
                     qPrintable(QStringLiteral("zoom %1: %2").arg(zoom).arg(flag.name())));
        }
    }

    void mosaicHoverNamesTheNeuron() {
        ReceptiveFieldMosaic m;
        m.resize(400, 400);
        m.show();
        QVERIFY(QTest::qWaitForWindowExposed(&m));
        m.setSnapshot(fields(64, 5));
        for (int zoom : {0, 4}) {
            m.setZoom(zoom);
            const QString text = m.hoverText(m.cellRect(42).center());
            QVERIFY2(text.startsWith(QStringLiteral("Neuron 42 ")), qPrintable(text));
            QVERIFY2(text.contains(QStringLiteral("wins 142")), qPrintable(text));
            QVERIFY2(text.contains(QStringLiteral("θ_42 = 0.4200")), qPrintable(text));
            QVERIFY(!text.contains(QStringLiteral("dead")));
            QVERIFY(m.hoverText(m.cellRect(0).center()).contains(QStringLiteral("dead")));
        }
        QSignalSpy spy(&m, &ReceptiveFieldMosaic::hovered);
        QTest::mouseMove(&m, m.cellRect(7).center());
        QTRY_VERIFY(!spy.isEmpty());
        QVERIFY(spy.last().at(0).toString().startsWith(QStringLiteral("Neuron 7 ")));
    }

    void rasterHoverAndRowLabels() {
        SpikeRaster view;
        view.resize(500, 400);
        view.setSnapshot(raster(16, 20));
        view.setHoverContext(fields(16, 5), 1000);
        QVERIFY(view.setSelection(QStringLiteral("4-7")));
        const QRect out = view.outputRect();
        // Row 2 of the selection is neuron 6; it fires at the 7th of the 20 recorded steps.
        const QPoint row2(out.left() + (2 * 6 + 1) * out.width() / 40,
                          out.top() + 5 * out.height() / 8);
        const QString text = view.hoverText(row2);
        QVERIFY2(text.startsWith(QStringLiteral("Neuron 6 ")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("step 987")), qPrintable(text));  // 1000 - 13
        QVERIFY2(text.contains(QStringLiteral("fired")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("wins 106")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("θ_6 = 0.0600")), qPrintable(text));
        QVERIFY(view.hoverText(QPoint(1, 1)).isEmpty());
        // Four rows in plenty of room: each one labelled.
        QCOMPARE(view.labelledRows(), (std::vector<int>{0, 1, 2, 3}));

        // K = 1024 in 400 pixels: labels spaced for legibility, each a neuron of the selection.
        view.setSnapshot(raster(1024, 20));
        QVERIFY(view.setSelection(QStringLiteral("all")));
        const std::vector<int> rows = view.labelledRows();
        QVERIFY(rows.size() >= 3);
        const double row_h = double(view.outputRect().height()) / 1024.0;
        QVERIFY((rows[1] - rows[0]) * row_h >= view.fontMetrics().height());
        const QRect all = view.outputRect();
        QVERIFY(view.hoverText(QPoint(all.left() + 2, all.top()))
                    .startsWith(QStringLiteral("Neuron 0 ")));
        const int last = (all.height() - 1) * 1024 / all.height();  // the bottom pixel's first row
        QVERIFY(view.hoverText(QPoint(all.left() + 2, all.bottom()))
                    .startsWith(QStringLiteral("Neuron %1 ").arg(last)));
    }

    void presentationModeRestoresTheLayout() {
        MainWindow w;
        startDefault(w);
        auto* kept = new QDockWidget(QStringLiteral("Kept"), &w);
        kept->setObjectName(QStringLiteral("kept_for_test"));
        kept->setWidget(new QWidget);
        w.addDockWidget(Qt::RightDockWidgetArea, kept);
        PresentationMode::keepVisible(kept);
        w.resize(1260, 680);  // the first-launch size on a 1280x720 screen
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QApplication::processEvents();
        const auto docks = dockVisibility(w);
        const QByteArray state = w.saveState();
        const QRect geometry = w.geometry();
        const double font = w.centralWidget()->font().pointSizeF();
        QVERIFY(docks.value(QStringLiteral("parameters")));

        w.presentation()->action()->trigger();
        QApplication::processEvents();
        QVERIFY(w.presentation()->isActive());
        QTRY_VERIFY(w.isFullScreen());
        for (const QString& name : {QStringLiteral("parameters"), QStringLiteral("threshold"),
                                    QStringLiteral("curves"), QStringLiteral("weights")})
            QVERIFY2(!w.findChild<QDockWidget*>(name)->isVisible(), qPrintable(name));
        QVERIFY(kept->isVisible());
        QVERIFY(w.mosaic()->isVisible() && w.raster()->isVisible() &&
                w.reconstruction()->isVisible());
        QCOMPARE(w.centralWidget()->font().pointSizeF(), font * PresentationMode::kScale);
        QCOMPARE(w.raster()->font().pointSizeF(), font * PresentationMode::kScale);

        w.presentation()->action()->trigger();
        QApplication::processEvents();
        QVERIFY(!w.presentation()->isActive());
        QTRY_VERIFY(!w.isFullScreen());
        QCOMPARE(dockVisibility(w), docks);
        QTRY_COMPARE(w.geometry(), geometry);
        QTRY_COMPARE(w.saveState(), state);
        QCOMPARE(w.centralWidget()->font().pointSizeF(), font);
        QVERIFY(!w.centralWidget()->testAttribute(Qt::WA_SetFont));
    }

    void presentationModeByKey() {
        MainWindow w;
        startDefault(w);
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QTest::keyClick(&w, Qt::Key_F5);
        QVERIFY(w.presentation()->isActive());
        QTest::keyClick(&w, Qt::Key_Escape);
        QVERIFY(!w.presentation()->isActive());
        QTest::keyClick(&w, Qt::Key_P, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(w.presentation()->isActive());
        QTest::keyClick(&w, Qt::Key_F5);
        QVERIFY(!w.presentation()->isActive());
    }
};

QTEST_MAIN(TestClassroom)
#include "test_classroom.moc"
