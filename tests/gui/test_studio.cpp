// The whole window: end-to-end learning, exports, bundles, bad input, the screenshot mode, and a
// Play/Pause action that is not rebuilt with every frame.
#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QImageReader>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>
#include <QWheelEvent>
#include <QtTest>

#include "ChangeLogView.h"
#include "Charts.h"
#include "CsvSource.h"
#include "Export.h"
#include "MainWindow.h"
#include "ParameterEdits.h"
#include "ParameterPanel.h"
#include "PresetBox.h"
#include "ReceptiveFieldMosaic.h"
#include "StepView.h"
#include "model/Presets.h"

using namespace stdp;
using namespace stdp::studio;

namespace {
// A sanitizer build (unoptimised, instrumented) trains and evaluates many times slower.
constexpr int kTimeoutMs = 180000 * STDP_TEST_TIMEOUT_SCALE;
constexpr std::uint64_t kEndToEndImages = 50;

QString builtin() {
    return QString::fromLatin1(kBuiltinSpec);
}

SnapshotPtr waitPaused(SimulationController& c) {
    (void)QTest::qWaitFor([&] { return c.latest() && !c.latest()->running; }, kTimeoutMs);
    return c.latest();
}
}  // namespace

class TestStudio : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("STDPStudioTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_studio"));
    }

    void endToEndFiftyImages() {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QCOMPARE(w.start(QStringLiteral("paper-mnist"), builtin()), QString());
        SimulationController& c = *w.controller();
        QTRY_VERIFY_WITH_TIMEOUT(c.latest() != nullptr, kTimeoutMs);
        const WeightMatrix initial = c.latest()->fields->weights;
        const QImage mosaic_before = w.mosaic()->grab().toImage();
        c.play();
        QTRY_VERIFY_WITH_TIMEOUT(c.latest()->counters.images >= kEndToEndImages, kTimeoutMs);
        c.pause();
        const SnapshotPtr s = waitPaused(c);
        c.requestEvaluation();
        QTRY_VERIFY_WITH_TIMEOUT(c.history().lastMetricsImages() >= s->images_progress, kTimeoutMs);
        QVERIFY(s->fields->weights != initial);
        w.refreshCharts();
        QApplication::processEvents();
        QVERIFY(w.mosaic()->grab().toImage() != mosaic_before);
        QVERIFY2(w.thresholdChart()->pointCount() >= 3,
                 qPrintable(QStringLiteral("%1 points, %2 in history")
                                .arg(w.thresholdChart()->pointCount())
                                .arg(c.history().thresholdCount())));
        QVERIFY(w.learningCurves()->errorChart()->pointCount() >= 2);  // initial + final
        QVERIFY(w.learningCurves()->codeChart()->pointCount() >= 5);
        const auto m = c.lastMetrics();
        QVERIFY(m && m->rmse > 0.0 && m->rmse < 1.0);
    }

    // "All N training images presented" stays while it is true and goes with a new network.
    void finishedMessageGoesWithANewNetwork() {
        MainWindow w;
        w.resize(1200, 800);
        QCOMPARE(w.start(QStringLiteral("paper-mnist"), builtin()), QString());
        SimulationController& c = *w.controller();
        QTRY_VERIFY_WITH_TIMEOUT(c.latest() != nullptr, kTimeoutMs);
        auto finished = std::make_shared<Snapshot>(*c.latest());
        finished->finished = true;
        const QString how_to_record = w.stepView()->emptyHint();
        emit c.snapshotReady(finished);
        QVERIFY(w.statusBar()->currentMessage().contains(QStringLiteral("images presented")));
        // The step view, which Step no longer feeds, says why instead of "Press Step".
        QVERIFY(w.stepView()->emptyHint().contains(QStringLiteral("Loop (L)")));
        emit c.snapshotReady(finished);
        QVERIFY(w.statusBar()->currentMessage().contains(QStringLiteral("images presented")));
        auto fresh = std::make_shared<Snapshot>(*c.latest());
        fresh->finished = false;
        emit c.snapshotReady(fresh);
        QCOMPARE(w.statusBar()->currentMessage(), QString());
        QCOMPARE(w.stepView()->emptyHint(), how_to_record);
        // Another message shown meanwhile is left alone.
        emit c.snapshotReady(finished);
        w.statusBar()->showMessage(QStringLiteral("Chart data written"));
        emit c.snapshotReady(fresh);
        QCOMPARE(w.statusBar()->currentMessage(), QStringLiteral("Chart data written"));
    }

    // The preset box says when the network is no longer its preset as it is: after a new
    // network with another learning rule (Parameters ▸ learning_rule ▸ new network), after a
    // live edit; picking the preset again starts it as it is.
    void presetBoxSaysModified() {
        MainWindow w;
        w.resize(1280, 720);
        w.show();
        w.setConfirmHandler([](const QString&) { return true; });
        QCOMPARE(w.start(QStringLiteral("coop-mnist"), builtin()), QString());
        SimulationController& c = *w.controller();
        QTRY_VERIFY_WITH_TIMEOUT(c.latest() && !c.latest()->running, kTimeoutMs);
        gui::PresetBox* box = w.presetBox();
        QTRY_COMPARE(box->currentText(), QStringLiteral("coop-mnist"));
        QVERIFY(!box->showsModified());

        QComboBox* rule = w.parameters()->comboBox(QStringLiteral("learning_rule"));
        rule->setCurrentIndex(int(LearningRule::Stdp));
        const auto generation = c.generation();
        w.parameters()->newNetworkButton(QStringLiteral("learning_rule"))->click();
        QVERIFY(c.generation() != generation);
        QCOMPARE(c.settings().dynamics.learning_rule, LearningRule::Stdp);
        QTRY_COMPARE(box->currentText(), QStringLiteral("coop-mnist (modified)"));
        QVERIFY(box->toolTip().contains(QStringLiteral("learning_rule")));
        QVERIFY(w.windowTitle().contains(QStringLiteral("coop-mnist")));

        emit box->activated(box->findData(QStringLiteral("coop-mnist")));  // as it is again
        QTRY_COMPARE(box->currentText(), QStringLiteral("coop-mnist"));
        QCOMPARE(c.settings().dynamics.learning_rule, LearningRule::Residual);

        QVERIFY(w.parameters()->setValue(QStringLiteral("mu"), 0.02));  // a live edit
        QTRY_COMPARE(box->currentText(), QStringLiteral("coop-mnist (modified)"));
        w.parameters()->restoreAll();
        QTRY_COMPARE(box->currentText(), QStringLiteral("coop-mnist"));
    }

    void exportsWriteValidFiles() {
        MainWindow w;
        w.resize(1200, 800);
        QCOMPARE(w.start(QStringLiteral("paper-mnist"), builtin()), QString());
        SimulationController& c = *w.controller();
        QTRY_VERIFY_WITH_TIMEOUT(c.latest() != nullptr, kTimeoutMs);
        c.step(StepUnit::Patch);
        QTRY_VERIFY_WITH_TIMEOUT(c.latest()->counters.patches == 1, kTimeoutMs);
        w.refreshCharts();
        QTemporaryDir dir;
        const SnapshotPtr s = c.latest();
        const QString mosaic = dir.filePath(QStringLiteral("filters.png"));
        QCOMPARE(exportMosaic(*s, mosaic, 4, ExportContrast::Shared), QString());
        QImage img(mosaic);
        QVERIFY(!img.isNull());
        QVERIFY(img.width() >= 4 * 5 * 6);  // 6 columns of 5x5 fields at scale 4
        QCOMPARE(exportNeurons(*s, dir.filePath(QStringLiteral("neurons")), 10), QString());
        const QImage n0(dir.filePath(QStringLiteral("neurons/neuron-0000.png")));
        QCOMPARE(n0.size(), QSize(50, 50));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("neurons/neuron-0031.png"))));
        for (const auto& [name, view] : w.views()) {
            const QString path = dir.filePath(name + QStringLiteral(".png"));
            QCOMPARE(exportViewPng(view, path), QString());
            QVERIFY2(!QImage(path).isNull(), qPrintable(name));
        }
        for (gui::CsvSource* source : w.csvSources()) {
            const QString path = dir.filePath(source->csvName() + QStringLiteral(".csv"));
            QCOMPARE(exportCsv(*source, path), QString());
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QList<QByteArray> lines = f.readAll().split('\n');
            QVERIFY2(lines.size() >= 2 && lines[0].contains(','), qPrintable(path));
        }
        // Unwritable targets are reported, not crashed on.
        QVERIFY(
            !exportMosaic(*s, QStringLiteral("/nonexistent/dir/x.png"), 4, ExportContrast::Shared)
                 .isEmpty());
        QVERIFY(!exportCsv(*w.csvSources().first(), QStringLiteral("/nonexistent/dir/x.csv"))
                     .isEmpty());
    }

    void bundleRoundTrip() {
        QTemporaryDir dir;
        const QString bundle = dir.filePath(QStringLiteral("model"));
        WeightMatrix saved;
        std::vector<float> theta;
        std::uint64_t images = 0;
        {
            MainWindow w;
            QCOMPARE(w.start(QStringLiteral("paper-mnist"), builtin()), QString());
            SimulationController& c = *w.controller();
            QTRY_VERIFY_WITH_TIMEOUT(c.latest() != nullptr, kTimeoutMs);
            c.step(StepUnit::Image);
            QTRY_VERIFY_WITH_TIMEOUT(c.latest()->counters.images == 1, kTimeoutMs);
            QCOMPARE(w.saveBundle(bundle), QString());
            saved = c.latest()->fields->weights;
            theta = c.latest()->fields->thresholds;
            images = c.latest()->counters.images;
        }
        MainWindow w;
        QCOMPARE(w.start(QStringLiteral("paper-mnist"), builtin()), QString());
        QCOMPARE(w.openBundle(bundle), QString());
        SimulationController& c = *w.controller();
        QTRY_VERIFY_WITH_TIMEOUT(c.latest() != nullptr, kTimeoutMs);
        QVERIFY(c.latest()->fields->weights == saved);
        QVERIFY(c.latest()->fields->thresholds == theta);
        QCOMPARE(c.latest()->images_offset, images);
    }

    void badInputChangesNothing() {
        MainWindow w;
        QCOMPARE(w.start(QStringLiteral("paper-mnist"), builtin()), QString());
        SimulationController& c = *w.controller();
        QTRY_VERIFY_WITH_TIMEOUT(c.latest() != nullptr, kTimeoutMs);
        const auto generation = c.generation();
        QTemporaryDir dir;
        QVERIFY(!w.openBundle(dir.filePath(QStringLiteral("missing"))).isEmpty());
        QVERIFY(!w.useData(QStringLiteral("idx:/nonexistent/file-idx3-ubyte")).isEmpty());
        QVERIFY(!w.useData(QStringLiteral("nonsense")).isEmpty());
        QVERIFY(!w.usePreset(QStringLiteral("no-such-preset")).isEmpty());
        QFile junk(dir.filePath(QStringLiteral("junk-idx3-ubyte")));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("not an idx file");
        junk.close();
        QVERIFY(!w.useData(QStringLiteral("idx:") + junk.fileName()).isEmpty());
        QCOMPARE(c.generation(), generation);
        QCOMPARE(c.data().spec, builtin());
    }

    void screenshotMode() {
        MainWindow w;
        w.resize(1200, 800);
        w.show();
        QCOMPARE(w.start(QStringLiteral("paper-mnist"), builtin()), QString());
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("shot.png"));
        QSignalSpy done(&w, &MainWindow::screenshotDone);
        w.screenshotAfter(2, file);
        QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, kTimeoutMs);
        QVERIFY(done.at(0).at(0).toBool());
        const QImage shot(file);
        QCOMPARE(shot.size(), w.size());
    }

    // A natural-image preset picked over the digits brings the built-in photographs, validated on
    // the held-out ones; an MNIST preset picked over them brings the digits back.
    void presetsBringTheirBuiltinData() {
        MainWindow w;
        QCOMPARE(w.start(QStringLiteral("paper-mnist"), builtin()), QString());
        SimulationController& c = *w.controller();
        QTRY_VERIFY_WITH_TIMEOUT(c.latest() != nullptr, kTimeoutMs);
        const QString natural = QString::fromLatin1(kBuiltinNaturalSpec);
        QComboBox* data_box = nullptr;
        for (QComboBox* box : w.findChildren<QComboBox*>())
            if (box->findData(natural) >= 0)
                data_box = box;
        QVERIFY(data_box);

        QCOMPARE(w.usePreset(QStringLiteral("paper-natural")), QString());
        QCOMPARE(c.data().spec, natural);
        QCOMPARE(c.data().train->size(), kBuiltinNaturalTrainImages);
        QCOMPARE(c.data().validation->size(), kBuiltinNaturalEvalImages);
        QVERIFY(c.data().held_out);
        QVERIFY(c.data().validation->signed_values);
        QCOMPARE(data_box->currentData().toString(), natural);

        QCOMPARE(w.usePreset(QStringLiteral("improved-natural")), QString());
        QCOMPARE(c.data().spec, natural);
        QCOMPARE(w.usePreset(QStringLiteral("paper-mnist")), QString());
        QCOMPARE(c.data().spec, builtin());
        QCOMPARE(data_box->currentData().toString(), builtin());

        // The photographs picked under a digit preset bring the natural counterpart.
        QCOMPARE(w.usePreset(QStringLiteral("improved-mnist")), QString());
        QCOMPARE(w.useData(natural), QString());
        QCOMPARE(c.data().spec, natural);
        QVERIFY(c.settings().structure.onoff);
        QCOMPARE(c.settings().data.patches_per_image,
                 presetSettings("improved-natural").data.patches_per_image);
        QCOMPARE(c.settings().dynamics.temperature,
                 presetSettings("improved-natural").dynamics.temperature);
    }

    // Every snapshot reports running/paused; the Play/Pause action must change only when that
    // state does. A new QIcon per frame put one more scaled copy of the icon into QPixmapCache
    // each frame, up to its 10 MB limit (found by heaptrack on a long run).
    // The Edit menu as a user meets it: Ctrl+Z undoes the last edit and says which; a stray
    // wheel over the window's panel changes nothing; the change log lists and exports every edit.
    void editMenuUndoRedoAndChangeLog() {
        MainWindow w;
        w.resize(1280, 720);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QCOMPARE(w.start(QStringLiteral("paper-mnist"), builtin()), QString());
        SimulationController& c = *w.controller();
        QTRY_VERIFY_WITH_TIMEOUT(c.latest() != nullptr, kTimeoutMs);
        gui::ParameterPanel* panel = w.parameters();
        QTRY_VERIFY(panel->presetSettings().dynamics == c.settings().dynamics);

        QDoubleSpinBox* rho = panel->spinBox(QStringLiteral("rho"));
        QWheelEvent wheel(QPointF(5, 5), rho->mapToGlobal(QPointF(5, 5)), QPoint(), QPoint(0, -120),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(rho, &wheel);
        QCOMPARE(c.settings().dynamics.rho, presetSettings("paper-mnist").dynamics.rho);
        QCOMPARE(w.edits()->log().size(), std::size_t{0});

        QAction* undo = nullptr;
        QAction* redo = nullptr;
        for (QAction* a : w.findChildren<QAction*>()) {
            if (a->shortcut() == QKeySequence::Undo)
                undo = a;
            if (a->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::Key_Y)))
                redo = a;
        }
        QVERIFY(undo && redo);
        QVERIFY(!undo->isEnabled());
        QVERIFY(panel->setValue(QStringLiteral("mu"), 0.002));
        QCOMPARE(undo->text(), QStringLiteral("Undo mu = 0.002"));
        QVERIFY(!panel->restoreButton(QStringLiteral("mu"))->isHidden());
        undo->trigger();
        QCOMPARE(c.settings().dynamics.mu, 5e-4);
        QCOMPARE(panel->spinBox(QStringLiteral("mu"))->value(), 5e-4);
        QCOMPARE(redo->text(), QStringLiteral("Redo mu = 0.002"));
        redo->trigger();
        QCOMPARE(c.settings().dynamics.mu, 0.002);
        QTRY_COMPARE_WITH_TIMEOUT(waitPaused(c)->settings.dynamics.mu, 0.002, kTimeoutMs);

        QCOMPARE(w.changeLog()->rowCount(), 3);
        // Logged while its dock was behind the parameters: shown, its columns fit their text
        // (the time read "11…" at 1280 x 720).
        w.findChild<QDockWidget*>(QStringLiteral("change_log"))->raise();
        QTRY_VERIFY(w.changeLog()->isVisible());
        QTableView* log_table = w.changeLog()->table();
        for (int column : {0, 2}) {
            const QString text = log_table->model()->index(0, column).data().toString();
            QTRY_VERIFY2(
                log_table->columnWidth(column) > log_table->fontMetrics().horizontalAdvance(text),
                qPrintable(text));
        }
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("log.csv"));
        QCOMPARE(exportCsv(*w.changeLog(), path), QString());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY(bytes.startsWith("wall_time_utc,images,steps,setting,old,new,origin\r\n"));
        QVERIFY(bytes.contains(",mu,0.0005,0.002,user\r\n"));
        QVERIFY(bytes.contains(",mu,0.002,0.0005,undo\r\n"));
        QVERIFY(bytes.contains(",mu,0.0005,0.002,redo\r\n"));
        bool edit_menu = false;
        for (QAction* a : w.menuBar()->actions())
            edit_menu = edit_menu || a->text() == QStringLiteral("&Edit");
        QVERIFY(edit_menu);
        bool export_entry = false;
        for (QAction* a : w.menuBar()->actions())
            if (a->menu() && a->text() == QStringLiteral("&Export"))
                for (QAction* e : a->menu()->actions())
                    export_entry =
                        export_entry || e->text().startsWith(QStringLiteral("C&hange log"));
        QVERIFY(export_entry);
    }

    void playButtonChangesOnlyWithTheState() {
        MainWindow w;
        w.resize(1200, 800);
        w.show();
        QCOMPARE(
            w.start(QStringLiteral("paper-mnist"), builtin(), {QStringLiteral("epochs=100000")}),
            QString());
        SimulationController& c = *w.controller();
        QTRY_VERIFY_WITH_TIMEOUT(c.latest() != nullptr, kTimeoutMs);
        QAction* play = nullptr;
        for (QAction* a : w.findChildren<QAction*>())
            if (a->shortcut() == QKeySequence(Qt::Key_Space))
                play = a;
        QVERIFY(play);
        const qint64 paused_icon = play->icon().cacheKey();
        const QString paused_text = play->text();
        QSignalSpy frames(&c, &SimulationController::snapshotReady);
        play->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(c.latest()->running, kTimeoutMs);
        const qint64 running_icon = play->icon().cacheKey();
        const QString running_text = play->text();
        QVERIFY(running_icon != paused_icon);
        QVERIFY(running_text != paused_text);
        QSignalSpy changes(play, &QAction::changed);
        const qsizetype seen = frames.count();
        constexpr int kFrames = 10;
        QTRY_VERIFY_WITH_TIMEOUT(frames.count() >= seen + kFrames, kTimeoutMs);
        QVERIFY(c.latest()->running);
        QCOMPARE(changes.count(), 0);
        QCOMPARE(play->icon().cacheKey(), running_icon);
        play->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!c.latest()->running, kTimeoutMs);
        QCOMPARE(play->icon().cacheKey(), paused_icon);
        QCOMPARE(play->text(), paused_text);
    }
};

QTEST_MAIN(TestStudio)
#include "test_studio.moc"
