// "Inside one time step": the view's numbers are the core's for the same step, walking through
// phases and recorded steps behaves as a teacher expects, and a hidden view records nothing.
#include <QDockWidget>
#include <QLabel>
#include <QLayout>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QToolButton>
#include <QtTest>

#include "HelpDialogs.h"
#include "MainWindow.h"
#include "ReceptiveFieldMosaic.h"
#include "StepCanvas.h"
#include "StepView.h"

using namespace stdp;
using namespace stdp::studio;

namespace {
constexpr int kTimeoutMs = 120000 * STDP_TEST_TIMEOUT_SCALE;

// Traces of `steps` steps of a small learning layer (learning rate large enough to see).
std::vector<StepTracePtr> recordedSteps(int steps, ThresholdMode mode = ThresholdMode::Global,
                                        double spike_quantum = 0.0) {
    StructureSettings st;
    st.patch_size = 3;
    st.units = 6;
    st.theta0 = 0.2;
    st.theta_mode = mode;
    DynamicsSettings d;
    d.mu = 0.05;
    d.spike_quantum = spike_quantum;
    d.target_rate = 0.05;
    RepresentationLayer layer(st, d);
    StepTracer tracer;
    tracer.setPatchGeometry(3, false);
    tracer.prime(layer);
    layer.beginPatch();
    Rng rng(5);
    for (int t = 0; t < steps; ++t) {
        std::vector<std::int32_t> spikes;
        for (int i = 0; i < layer.inputs(); ++i)
            if (rng.uniform() < 0.4)
                spikes.push_back(i);
        layer.step(spikes, &tracer);
    }
    return tracer.take();
}

QDockWidget* dockNamed(QMainWindow& w, const QString& name) {
    for (QDockWidget* d : w.findChildren<QDockWidget*>())
        if (d->objectName() == name)
            return d;
    return nullptr;
}
}  // namespace

class TestStepView : public QObject {
    Q_OBJECT
  private slots:
    // A panel title whose longest word is wider than its panel gets a smaller font, so that
    // "(homeostasis)" is not cut at a narrow panel's edge; one that fits keeps its font.
    void panelTitlesFitTheirPanel() {
        QFont bold = QApplication::font();
        bold.setBold(true);
        const QString title = QStringLiteral("5 Adapt θ (homeostasis)");
        const double word = QFontMetricsF(bold).horizontalAdvance(QStringLiteral("(homeostasis)"));
        QCOMPARE(gui::StepCanvas::titleFont(bold, title, word * 2).pointSizeF(), bold.pointSizeF());
        const QFont narrow = gui::StepCanvas::titleFont(bold, title, word * 0.85);
        QVERIFY(narrow.pointSizeF() < bold.pointSizeF());
        QVERIFY(QFontMetricsF(narrow).horizontalAdvance(QStringLiteral("(homeostasis)")) <=
                word * 0.85);
        const QFont tiny = gui::StepCanvas::titleFont(bold, title, word * 0.2);
        QCOMPARE(tiny.pointSizeF(), bold.pointSizeF() * 0.7);  // not below readable
    }

    void initTestCase() {
        // A window remembers its layout: start each run from the first-launch layout.
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("STDPStudioTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_step_view"));
        QSettings().clear();
    }

    void phaseTextsCarryTheStepsNumbers() {
        const auto traces = recordedSteps(60);
        int with_winner = 0;
        for (const auto& t : traces) {
            const auto fire = gui::describePhase(*t, gui::StepPhase::Fire);
            const auto adapt = gui::describePhase(*t, gui::StepPhase::Adapt);
            QVERIFY(fire.numbers.contains(QString::number(t->theta_before[0], 'g', 4)));
            QVERIFY(adapt.numbers.endsWith(QString::number(t->theta_after[0], 'f', 5)));
            if (t->fired.size() == 1) {
                ++with_winner;
                QVERIFY2(fire.numbers.contains(QStringLiteral("neuron %1 fires").arg(t->fired[0])),
                         qPrintable(fire.numbers));
                const auto learn = gui::describePhase(*t, gui::StepPhase::Learn);
                QVERIFY(
                    learn.numbers.contains(QStringLiteral("%1 inputs up").arg(t->causal.size())));
            } else if (t->fired.empty()) {
                QVERIFY(fire.numbers.contains(QStringLiteral("no neuron fires")));
            }
        }
        QVERIFY(with_winner > 5);
        const auto per_neuron = recordedSteps(20, ThresholdMode::PerNeuron);
        QVERIFY(gui::describePhase(*per_neuron.back(), gui::StepPhase::Adapt)
                    .equation.contains(QStringLiteral("K zⱼ")));
    }

    // Amplitude coding: the step explains its own rule (no softmax, no WTA θ), the bars of the
    // competition are each neuron's excess over its level q |w_j|^2, and a spike's share of the
    // additive read-out x̂ = g Σ c_j w_j is named with the gain.
    void amplitudeCodingExplainsItsRule() {
        const auto traces = recordedSteps(60, ThresholdMode::PerNeuron, 0.5);
        int fired = 0;
        for (const auto& t : traces) {
            QVERIFY(t->amplitude);
            QCOMPARE(t->fire_level.size(), std::size_t(t->units));
            const std::vector<float> excess = gui::amplitudeExcess(*t);
            const auto compete = gui::describePhase(*t, gui::StepPhase::Inhibit);
            const auto fire = gui::describePhase(*t, gui::StepPhase::Fire);
            QVERIFY(!compete.title.contains(QStringLiteral("softmax")) ||
                    compete.title.contains(QStringLiteral("no softmax")));
            QVERIFY(compete.equation.contains(QStringLiteral("q‖wⱼ‖²")));
            QVERIFY(!fire.equation.contains(QStringLiteral("Pⱼ")));
            QVERIFY(gui::describePhase(*t, gui::StepPhase::Adapt)
                        .equation.contains(QStringLiteral("ρ(zⱼ − p)")));
            if (t->fired.empty()) {
                for (float e : excess)
                    QVERIFY(e < 0.0f);  // nobody reached its level
                continue;
            }
            ++fired;
            const auto j = static_cast<std::size_t>(t->fired[0]);
            QVERIFY2(excess[j] >= 0.0f, "the neuron that fired reached its level");
            for (float e : excess)  // the decision's potentials: the largest excess fired
                QVERIFY(e <= excess[j] + 1e-4f);
            QVERIFY2(
                fire.numbers.contains(QStringLiteral("g = %1").arg(t->decoder_gain, 0, 'g', 3)),
                qPrintable(fire.numbers));
        }
        QVERIFY(fired > 5);
        gui::StepView view;
        view.append(traces);
        view.showIndex(traces.size() - 1);
        const auto buttons = view.findChildren<QToolButton*>();
        QVERIFY(std::any_of(buttons.begin(), buttons.end(), [](QToolButton* b) {
            return b->text() == QStringLiteral("2 Compete");
        }));
    }

    void walkingThroughPhasesAndSteps() {
        gui::StepView view;
        view.resize(1000, 260);
        view.show();
        QSignalSpy asked(&view, &gui::StepView::stepRequested);
        QSignalSpy fired(&view, &gui::StepView::firedShown);
        view.append(recordedSteps(10));
        QCOMPARE(view.historySize(), 10u);
        QCOMPARE(view.currentIndex(), 9u);  // live: the newest
        QCOMPARE(view.phase(), gui::StepPhase::Adapt);
        view.setPhase(gui::StepPhase::Input);
        QTest::keyClick(&view, Qt::Key_Right);
        QCOMPARE(view.phase(), gui::StepPhase::Integrate);
        for (int k = 0; k < 4; ++k)
            QTest::keyClick(&view, Qt::Key_Right);
        QCOMPARE(view.phase(), gui::StepPhase::Adapt);
        QCOMPARE(fired.last().at(0).value<QVector<int>>().size(),
                 static_cast<int>(view.current()->fired.size()));
        // Past the newest step's last phase: ask the simulation for one more step.
        QTest::keyClick(&view, Qt::Key_Right);
        QCOMPARE(asked.count(), 1);
        view.append(recordedSteps(11));  // the answer: it opens at its first phase
        QCOMPARE(view.phase(), gui::StepPhase::Input);
        QCOMPARE(view.currentIndex(), view.historySize() - 1);
        // Back across the step boundary: the previous step's last phase.
        QTest::keyClick(&view, Qt::Key_Left);
        QCOMPARE(view.phase(), gui::StepPhase::Adapt);
        QCOMPARE(view.currentIndex(), view.historySize() - 2);
        QVERIFY(!view.live());
        // Browsing: new steps do not move the view; older ones fall out of the history.
        const StepTrace* shown = view.current();
        view.append(recordedSteps(5));
        QCOMPARE(view.current(), shown);
        view.append(recordedSteps(static_cast<int>(gui::StepView::kMaxHistory)));
        QCOMPARE(view.historySize(), gui::StepView::kMaxHistory);
        QCOMPARE(view.currentIndex(), 0u);  // what was shown fell out: the oldest kept
        QTest::keyClick(&view, Qt::Key_End);
        QVERIFY(view.live());
        QCOMPARE(view.currentIndex(), gui::StepView::kMaxHistory - 1);
        // Painting every phase at two sizes must not fail (and shows something).
        for (int k = 0; k < gui::kStepPhases; ++k) {
            view.setPhase(static_cast<gui::StepPhase>(k));
            QVERIFY(!view.grab().isNull());
        }
        view.resize(600, 300);
        QVERIFY(!view.grab().isNull());
    }

    // In a small window the header beside the phase buttons and the slider was cut ("no step
    // reco…", "step 3/40 · tick 12…"): it says as much as fits, never a cut word.
    void headerFitsANarrowView() {
        gui::StepView view;
        view.resize(680, 260);  // its tab in a 1280x720 window
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        auto* where = view.findChild<QLabel*>(QStringLiteral("stepWhere"));
        QVERIFY(where);
        const auto fits = [&] {
            view.layout()->activate();
            QApplication::processEvents();
            return where->fontMetrics().horizontalAdvance(where->text()) <= where->width();
        };
        QVERIFY2(
            fits(),
            qPrintable(QStringLiteral("'%1' in %2 px").arg(where->text()).arg(where->width())));
        view.append(recordedSteps(10));
        QVERIFY2(
            fits(),
            qPrintable(QStringLiteral("'%1' in %2 px").arg(where->text()).arg(where->width())));
        QVERIFY(where->text().contains(QLatin1Char('/')));
        view.resize(1400, 260);
        QVERIFY(fits());
        QVERIFY(where->text().contains(QStringLiteral("kept")));
    }

    void numbersAreTheCoresForTheSameStep() {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QCOMPARE(w.start(QStringLiteral("paper-mnist"), QString::fromLatin1(kBuiltinSpec)),
                 QString());
        SimulationController& c = *w.controller();
        QTRY_VERIFY_WITH_TIMEOUT(c.latest() != nullptr, kTimeoutMs);
        // First learn a little with the view hidden, until the threshold lets neurons fire.
        QApplication::processEvents();
        c.play(3);
        QTRY_VERIFY_WITH_TIMEOUT(!c.latest()->running && c.latest()->counters.images >= 3,
                                 kTimeoutMs);
        const std::uint64_t unwatched = c.latest()->counters.steps;
        QCOMPARE(w.stepView()->historySize(), 0u);
        QDockWidget* dock = dockNamed(w, QStringLiteral("step"));
        QVERIFY(dock);
        // Help > Keyboard shortcuts lists the view's own keys (the teaching guide relies on them).
        bool listed = false;
        for (const auto& [what, keys] : shortcutTable(&w))
            listed = listed || (what.startsWith(QStringLiteral("Step view: next")) &&
                                keys == QStringLiteral("→, ←"));
        QVERIFY(listed);
        dock->show();
        dock->raise();  // its tab in front of the learning curves'
        QApplication::processEvents();
        // Enough steps to see neurons fire (the first patches of a digit are often empty).
        constexpr int kSteps = 300;
        for (int k = 0; k < kSteps; ++k)
            c.step(StepUnit::Step);
        QTRY_VERIFY_WITH_TIMEOUT(c.latest()->counters.steps == unwatched + kSteps, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(w.stepView()->historySize(), std::size_t(kSteps), kTimeoutMs);

        // The same steps without the studio.
        TrainingSession session(c.settings(), c.data().train);
        const RepresentationLayer& layer = session.layer();
        std::vector<StepTracePtr> core;
        session.advance(StepUnit::Step, unwatched);
        StepTracer tracer;
        tracer.prime(layer);
        for (int k = 0; k < kSteps; ++k)
            session.advance(StepUnit::Step, 1, &tracer);
        core = tracer.take();
        QCOMPARE(core.size(), std::size_t(kSteps));
        int fired = 0;
        for (std::size_t k = 0; k < core.size(); ++k) {
            w.stepView()->showIndex(k);
            const StepTrace& shown = *w.stepView()->current();
            const StepTrace& expected = *core[k];
            QCOMPARE(shown.tick, expected.tick);
            QCOMPARE(shown.input_spikes, expected.input_spikes);
            QCOMPARE(shown.potential, expected.potential);
            QCOMPARE(shown.softmax, expected.softmax);
            QCOMPARE(shown.fired, expected.fired);
            QCOMPARE(shown.theta_after, expected.theta_after);
            fired += static_cast<int>(shown.fired.size());
            QCOMPARE(w.mosaic()->highlighted(),
                     QVector<int>(shown.fired.begin(), shown.fired.end()));  // also framed there
            for (std::size_t n = 0; n < shown.winners.size(); ++n) {
                QCOMPARE(shown.winners[n].before, expected.winners[n].before);
                QCOMPARE(shown.winners[n].after, expected.winners[n].after);
            }
        }
        QVERIFY2(fired > 10, "the steps compared must include learning");

        // Hidden behind its tab, the view records nothing more.
        for (QDockWidget* d : w.findChildren<QDockWidget*>())
            if (d->objectName() == QLatin1String("curves"))
                d->raise();  // the step view's tab behind
        QApplication::processEvents();
        const std::size_t before = w.stepView()->historySize();
        c.step(StepUnit::Patch);
        QTRY_VERIFY_WITH_TIMEOUT(c.latest()->counters.steps > unwatched + kSteps, kTimeoutMs);
        QCOMPARE(w.stepView()->historySize(), before);
    }
};

QTEST_MAIN(TestStepView)
#include "test_step_view.moc"
