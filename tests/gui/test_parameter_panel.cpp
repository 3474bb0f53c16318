// The parameter panel: live edits, typed values, ranges, presets, structure changes.
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStyleOptionSlider>
#include <QToolButton>
#include <QWheelEvent>
#include <QtTest>

#include "Charts.h"
#include "ParameterPanel.h"
#include "model/Presets.h"

using namespace stdp;
using namespace stdp::gui;

class TestParameterPanel : public QObject {
    Q_OBJECT
  private slots:
    void parameterPanelEmitsLiveChange() {
        ParameterPanel panel;
        QSignalSpy spy(&panel, &ParameterPanel::liveEdited);
        QVERIFY(panel.setValue(QStringLiteral("mu"), 0.002));
        QCOMPARE(spy.count(), 1);
        const auto e = spy.at(0).at(0).value<LiveEdit>();
        QCOMPARE(e.dynamics.mu, 0.002);
        QCOMPARE(e.changes.size(), std::size_t{1});
        QCOMPARE(e.changes[0].old_value, 5e-4);
        QCOMPARE(e.changes[0].new_value, 0.002);
        // The slider moves too, and moving the slider changes the value.
        QSlider* slider = panel.slider(QStringLiteral("temperature"));
        slider->setValue(slider->maximum() - 10);
        slider->setValue(slider->maximum());  // key presses in a row: one edit once settled
        QCOMPARE(spy.count(), 1);
        QTRY_COMPARE(spy.count(), 2);
        QCOMPARE(spy.at(1).at(0).value<LiveEdit>().dynamics.temperature, 10.0);
        const QString tip = ParameterPanel::tooltipFor(QStringLiteral("mu"));
        QVERIFY(tip.contains(QStringLiteral("Authors'")));
        QVERIFY(tip.contains(QStringLiteral("0.0005")));
    }

    // Amplitude coding has no softmax, leak or distance bias: their controls go, a note says
    // why, θ is named for what it is there; without amplitude coding its own settings go.
    void parameterPanelShowsWhatActsOnTheCoding() {
        ParameterPanel panel;
        Settings s = presetSettings("coop-mnist");
        // The residual rule needs amplitude coding: with STDP, q may be turned off live below.
        s.dynamics.learning_rule = LearningRule::Stdp;
        panel.setPresetSettings(s);
        panel.setSettings(s);
        const auto shown = [&panel](const char* name) {
            QWidget* w = panel.spinBox(QLatin1String(name));
            return w && w->isVisibleTo(&panel);
        };
        QVERIFY(!shown("temperature"));
        QVERIFY(!shown("tau_m"));
        QVERIFY(!shown("distance_bias"));
        QVERIFY(shown("hurdle"));
        QVERIFY(shown("recruit_hurdle"));
        QVERIFY(shown("decoder_gain"));
        QVERIFY(shown("decoder_hurdle"));
        QVERIFY(shown("mu"));
        QVERIFY(panel.modeNote()->isVisibleTo(&panel));
        QVERIFY(panel.modeNote()->text().contains(QStringLiteral("τ_s")));
        QVERIFY(!panel.modeNote()->toolTip().isEmpty());
        QVERIFY(panel.thresholdLabel()->text().contains(QStringLiteral("hurdle")));
        QVERIFY(panel.thresholdLabel()->toolTip().contains(QStringLiteral("−h θ_j")));
        // q to 0, live: the softmax's controls come back, amplitude coding's go.
        QVERIFY(panel.setValue(QStringLiteral("spike_quantum"), 0.0));
        QVERIFY(shown("temperature"));
        QVERIFY(!shown("hurdle"));
        QVERIFY(!shown("recruit_hurdle"));
        QVERIFY(!shown("decoder_hurdle"));
        QVERIFY(!panel.restoreButton(QStringLiteral("hurdle"))->isVisibleTo(&panel));
        QVERIFY(!panel.modeNote()->isVisibleTo(&panel));
        QVERIFY(panel.thresholdLabel()->text().contains(QStringLiteral("threshold")));

        ThresholdChart chart;
        QVERIFY(chart.chart()->title().contains(QStringLiteral("WTA")));
        chart.setAmplitudeCoding(true);
        QVERIFY(chart.chart()->title().contains(QStringLiteral("Hurdle")));
        QVERIFY(chart.toolTip().contains(QStringLiteral("ρ(z_j − p)")));
    }

    // The learning rule is fixed for a network's life: picking another one tells the running
    // network nothing, says so, and offers a new network with it (asked first).
    void learningRuleOffersANewNetwork() {
        ParameterPanel panel;
        const Settings coop = presetSettings("coop-mnist");
        QCOMPARE(coop.dynamics.learning_rule, LearningRule::Residual);
        panel.setPresetSettings(coop);
        panel.setSettings(coop);
        QComboBox* rule = panel.comboBox(QStringLiteral("learning_rule"));
        QVERIFY(rule);
        QVERIFY(rule->isVisibleTo(&panel));
        QCOMPARE(rule->currentIndex(), int(LearningRule::Residual));
        QPushButton* button = panel.newNetworkButton(QStringLiteral("learning_rule"));
        QVERIFY(button);
        QVERIFY(!button->isVisibleTo(&panel));
        QSignalSpy live(&panel, &ParameterPanel::liveEdited);
        QSignalSpy fresh(&panel, &ParameterPanel::newNetworkRequested);
        bool answer = false;
        int asked = 0;
        panel.setConfirmHandler([&](const QString& question) {
            ++asked;
            return question.contains(QStringLiteral("STDP")) && answer;
        });
        rule->setCurrentIndex(int(LearningRule::Stdp));
        QCOMPARE(live.count(), 0);
        QCOMPARE(panel.settings().dynamics.learning_rule, LearningRule::Residual);
        QLabel* message = panel.messageLabel(QStringLiteral("learning_rule"));
        QVERIFY(message->isVisibleTo(&panel));
        QVERIFY(message->text().contains(QStringLiteral("new network")));
        QVERIFY(button->isVisibleTo(&panel));
        button->click();  // declined: nothing happens
        QCOMPARE(asked, 1);
        QCOMPARE(fresh.count(), 0);
        answer = true;
        button->click();
        QCOMPARE(fresh.count(), 1);
        Settings next = fresh.at(0).at(0).value<Settings>();
        QCOMPARE(next.dynamics.learning_rule, LearningRule::Stdp);
        Settings expected = coop;
        expected.dynamics.learning_rule = LearningRule::Stdp;
        QVERIFY(next.dynamics == expected.dynamics);
        QVERIFY(next.structure.seed == coop.structure.seed);
        // The new network arrives: nothing waits any more, and β (the residual rule's) goes.
        QVERIFY(panel.spinBox(QStringLiteral("residual_decay"))->isVisibleTo(&panel));
        panel.setSettings(next);
        QVERIFY(!button->isVisibleTo(&panel));
        QVERIFY(!message->isVisibleTo(&panel));
        QVERIFY(!panel.spinBox(QStringLiteral("residual_decay"))->isVisibleTo(&panel));
        // Back to the first choice: the offer is withdrawn.
        rule->setCurrentIndex(int(LearningRule::Residual));
        QVERIFY(button->isVisibleTo(&panel));
        rule->setCurrentIndex(int(LearningRule::Stdp));
        QVERIFY(!button->isVisibleTo(&panel));
        QCOMPARE(live.count(), 0);
        // Restore all puts the live settings back and leaves the rule to a new network.
        QVERIFY(panel.setValue(QStringLiteral("mu"), 0.002));
        QCOMPARE(live.count(), 1);
        panel.restoreAll();
        QCOMPARE(live.count(), 2);
        const LiveEdit restored = live.at(1).at(0).value<LiveEdit>();
        QCOMPARE(restored.dynamics.learning_rule, LearningRule::Stdp);
        QCOMPARE(restored.dynamics.mu, coop.dynamics.mu);
    }

    // β of the residual rule and the ON/OFF opponency are live, shown where they act.
    void residualDecayAndOpponencyAreLive() {
        ParameterPanel panel;
        const auto shown = [&panel](const char* name) {
            QWidget* w = panel.spinBox(QLatin1String(name));
            return w && w->isVisibleTo(&panel);
        };
        QSignalSpy live(&panel, &ParameterPanel::liveEdited);
        Settings coop = presetSettings("coop-mnist");
        panel.setSettings(coop);
        QVERIFY(shown("residual_decay"));
        QVERIFY(!shown("onoff_opponency"));  // digits have no ON/OFF inputs
        QCOMPARE(panel.spinBox(QStringLiteral("residual_decay"))->value(), 1.0);
        QVERIFY(panel.setValue(QStringLiteral("residual_decay"), 2.0));
        QCOMPARE(live.count(), 1);
        QCOMPARE(live.at(0).at(0).value<LiveEdit>().dynamics.residual_decay, 2.0);
        QCOMPARE(live.at(0).at(0).value<LiveEdit>().changes.size(), std::size_t{1});

        const Settings natural = presetSettings("coop-natural");
        panel.setSettings(natural);
        QVERIFY(shown("onoff_opponency"));
        QVERIFY(!shown("residual_decay"));  // coop-natural learns by STDP
        QVERIFY(panel.comboBox(QStringLiteral("learning_rule"))->isVisibleTo(&panel));
        QVERIFY(panel.setValue(QStringLiteral("onoff_opponency"), 0.5));
        QCOMPARE(live.count(), 2);
        QCOMPARE(live.at(1).at(0).value<LiveEdit>().dynamics.onoff_opponency, 0.5);

        // Without amplitude coding none of the three acts, and the rule is refused.
        panel.setSettings(presetSettings("paper-natural"));
        QVERIFY(!shown("onoff_opponency"));
        QVERIFY(!shown("residual_decay"));
        QVERIFY(!panel.comboBox(QStringLiteral("learning_rule"))->isVisibleTo(&panel));
        QVERIFY(panel.setValue(QStringLiteral("learning_rule"), double(LearningRule::Residual)));
        QVERIFY(panel.messageLabel(QStringLiteral("learning_rule"))
                    ->text()
                    .contains(QStringLiteral("amplitude coding")));
        QVERIFY(!panel.newNetworkButton(QStringLiteral("learning_rule"))->isVisibleTo(&panel));
        QCOMPARE(live.count(), 2);
    }

    // A stray wheel over the panel scrolls it and changes nothing; with focus the wheel edits.
    void wheelChangesNothingWithoutFocus() {
        ParameterPanel panel;
        panel.resize(500, 900);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QSignalSpy spy(&panel, &ParameterPanel::liveEdited);
        const Settings before = panel.settings();
        const auto wheel = [](QWidget* w) {
            QWheelEvent e(QPointF(w->width() / 2.0, w->height() / 2.0),
                          w->mapToGlobal(QPointF(w->width() / 2.0, w->height() / 2.0)), QPoint(),
                          QPoint(0, -120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
            QApplication::sendEvent(w, &e);
        };
        for (const char* name : {"mu_decay", "rho", "mu_d_ratio", "temperature"}) {
            wheel(panel.slider(QLatin1String(name)));
            wheel(panel.spinBox(QLatin1String(name)));
        }
        // The structure boxes too (K, p): a stray wheel must not change what Apply would use.
        for (QSpinBox* box : panel.findChildren<QSpinBox*>()) {
            const int value = box->value();
            wheel(box);
            QCOMPARE(box->value(), value);
        }
        QCOMPARE(spy.count(), 0);
        QCOMPARE(panel.settings().dynamics.mu_decay, before.dynamics.mu_decay);
        QCOMPARE(panel.settings().dynamics.rho, before.dynamics.rho);
        QSlider* slider = panel.slider(QStringLiteral("temperature"));
        slider->setFocus();
        QTRY_VERIFY(slider->hasFocus());
        wheel(slider);
        wheel(slider);
        QTRY_COMPARE(spy.count(), 1);  // two turns in a row: one edit
        QTest::qWait(500);
        QCOMPARE(spy.count(), 1);
    }

    // Numbers as scientists type them: 5e-5 and 1e-30 are those values, not 5 or 130.
    void scientificNotation_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<double>("expected");
        QTest::newRow("rho 3e-5") << QStringLiteral("rho") << QStringLiteral("3e-5") << 3e-5;
        QTest::newRow("mu 1e-30") << QStringLiteral("mu") << QStringLiteral("1e-30") << 1e-30;
        QTest::newRow("mu 0.0007") << QStringLiteral("mu") << QStringLiteral("0.0007") << 7e-4;
        QTest::newRow("lambda 2.5E-3")
            << QStringLiteral("lambda") << QStringLiteral("2.5E-3") << 2.5e-3;
    }
    void scientificNotation() {
        QFETCH(QString, name);
        QFETCH(QString, typed);
        QFETCH(double, expected);
        ParameterPanel panel;
        QSignalSpy spy(&panel, &ParameterPanel::liveEdited);
        QDoubleSpinBox* box = panel.spinBox(name);
        box->selectAll();
        QTest::keyClicks(box, typed);
        QTest::keyClick(box, Qt::Key_Return);
        QCOMPARE(spy.count(), 1);
        const Settings s = panel.settings();
        const double got = name == QStringLiteral("rho")      ? s.dynamics.rho
                           : name == QStringLiteral("lambda") ? s.dynamics.lambda
                                                              : s.dynamics.mu;
        QCOMPARE(got, expected);
        // Letters other than an exponent cannot be typed at all.
        box->selectAll();
        QTest::keyClicks(box, QStringLiteral("0x1"));
        QVERIFY(!box->text().contains(QLatin1Char('x')));
    }

    // A typed value goes through core's rule once: accepted as typed, adjusted and said, or
    // refused with the rule it breaks, each explained under the control itself.
    void typedValueExplainedNextToControl_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<bool>("accepted");
        QTest::addColumn<double>("expected");
        QTest::addColumn<QString>("message");
        QTest::newRow("mu 5e-5 accepted")
            << QStringLiteral("mu") << QStringLiteral("5e-5") << true << 5e-5 << QString();
        QTest::newRow("mu 1e-30 accepted")
            << QStringLiteral("mu") << QStringLiteral("1e-30") << true << 1e-30 << QString();
        QTest::newRow("steps 1e-30 clamped")
            << QStringLiteral("steps") << QStringLiteral("1e-30") << true << 1.0
            << QStringLiteral("clamped to 1, the smallest allowed");
        QTest::newRow("mu 2 clamped") << QStringLiteral("mu") << QStringLiteral("2") << true << 1.0
                                      << QStringLiteral("clamped to 1, the largest allowed");
        QTest::newRow("temperature 0 refused")
            << QStringLiteral("temperature") << QStringLiteral("0") << false << 1.0
            << QStringLiteral("temperature must be above 0");
        QTest::newRow("temperature -1e-30 refused")
            << QStringLiteral("temperature") << QStringLiteral("-1e-30") << false << 1.0
            << QStringLiteral("temperature must be above 0");
        // The settings added later, typed as a hostile user would: what cannot be a value cannot
        // be typed (the box keeps what the network uses, with nothing to explain).
        QTest::newRow("spike_quantum 1e400 not typed")
            << QStringLiteral("spike_quantum") << QStringLiteral("1e400") << false << 0.0
            << QString();
        QTest::newRow("spike_quantum 1e-320 accepted")
            << QStringLiteral("spike_quantum") << QStringLiteral("1e-320") << true << 1e-320
            << QString();
        QTest::newRow("hurdle -0 unchanged")
            << QStringLiteral("hurdle") << QStringLiteral("-0") << false << 0.0 << QString();
        QTest::newRow("decoder_gain nan not typed")
            << QStringLiteral("decoder_gain") << QStringLiteral("nan") << false << 0.0 << QString();
        QTest::newRow("spike_quantum empty unchanged")
            << QStringLiteral("spike_quantum") << QString() << false << 0.0 << QString();
    }
    void typedValueExplainedNextToControl() {
        QFETCH(QString, name);
        QFETCH(QString, typed);
        QFETCH(bool, accepted);
        QFETCH(double, expected);
        QFETCH(QString, message);
        ParameterPanel panel;
        QSignalSpy spy(&panel, &ParameterPanel::liveEdited);
        QDoubleSpinBox* box = panel.spinBox(name);
        QVERIFY(box);
        box->selectAll();
        QTest::keyClicks(box, typed);
        QTest::keyClick(box, Qt::Key_Return);
        QCOMPARE(spy.count(), accepted ? 1 : 0);
        QCOMPARE(numericValue(panel.settings(), name.toStdString()), expected);
        QCOMPARE(box->value(), expected);  // the box shows what the network uses
        QLabel* label = panel.messageLabel(name);
        QVERIFY(label);
        QCOMPARE(label->isHidden(), message.isEmpty());
        QVERIFY2(label->text().contains(message), qPrintable(label->text()));
        // The explanation sits with its control, not in the panel's tooltip.
        QVERIFY(panel.toolTip().isEmpty());
        QCOMPARE(label->parentWidget(), box->parentWidget());
    }

    void crossSettingValueRefused() {
        ParameterPanel panel;
        QVERIFY(panel.setValue(QStringLiteral("mu"), 0.5));
        QCOMPARE(panel.settings().dynamics.mu, 0.5);
        QSignalSpy spy(&panel, &ParameterPanel::liveEdited);
        QVERIFY(panel.setValue(QStringLiteral("lambda"), 2.0));  // 0.5 * (1 + 2) > 1
        QCOMPARE(spy.count(), 0);
        QCOMPARE(panel.settings().dynamics.lambda, 0.0);
        QCOMPARE(panel.spinBox(QStringLiteral("lambda"))->value(), 0.0);
        const QString text = panel.messageLabel(QStringLiteral("lambda"))->text();
        QVERIFY2(text.contains(QStringLiteral("cross-setting rule")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("mu * (1 + lambda) <= 1")), qPrintable(text));
        // A later good value clears the explanation.
        QVERIFY(panel.setValue(QStringLiteral("lambda"), 0.5));
        QVERIFY(panel.messageLabel(QStringLiteral("lambda"))->isHidden());
    }

    // One drag of a slider is one edit (sent on release), however many positions it passes.
    void sliderDragIsOneEdit() {
        ParameterPanel panel;
        panel.resize(500, 900);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QSignalSpy spy(&panel, &ParameterPanel::liveEdited);
        QSlider* slider = panel.slider(QStringLiteral("mu_d_ratio"));
        const QPoint handle = [&] {
            QStyleOptionSlider opt;
            opt.initFrom(slider);
            opt.orientation = slider->orientation();
            opt.minimum = slider->minimum();
            opt.maximum = slider->maximum();
            opt.sliderPosition = slider->sliderPosition();
            opt.sliderValue = slider->value();
            return slider->style()
                ->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderHandle, slider)
                .center();
        }();
        QTest::mousePress(slider, Qt::LeftButton, Qt::NoModifier, handle);
        QVERIFY(slider->isSliderDown());
        const int start = slider->value();
        for (int dx = 10; dx <= 110; dx += 10) {
            QMouseEvent move(QEvent::MouseMove, QPointF(handle + QPoint(dx, 0)),
                             slider->mapToGlobal(QPointF(handle + QPoint(dx, 0))), Qt::NoButton,
                             Qt::LeftButton, Qt::NoModifier);
            QApplication::sendEvent(slider, &move);
        }
        QVERIFY(slider->value() > start);
        QCOMPARE(spy.count(), 0);  // nothing sent while dragging
        const double shown = panel.spinBox(QStringLiteral("mu_d_ratio"))->value();
        QVERIFY(shown != 0.75);  // but the box follows the handle
        QTest::mouseRelease(slider, Qt::LeftButton, Qt::NoModifier, handle + QPoint(110, 0));
        QCOMPARE(spy.count(), 1);
        const auto e = spy.at(0).at(0).value<LiveEdit>();
        QCOMPARE(e.changes.size(), std::size_t{1});
        QCOMPARE(e.changes[0].old_value, 0.75);
        QCOMPARE(e.changes[0].new_value, shown);
        QCOMPARE(panel.settings().dynamics.mu_d_ratio, shown);
    }

    void restoreToPreset() {
        ParameterPanel panel;
        const Settings preset = panel.settings();
        panel.setPresetSettings(preset);
        QToolButton* button = panel.restoreButton(QStringLiteral("mu"));
        QVERIFY(button && button->isHidden());  // nothing to restore
        QVERIFY(panel.setValue(QStringLiteral("mu"), 0.002));
        QVERIFY(!button->isHidden());
        QVERIFY(button->toolTip().contains(QStringLiteral("0.0005")));
        QSignalSpy spy(&panel, &ParameterPanel::liveEdited);
        button->click();
        QCOMPARE(spy.count(), 1);
        auto e = spy.at(0).at(0).value<LiveEdit>();
        QCOMPARE(e.origin, ChangeOrigin::Restore);
        QCOMPARE(e.dynamics.mu, preset.dynamics.mu);
        QVERIFY(button->isHidden());
        QVERIFY(!panel.differsFromPreset());
        // Restore all: one edit of every changed setting.
        QVERIFY(panel.setValue(QStringLiteral("mu"), 0.003));
        QVERIFY(panel.setValue(QStringLiteral("rho"), 1e-4));
        QVERIFY(panel.checkBox(QStringLiteral("learn")));
        panel.checkBox(QStringLiteral("learn"))->setChecked(false);
        QVERIFY(panel.differsFromPreset());
        spy.clear();
        panel.restoreAll();
        QCOMPARE(spy.count(), 1);
        e = spy.at(0).at(0).value<LiveEdit>();
        QCOMPARE(e.changes.size(), std::size_t{3});
        QVERIFY(e.dynamics == preset.dynamics);
        QVERIFY(panel.settings().dynamics == preset.dynamics);
        QVERIFY(panel.checkBox(QStringLiteral("learn"))->isChecked());
        QVERIFY(panel.restoreButton(QStringLiteral("rho"))->isHidden());
    }

    // The panel is built from core's table: every live setting it lists has its controls.
    void panelBuiltFromTable() {
        ParameterPanel panel;
        for (const SettingInfo& i : settingInfos()) {
            const QString name = QString::fromStdString(i.name);
            const bool listed = i.panel.section == PanelSection::Learning ||
                                i.panel.section == PanelSection::BeyondPaper;
            QCOMPARE(panel.messageLabel(name) != nullptr, listed);
            if (listed && i.kind == SettingKind::Choice)
                QVERIFY(panel.comboBox(name));
            else if (listed && i.kind != SettingKind::Bool)
                QVERIFY(panel.slider(name) && panel.spinBox(name));
            // What the running network cannot take is offered for a new one, never dropped.
            if (listed && !i.live)
                QVERIFY(panel.newNetworkButton(name));
        }
    }

    void seedIsKeptWhole() {
        ParameterPanel panel;
        Settings s = panel.settings();
        s.structure.seed = 18446744073709551615ULL;
        panel.setSettings(s);
        QSignalSpy spy(&panel, &ParameterPanel::structureChangeRequested);
        panel.setConfirmHandler([](const QString&) { return true; });
        panel.findChild<QPushButton*>(QStringLiteral("apply_structure"))->click();
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).value<StructureSettings>().seed, 18446744073709551615ULL);
    }

    void structureChangeAsksFirst() {
        ParameterPanel panel;
        QSignalSpy spy(&panel, &ParameterPanel::structureChangeRequested);
        int asked = 0;
        bool answer = false;
        panel.setConfirmHandler([&](const QString&) {
            ++asked;
            return answer;
        });
        auto* apply = panel.findChild<QPushButton*>(QStringLiteral("apply_structure"));
        QVERIFY(apply);
        apply->click();
        QCOMPARE(asked, 1);
        QCOMPARE(spy.count(), 0);
        answer = true;
        apply->click();
        QCOMPARE(spy.count(), 1);
    }
};

QTEST_MAIN(TestParameterPanel)
#include "test_parameter_panel.moc"
