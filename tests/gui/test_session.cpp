// Never losing work: the session's use-cases driven directly (no window) and the window driven as
// a user does (combos, menus, key clicks), with the questions answered by injected handlers.
// Also the fixes seen in use: the speed after Reset during Play, stale evaluations, the θ legend,
// the raster selection restored, Help, the pinned reference and the BUNDLE argument.
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QDir>
#include <QImage>
#include <QLegendMarker>
#include <QLineEdit>
#include <QLineSeries>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

#include "Charts.h"
#include "HelpDialogs.h"
#include "MainWindow.h"
#include "ParameterPanel.h"
#include "ReceptiveFieldMosaic.h"
#include "SpikeRaster.h"
#include "StudioSession.h"
#include "io/Bundle.h"
#include "io/NpyIO.h"
#include "model/Presets.h"

using namespace stdp;
using namespace stdp::studio;

namespace {
constexpr int kTimeoutMs = 120000 * STDP_TEST_TIMEOUT_SCALE;
constexpr int kPhotoSize = 64;
constexpr int kPhotos = 4;

QString builtin() {
    return QString::fromLatin1(kBuiltinSpec);
}

// Waits for the worker to have handled everything queued before: a paused snapshot with at
// least `steps` steps.
SnapshotPtr waitIdle(SimulationController& c, std::uint64_t steps = 0) {
    (void)QTest::qWaitFor(
        [&] { return c.latest() && !c.latest()->running && c.latest()->counters.steps >= steps; },
        kTimeoutMs);
    return c.latest();
}

// A handler that records the questions and gives one answer.
struct Answers {
    UnsavedChoice unsaved = UnsavedChoice::Cancel;
    bool confirm = false;
    QStringList asked;
    StudioSession::AskUnsaved unsavedHandler() {
        return [this](const QString& q) {
            asked << q;
            return unsaved;
        };
    }
    StudioSession::Confirm confirmHandler() {
        return [this](const QString& q) {
            asked << q;
            return confirm;
        };
    }
};

void writeWeights(const QString& path, std::size_t rows, std::size_t cols, double value) {
    std::vector<double> w(rows * cols, value);
    writeNpy(path.toStdString(), {rows, cols}, w.data(), NpyDtype::Float64);
}

QAction* actionWithShortcut(const QWidget& w, const QKeySequence& key) {
    for (QAction* a : w.findChildren<QAction*>())
        if (a->shortcuts().contains(key))
            return a;
    return nullptr;
}

// A folder of noise "photographs": whitened, they have signed values.
QString makePhotoFolder(const QTemporaryDir& dir) {
    const QString folder = dir.filePath(QStringLiteral("photos"));
    QDir().mkpath(folder);
    for (int i = 0; i < kPhotos; ++i) {
        QImage im(kPhotoSize, kPhotoSize, QImage::Format_Grayscale8);
        for (int y = 0; y < kPhotoSize; ++y)
            for (int x = 0; x < kPhotoSize; ++x)
                im.setPixel(x, y, qRgb((x * 7 + y * 13 + i * 31) % 256, 0, 0));
        im.save(QStringLiteral("%1/p%2.png").arg(folder).arg(i));
    }
    return folder;
}

// A session whose questions are answered by `answers`, and a folder of photographs for it.
struct PhotoSession {
    QTemporaryDir dir;
    QString spec = QStringLiteral("images:") + makePhotoFolder(dir);
    SimulationController controller;
    StudioSession session{&controller};
    Answers answers;
    PhotoSession() { session.setConfirm(answers.confirmHandler()); }
};

}  // namespace

class TestSession : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("STDPStudioTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_session"));
        QSettings().clear();
    }

    // The session without a window: modified after learning, a question before discarding,
    // none when nothing was learned since the save, and Save in place to the same folder.
    void sessionAsksBeforeDiscarding() {
        SimulationController c;
        StudioSession s(&c);
        Answers answers;
        s.setAskUnsaved(answers.unsavedHandler());
        QVERIFY(s.start(QStringLiteral("paper-mnist"), builtin()).done());
        waitIdle(c);
        QVERIFY(!s.isModified());
        QVERIFY(s.usePreset(QStringLiteral("paper-mnist")).done());  // nothing learned
        QCOMPARE(answers.asked.size(), 0);
        waitIdle(c);

        c.step(StepUnit::Patch);
        waitIdle(c, 1);
        QTRY_VERIFY(s.isModified());
        const auto generation = c.generation();
        answers.unsaved = UnsavedChoice::Cancel;
        QCOMPARE(s.usePreset(QStringLiteral("improved-mnist")).kind, Outcome::Kind::Cancelled);
        QCOMPARE(s.reset().kind, Outcome::Kind::Cancelled);
        QVERIFY(!s.mayClose());
        QCOMPARE(answers.asked.size(), 3);
        QCOMPARE(c.generation(), generation);
        QCOMPARE(s.preset(), QStringLiteral("paper-mnist"));

        // Save with no bundle yet asks for a folder; then Save writes in place.
        QTemporaryDir dir;
        const QString bundle = dir.filePath(QStringLiteral("run"));
        int chosen = 0;
        s.setChooseSaveFolder([&] {
            ++chosen;
            return bundle;
        });
        QVERIFY(s.save().done());
        QCOMPARE(chosen, 1);
        QCOMPARE(s.bundleDir(), bundle);
        QVERIFY(!s.isModified());
        QCOMPARE(s.documentName(), QStringLiteral("run"));
        QVERIFY(s.mayClose());  // nothing learned since the save: no question
        QCOMPARE(answers.asked.size(), 3);

        c.step(StepUnit::Image);
        const SnapshotPtr after = waitIdle(c, c.latest()->counters.steps + 1);
        QTRY_VERIFY(s.isModified());
        QVERIFY(s.save().done());
        QCOMPARE(chosen, 1);  // in place: no folder asked for
        const ModelBundle saved = loadBundle(bundle.toStdString());
        QVERIFY(saved.weights == after->fields->weights);
        QVERIFY(!s.isModified());

        // "Save" from the question saves, then goes on.
        c.step(StepUnit::Image);
        const SnapshotPtr before_reset = waitIdle(c, after->counters.steps + 1);
        QTRY_VERIFY(s.isModified());
        answers.unsaved = UnsavedChoice::Save;
        QVERIFY(s.reset().done());
        QVERIFY(loadBundle(bundle.toStdString()).weights == before_reset->fields->weights);
        QVERIFY(before_reset->fields->weights != saved.weights);
        QVERIFY(s.bundleDir().isEmpty());  // a reset network is not the bundle's
    }

    void sessionOpenAndImport() {
        QTemporaryDir dir;
        SimulationController c;
        StudioSession s(&c);
        Answers answers;
        answers.unsaved = UnsavedChoice::Discard;
        s.setAskUnsaved(answers.unsavedHandler());
        QVERIFY(s.start(QStringLiteral("paper-mnist"), builtin()).done());
        const SnapshotPtr first = waitIdle(c);
        const int d = first->settings.structure.inputs();
        const int k = first->settings.structure.units;

        // A good file replaces the weights; the network is not "modified" (nothing learned).
        const QString good = dir.filePath(QStringLiteral("good.npy"));
        writeWeights(good, std::size_t(d), std::size_t(k), 0.25);
        QVERIFY(s.importFilters(good).done());
        SnapshotPtr imported = waitIdle(c);
        QTRY_VERIFY((imported = c.latest()) && imported->fields->weights(0, 0) == 0.25f);
        QVERIFY(imported->fields->weights.isConstant(0.25f));
        QVERIFY(!s.isModified());

        // A wrong shape is refused with the reason, and nothing changes.
        const auto generation = c.generation();
        const QString wrong = dir.filePath(QStringLiteral("wrong.npy"));
        writeWeights(wrong, std::size_t(k), std::size_t(d), 0.5);
        const Outcome refused = s.importFilters(wrong);
        QCOMPARE(refused.kind, Outcome::Kind::Refused);
        QVERIFY2(refused.error.contains(QStringLiteral("shape")), qPrintable(refused.error));
        QVERIFY2(refused.error.contains(QStringLiteral("(%1, %2)").arg(d).arg(k)),
                 qPrintable(refused.error));
        const QString out_of_range = dir.filePath(QStringLiteral("range.npy"));
        writeWeights(out_of_range, std::size_t(d), std::size_t(k), 2.0);
        QCOMPARE(s.importFilters(out_of_range).kind, Outcome::Kind::Refused);
        QCOMPARE(c.generation(), generation);
        QVERIFY(c.latest()->fields->weights.isConstant(0.25f));

        // Open: the title is the bundle's; a preset change drops it.
        c.step(StepUnit::Patch);
        waitIdle(c, 1);
        const QString bundle = dir.filePath(QStringLiteral("saved"));
        QVERIFY(s.saveAs(bundle).done());
        QVERIFY(s.start(QStringLiteral("paper-mnist"), builtin()).done());
        QVERIFY(s.openBundle(bundle).done());
        QCOMPARE(s.documentName(), QStringLiteral("saved"));
        QVERIFY(s.usePreset(QStringLiteral("improved-mnist")).done());
        QVERIFY(!s.documentName().contains(QStringLiteral("saved")));
        QVERIFY(s.documentName().contains(QStringLiteral("improved-mnist")));
        QCOMPARE(answers.asked.size(), 0);  // nothing learned since the open
        // A bad bundle asks nothing and changes nothing.
        QCOMPARE(s.openBundle(dir.filePath(QStringLiteral("missing"))).kind,
                 Outcome::Kind::Refused);
    }

    // A photo folder under a digit preset: the session offers the natural preset.
    void photosUnderDigitPresetOfferNaturalPreset() {
        PhotoSession p;
        QVERIFY(p.session.start(QStringLiteral("paper-mnist"), builtin()).done());
        p.answers.confirm = false;
        QCOMPARE(p.session.useData(p.spec).kind, Outcome::Kind::Cancelled);
        QCOMPARE(p.answers.asked.size(), 1);
        QVERIFY2(p.answers.asked[0].contains(QStringLiteral("paper-natural")),
                 qPrintable(p.answers.asked[0]));
        QVERIFY(!p.answers.asked[0].contains(QStringLiteral("onoff=true")));
        QCOMPARE(p.controller.data().spec, builtin());
        p.answers.confirm = true;
        const Outcome out = p.session.useData(p.spec);
        QVERIFY2(out.done(), qPrintable(out.error));
        QCOMPARE(p.session.preset(), QStringLiteral("paper-natural"));
        QCOMPARE(p.controller.data().spec, p.spec);
        QVERIFY(p.controller.settings().structure.onoff);
    }

    // Under an amplitude-coding digit preset the offer is its own natural counterpart.
    void photosUnderCoopPresetOfferCoopNatural() {
        PhotoSession p;
        QVERIFY(p.session.start(QStringLiteral("coop-mnist"), builtin()).done());
        p.answers.confirm = false;
        QCOMPARE(p.session.useData(p.spec).kind, Outcome::Kind::Cancelled);
        QCOMPARE(p.answers.asked.size(), 1);
        QVERIFY2(p.answers.asked[0].contains(QStringLiteral("coop-natural")),
                 qPrintable(p.answers.asked[0]));
    }

    // A digit preset picked over a photo folder of the user's own: the natural counterpart is
    // offered before anything is discarded, not a refusal after the network was given up.
    void digitPresetOverPhotosOffersNaturalPreset() {
        PhotoSession p;
        QVERIFY(p.session.start(QStringLiteral("coop-natural"), p.spec).done());
        p.answers.confirm = false;
        QCOMPARE(p.session.usePreset(QStringLiteral("paper-mnist")).kind, Outcome::Kind::Cancelled);
        QCOMPARE(p.answers.asked.size(), 1);
        QVERIFY2(p.answers.asked[0].contains(QStringLiteral("'paper-natural'")),
                 qPrintable(p.answers.asked[0]));
        QCOMPARE(p.session.preset(), QStringLiteral("coop-natural"));
        p.answers.confirm = true;
        const Outcome out = p.session.usePreset(QStringLiteral("improved-mnist"));
        QVERIFY2(out.done(), qPrintable(out.error));
        QCOMPARE(p.session.preset(), QStringLiteral("improved-natural"));
        QCOMPARE(p.controller.data().spec, p.spec);
        // A photograph preset is used as it is.
        p.answers.asked.clear();
        QVERIFY(p.session.usePreset(QStringLiteral("paper-natural")).done());
        QVERIFY(p.answers.asked.isEmpty());
        QCOMPARE(p.session.preset(), QStringLiteral("paper-natural"));
    }

    // The window: combos ask (through the injected handler) and go back when refused; the
    // title follows; Quit asks.
    void windowCombosTitleAndQuit() {
        MainWindow w;
        w.resize(1280, 720);
        w.show();
        Answers answers;
        w.setUnsavedHandler(answers.unsavedHandler());
        QCOMPARE(w.start(QStringLiteral("paper-mnist"), builtin()), QString());
        SimulationController& c = *w.controller();
        waitIdle(c);
        QVERIFY(w.windowTitle().contains(QStringLiteral("paper-mnist")));
        QVERIFY(!w.isWindowModified());

        QComboBox* presets = nullptr;
        for (QComboBox* box : w.findChildren<QComboBox*>())
            if (box->findText(QStringLiteral("improved-mnist")) >= 0)
                presets = box;
        QVERIFY(presets);
        c.step(StepUnit::Patch);
        waitIdle(c, 1);
        QTRY_VERIFY(w.isWindowModified());
        const auto generation = c.generation();
        answers.unsaved = UnsavedChoice::Cancel;
        presets->setCurrentIndex(presets->findText(QStringLiteral("improved-mnist")));
        emit presets->activated(presets->currentIndex());
        QCOMPARE(answers.asked.size(), 1);
        QCOMPARE(c.generation(), generation);
        QCOMPARE(presets->currentText(), QStringLiteral("paper-mnist"));  // shows what is in use

        QVERIFY(!w.close());  // Quit asks; Cancel keeps the window
        QCOMPARE(answers.asked.size(), 2);
        QVERIFY(w.isVisible());

        answers.unsaved = UnsavedChoice::Discard;
        emit presets->activated(presets->findText(QStringLiteral("improved-mnist")));
        QCOMPARE(answers.asked.size(), 3);
        QVERIFY(c.generation() != generation);
        QVERIFY(w.windowTitle().contains(QStringLiteral("improved-mnist")));
        waitIdle(c);
        QVERIFY(w.close());  // nothing learned: no question
        QCOMPARE(answers.asked.size(), 3);
    }

    // Keys: single-key shortcuts work after a text field is done with (Enter or Esc), a space
    // typed in the field stays in the field, and Ctrl shortcuts work while it has focus.
    void shortcutsAndTextFields() {
        MainWindow w;
        w.resize(1280, 720);
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QCOMPARE(
            w.start(QStringLiteral("paper-mnist"), builtin(), {QStringLiteral("epochs=100000")}),
            QString());
        SimulationController& c = *w.controller();
        waitIdle(c);
        QLineEdit* field = w.findChild<QLineEdit*>(QStringLiteral("rasterSelection"));
        QVERIFY(field);
        field->setFocus();
        QVERIFY(field->hasFocus());
        field->selectAll();
        QTest::keyClicks(field, QStringLiteral("7"));
        QTest::keyClick(field, Qt::Key_Space);
        QCOMPARE(field->text(), QStringLiteral("7 "));
        QVERIFY(!c.isRunning());
        QTest::keyClick(field, Qt::Key_Return);
        QTRY_VERIFY(!field->hasFocus());
        QCOMPARE(w.raster()->selection(), QStringLiteral("7 "));
        QTest::keyClick(QApplication::focusWidget() ? QApplication::focusWidget() : &w,
                        Qt::Key_Space);
        QTRY_VERIFY_WITH_TIMEOUT(c.latest()->running, kTimeoutMs);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Space);
        waitIdle(c);
        QVERIFY(!c.latest()->running);

        field->setFocus();
        QTest::keyClick(field, Qt::Key_Escape);
        QTRY_VERIFY(!field->hasFocus());
        // The same for a number field of the parameter panel.
        auto* number = w.parameters()->findChild<QAbstractSpinBox*>();
        QVERIFY(number);
        number->setFocus();
        QVERIFY(number->hasFocus());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
        QTRY_VERIFY(!number->hasFocus());
        const std::uint64_t steps = c.latest()->counters.steps;
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_S);
        waitIdle(c, steps + 1);
        QCOMPARE(c.latest()->counters.steps, steps + 1);

        // Ctrl+S while the field has focus: Save (in place, to the bundle saved before).
        QTemporaryDir dir;
        const QString bundle = dir.filePath(QStringLiteral("keys"));
        QCOMPARE(w.saveBundle(bundle), QString());
        c.step(StepUnit::Patch);
        const SnapshotPtr s = waitIdle(c, steps + 2);
        QTRY_VERIFY(w.isWindowModified());
        field->setFocus();
        QTest::keyClick(field, Qt::Key_S, Qt::ControlModifier);
        QTRY_VERIFY(!w.isWindowModified());
        QVERIFY(loadBundle(bundle.toStdString()).weights == s->fields->weights);
    }

    // Patch (P) in mid-patch finishes that patch, and says so.
    void patchInMidPatchSaysWhatItDid() {
        MainWindow w;
        w.show();
        QCOMPARE(w.start(QStringLiteral("paper-mnist"), builtin()), QString());
        SimulationController& c = *w.controller();
        waitIdle(c);
        QAction* patch = actionWithShortcut(w, QKeySequence(Qt::Key_P));
        QVERIFY(patch);
        QVERIFY(patch->toolTip().contains(QStringLiteral("rest of the patch")));
        c.step(StepUnit::Step);
        const SnapshotPtr one = waitIdle(c, 1);
        QCOMPARE(one->counters.steps, std::uint64_t{1});
        patch->trigger();
        const SnapshotPtr done = waitIdle(c, 2);
        QCOMPARE(done->counters.patches, std::uint64_t{1});
        QCOMPARE(done->counters.steps, std::uint64_t(done->settings.dynamics.steps));
        QVERIFY2(w.statusBar()->currentMessage().contains(QStringLiteral("patch under way")),
                 qPrintable(w.statusBar()->currentMessage()));
    }

    // Reset while playing: the speed readout starts over instead of wrapping around (8.6e16).
    void speedAfterResetDuringPlay() {
        MainWindow w;
        w.setUnsavedHandler([](const QString&) { return UnsavedChoice::Discard; });
        QCOMPARE(
            w.start(QStringLiteral("paper-mnist"), builtin(), {QStringLiteral("epochs=100000")}),
            QString());
        SimulationController& c = *w.controller();
        waitIdle(c);
        c.play();
        QTRY_VERIFY_WITH_TIMEOUT(c.latest() && c.latest()->counters.images >= 3, kTimeoutMs);
        QVERIFY(w.session()->reset().done());
        QSignalSpy frames(&c, &SimulationController::snapshotReady);
        constexpr int kFrames = 5;
        QTRY_VERIFY_WITH_TIMEOUT(frames.count() >= kFrames, kTimeoutMs);
        constexpr double kImpossibleStepsPerSecond = 1e9;
        for (const auto& args : frames) {
            const auto s = args.at(0).value<SnapshotPtr>();
            QVERIFY2(s->steps_per_second < kImpossibleStepsPerSecond,
                     qPrintable(QString::number(s->steps_per_second)));
            QVERIFY(s->images_per_second >= 0.0 && s->images_per_second < 1e6);
        }
        // The readout shows plain numbers: "X images/s · Y steps/s".
        const QString rate = w.rateText();
        const double steps_per_second =
            rate.section(QStringLiteral(" · "), 1).section(QLatin1Char(' '), 0, 0).toDouble();
        QVERIFY2(steps_per_second < kImpossibleStepsPerSecond, qPrintable(rate));
        c.pause();
        waitIdle(c);
    }

    // Switching to a global-θ preset removes the θ min/max series and their legend entries.
    void thresholdLegendFollowsThePreset() {
        gui::ThresholdChart chart;
        auto per_neuron = std::make_shared<gui::ChartData>();
        for (const char* name : {"θ mean", "θ min", "θ max"})
            per_neuron->series.push_back(
                {QString::fromUtf8(name), Qt::black, false, {{0, 0.1}, {1, 0.2}}});
        chart.setData(per_neuron);
        QCOMPARE(chart.chart()->series().size(), 3);
        auto global = std::make_shared<gui::ChartData>();
        global->series.push_back({QStringLiteral("θ (global)"), Qt::black, false, {{0, 0.1}}});
        chart.setData(global);
        QCOMPARE(chart.chart()->series().size(), 1);
        QCOMPARE(chart.chart()->legend()->markers().size(), 1);
    }

    void rasterSelectionComesBack() {
        QSettings().setValue(QStringLiteral("rasterNeurons"), QStringLiteral("0-7"));
        MainWindow w;
        QCOMPARE(w.raster()->selection(), QStringLiteral("0-7"));
        QCOMPARE(w.start(QStringLiteral("paper-mnist"), builtin()), QString());
        waitIdle(*w.controller());
        QTRY_COMPARE(w.raster()->selection(), QStringLiteral("0-7"));
        QSettings().remove(QStringLiteral("rasterNeurons"));
    }

    void helpAboutAndShortcuts() {
        const QString about = aboutText();
        QVERIFY(about.contains(QStringLiteral(STDP_VERSION)));
        QVERIFY(about.contains(QStringLiteral("not yet chosen")));
        QVERIFY(about.contains(QStringLiteral("Neural Networks")));
        QVERIFY(about.contains(QStringLiteral("105")));
        MainWindow w;
        const auto rows = shortcutTable(&w);
        auto keysOf = [&](const QString& action) {
            for (const auto& [text, keys] : rows)
                if (text == action)
                    return keys;
            return QString();
        };
        QCOMPARE(keysOf(QStringLiteral("Play")),
                 QKeySequence(Qt::Key_Space).toString(QKeySequence::NativeText));
        QCOMPARE(keysOf(QStringLiteral("Save")),
                 QKeySequence(QKeySequence::Save).toString(QKeySequence::NativeText));
        QCOMPARE(keysOf(QStringLiteral("Save as")),
                 QKeySequence(QStringLiteral("Ctrl+Shift+S")).toString(QKeySequence::NativeText));
        // Every action with a shortcut is listed.
        int with_keys = 0;
        QStringList names;
        for (QAction* a : w.findChildren<QAction*>())
            if (!a->shortcuts().isEmpty())
                ++with_keys;
        // ... and the keys views handle themselves (their "keyHelp" lines).
        for (const QWidget* v : w.findChildren<QWidget*>())
            with_keys += static_cast<int>(v->property("keyHelp").toStringList().size());
        QCOMPARE(rows.size(), with_keys);
        QVERIFY(actionWithShortcut(w, QKeySequence(QStringLiteral("Ctrl+Shift+S"))));
    }

    // Pin, change, Reset: the pinned curves are drawn dashed beside the live ones.
    void pinnedReference() {
        MainWindow w;
        w.show();  // legend markers are visible only in a shown chart
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.setUnsavedHandler([](const QString&) { return UnsavedChoice::Discard; });
        QCOMPARE(w.start(QStringLiteral("paper-mnist"), builtin()), QString());
        SimulationController& c = *w.controller();
        waitIdle(c);
        c.step(StepUnit::Image);
        waitIdle(c, 1);
        w.refreshCharts();
        const int live = int(w.thresholdChart()->chart()->series().size());
        w.pinReference();
        QVERIFY(w.reference().isPinned());
        QVERIFY(!w.reference().mosaic().isNull());
        QVERIFY(w.session()->reset().done());
        w.refreshCharts();
        const auto series = w.thresholdChart()->chart()->series();
        QCOMPARE(int(series.size()), 2 * live);
        auto* pinned = qobject_cast<QLineSeries*>(series.last());
        QVERIFY(pinned->name().startsWith(QStringLiteral("pinned: paper-mnist")));
        QCOMPARE(pinned->pen().style(), Qt::DashLine);
        QVERIFY(pinned->count() > 0);
        QCOMPARE(qobject_cast<QLineSeries*>(series.first())->pen().style(), Qt::SolidLine);
        // One legend entry names the pinned run (the code chart has three curves).
        const gui::ChartData* code = w.learningCurves()->codeChart()->data();
        int in_legend = 0;
        for (const gui::ChartSeries& series_data : code->series)
            in_legend += series_data.in_legend ? 1 : 0;
        QCOMPARE(in_legend, int(code->series.size()) / 2 + 1);
        w.clearReference();
        QCOMPARE(int(w.thresholdChart()->chart()->series().size()), live);
    }

    // `stdp-studio BUNDLE` opens the bundle; a missing one is an error with exit status 2.
    void bundleArgument() {
        QTemporaryDir dir;
        const QString bundle = dir.filePath(QStringLiteral("arg"));
        {
            SimulationController c;
            StudioSession s(&c);
            QVERIFY(s.start(QStringLiteral("paper-mnist"), builtin()).done());
            waitIdle(c);
            c.step(StepUnit::Patch);
            waitIdle(c, 1);
            QVERIFY(s.saveAs(bundle).done());
        }
        QProcess run;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        run.setProcessEnvironment(env);
        const QString shot = dir.filePath(QStringLiteral("shot.png"));
        run.start(QStringLiteral(STDP_STUDIO_BINARY),
                  {QStringLiteral("--screenshot"), shot, QStringLiteral("--run-images"),
                   QStringLiteral("0"), bundle});
        QVERIFY(run.waitForFinished(kTimeoutMs));
        QCOMPARE(run.exitCode(), 0);
        QVERIFY(!QImage(shot).isNull());

        run.start(QStringLiteral(STDP_STUDIO_BINARY),
                  {QStringLiteral("--screenshot"), shot, dir.filePath(QStringLiteral("none"))});
        QVERIFY(run.waitForFinished(kTimeoutMs));
        QCOMPARE(run.exitCode(), 2);
        QVERIFY(run.readAllStandardError().contains("none"));
    }
};

QTEST_MAIN(TestSession)
#include "test_session.moc"
