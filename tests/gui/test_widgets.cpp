// Each view renders a known snapshot: the pixels are checked, not only that it ran.
#include <QAbstractAxis>
#include <QAbstractSeries>
#include <QApplication>
#include <QChart>
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStyleOptionSlider>
#include <QTableView>
#include <QToolButton>
#include <QWheelEvent>
#include <QtTest>

#include "AboutModelPanel.h"
#include "ChangeLogView.h"
#include "Charts.h"
#include "FieldImage.h"
#include "Histograms.h"
#include "NeuronInspector.h"
#include "ParameterPanel.h"
#include "ReceptiveFieldMosaic.h"
#include "ReconstructionView.h"
#include "SpikeRaster.h"
#include "TimeSeriesChart.h"
#include "model/Presets.h"

using namespace stdp;
using namespace stdp::gui;

namespace {

constexpr int kGreyTolerance = 2;

// p = 2, K = 4: neuron 0 all 0, neuron 1 all 1, neuron 2 all 0.5, neuron 3 a ramp 0.2..0.8.
std::shared_ptr<FieldsSnapshot> knownFields() {
    auto s = std::make_shared<FieldsSnapshot>();
    s->patch_size = 2;
    s->weights = WeightMatrix::Zero(4, 4);
    s->weights.col(1).setConstant(1.0f);
    s->weights.col(2).setConstant(0.5f);
    s->weights.col(3) << 0.2f, 0.4f, 0.6f, 0.8f;
    s->thresholds = {0.15f};
    s->wins = {0, 10, 10, 10};
    s->recent_wins = {0, 10, 10, 10};
    s->recent_steps = 5000;
    s->raster_spikes = {0, 1, 2, 3};
    return s;
}

int greyAt(const QImage& img, QPoint p) {
    return qGray(img.pixel(p));
}

}  // namespace

class TestWidgets : public QObject {
    Q_OBJECT
  private slots:
    void greyLevels_data() {
        QTest::addColumn<float>("value");
        QTest::addColumn<int>("grey");
        QTest::newRow("low") << 0.0f << 0;
        QTest::newRow("mid") << 0.5f << 128;
        QTest::newRow("high") << 1.0f << 255;
        QTest::newRow("clamped") << 2.0f << 255;
    }
    void greyLevels() {
        QFETCH(float, value);
        QFETCH(int, grey);
        QCOMPARE(greyLevel(value, {0.0f, 1.0f}), grey);
    }

    void mosaicSharedContrast() {
        ReceptiveFieldMosaic view;
        view.resize(240, 240);
        view.setSnapshot(knownFields());
        const QImage img = view.grab().toImage();
        QCOMPARE(greyAt(img, view.cellRect(0).center()), 0);
        QCOMPARE(greyAt(img, view.cellRect(1).center()), 255);
        QVERIFY(std::abs(greyAt(img, view.cellRect(2).center()) - 128) <= kGreyTolerance);
        // The ramp: top-left pixel 0.2 -> 51, bottom-right 0.8 -> 204 (shared scale [0, 1]).
        const QRect r = view.cellRect(3);
        QVERIFY(std::abs(greyAt(img, r.topLeft() + QPoint(2, 2)) - 51) <= kGreyTolerance);
        QVERIFY(std::abs(greyAt(img, r.bottomRight() - QPoint(2, 2)) - 204) <= kGreyTolerance);
    }

    void mosaicPerNeuronContrast() {
        ReceptiveFieldMosaic view;
        view.resize(240, 240);
        view.setContrast(Contrast::PerNeuron);
        view.setSnapshot(knownFields());
        const QImage img = view.grab().toImage();
        const QRect r = view.cellRect(3);
        QCOMPARE(greyAt(img, r.topLeft() + QPoint(2, 2)), 0);  // its own minimum: black
        QCOMPARE(greyAt(img, r.bottomRight() - QPoint(2, 2)), 255);
    }

    void mosaicOnOffIsSigned() {
        auto s = std::make_shared<FieldsSnapshot>();
        s->patch_size = 1;
        s->onoff = true;
        s->weights = WeightMatrix::Zero(2, 3);  // rows: ON, OFF
        s->weights(0, 0) = 0.5f;                // +0.5: white
        s->weights(1, 1) = 0.5f;                // -0.5: black
        s->thresholds = {0.2f};                 // neuron 2: 0 -> mid-grey
        ReceptiveFieldMosaic view;
        view.resize(200, 200);
        view.setSnapshot(s);
        const QImage img = view.grab().toImage();
        QCOMPARE(greyAt(img, view.cellRect(0).center()), 255);
        QCOMPARE(greyAt(img, view.cellRect(1).center()), 0);
        QVERIFY(std::abs(greyAt(img, view.cellRect(2).center()) - 128) <= kGreyTolerance);
    }

    void mosaicClickSelects() {
        ReceptiveFieldMosaic view;
        view.resize(240, 240);
        view.setSnapshot(knownFields());
        QSignalSpy spy(&view, &ReceptiveFieldMosaic::neuronSelected);
        QTest::mouseClick(&view, Qt::LeftButton, {}, view.cellRect(2).center());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toInt(), 2);
        QCOMPARE(view.selected(), 2);
        QCOMPARE(view.neuronAt(QPoint(0, 0)), -1);
    }

    void deadAndDominantFlags() {
        auto s = std::make_shared<FieldsSnapshot>();
        s->patch_size = 2;
        s->weights = WeightMatrix::Constant(4, 8, 0.5f);
        s->thresholds = {0.15f};
        s->recent_steps = 5000;
        s->recent_wins = {0, 1, 1, 100, 1, 1, 1, 1};
        s->wins = s->recent_wins;
        QCOMPARE(neuronFlag(*s, 0), NeuronFlag::Dead);
        QCOMPARE(neuronFlag(*s, 1), NeuronFlag::Normal);
        QCOMPARE(neuronFlag(*s, 3), NeuronFlag::Dominant);
        s->recent_steps = 10;  // too early to judge
        QCOMPARE(neuronFlag(*s, 0), NeuronFlag::Normal);
        WinCounts wins;
        wins.resize(300, 200);
        s->recent_steps = 5000;
        wins.setSnapshot(s);
        QCOMPARE(wins.deadCount(), 1);
        QCOMPARE(wins.dominantCount(), 1);
        QVERIFY(wins.csv().contains(QStringLiteral("0,0,0,dead")));
        // The dominant bar is painted blue, full height.
        const QImage img = wins.grab().toImage();
        const QRect plot = wins.plotRect();
        const QColor c = img.pixelColor(plot.left() + plot.width() * 7 / 16, plot.bottom() - 3);
        QVERIFY(c.blue() > 200 && c.red() < 100);
    }

    void inspectorShowsNeuron() {
        NeuronInspector view;
        view.resize(400, 200);
        view.setSnapshot(knownFields());
        view.setNeuron(3);
        const QStringList lines = view.lines();
        QVERIFY(lines.first().startsWith(QStringLiteral("Neuron 3 of 4")));
        QVERIFY(lines.join(QLatin1Char('\n')).contains(QStringLiteral("0.1500")));
        const QImage img = view.grab().toImage();
        // Its own contrast: the ramp's smallest weight black, its largest white.
        const QRect f = view.fieldRect();
        QCOMPARE(greyAt(img, f.topLeft() + QPoint(f.width() / 4, f.height() / 4)), 0);
        QCOMPARE(greyAt(img, f.bottomRight() - QPoint(f.width() / 4, f.height() / 4)), 255);
        // Text really renders (fonts present): dark pixels right of the field.
        int dark = 0;
        for (int y = 0; y < 40; ++y)
            for (int x = view.fieldRect().right() + 10; x < img.width(); ++x)
                if (greyAt(img, {x, y}) < 100)
                    ++dark;
        QVERIFY(dark > 50);
    }

    // The selected neuron's θ_j and wins per image over training, drawn from the history, and
    // why it fired or not at the last recorded step.
    void inspectorShowsTheSelectedNeuronsHistory() {
        auto fields = knownFields();
        fields->thresholds = {0.1f, 0.2f, 0.3f, 0.4f};
        auto history = std::make_shared<NeuronHistory>();
        history->units = 4;
        history->images = {100.0, 102.0, 104.0};
        for (int s = 0; s < 3; ++s)
            for (int j = 0; j < 4; ++j) {
                history->theta.push_back(0.1f * static_cast<float>(j + 1) +
                                         0.01f * static_cast<float>(s));
                history->wins.push_back(static_cast<std::uint64_t>(s * (j + 1) * 3));
            }
        fields->history = history;
        NeuronInspector view;
        view.resize(420, 360);
        view.setSnapshot(fields);
        view.setNeuron(2);
        const auto series = view.historyChart()->chart()->series();
        QCOMPARE(series.size(), 2);
        auto points = [&](int i) { return qobject_cast<QLineSeries*>(series[i])->points(); };
        QCOMPARE(points(0), history->thetaSeries(2));
        QCOMPARE(points(0).size(), 3);
        QCOMPARE(points(0)[2].x(), 104.0);
        QCOMPARE(points(0)[2].y(), static_cast<double>(history->thetaAt(2, 2)));
        // Neuron 2 won 9 times in each 2-image interval.
        QCOMPARE(points(1), (QList<QPointF>{{102.0, 4.5}, {104.0, 4.5}}));
        QVERIFY(series[0]->name().contains(QStringLiteral("θ_2")));
        QVERIFY(view.lines().join(QLatin1Char('\n')).contains(QStringLiteral("4.5 per image")));
        view.setNeuron(0);
        QCOMPARE(points(1), (QList<QPointF>{{102.0, 1.5}, {104.0, 1.5}}));
        (void)view.grab();  // lays the chart out, under the text
        QVERIFY(view.historyChart()->geometry().top() >= view.fieldRect().bottom());
        QVERIFY(view.historyChart()->height() >= 130);

        auto step = std::make_shared<StepTrace>();
        step->tick = 41;
        step->units = 4;
        step->potential = {1.0f, 2.0f, 3.0f, 4.0f};
        step->softmax = {0.05f, 0.1f, 0.25f, 0.6f};
        step->theta_before = {0.1f, 0.2f, 0.3f, 0.4f};
        step->fired = {3};
        view.setLastStep(step);
        view.setNeuron(3);
        QVERIFY2(view.lines()
                     .join(QLatin1Char('\n'))
                     .contains(QStringLiteral("step 42: U = 4, P = 0.6 ≥ θ = 0.4: fired")),
                 qPrintable(view.lines().join(QLatin1Char('\n'))));
        view.setNeuron(2);
        QVERIFY(view.lines()
                    .join(QLatin1Char('\n'))
                    .contains(QStringLiteral("P = 0.25 < θ = 0.3: silent")));
    }

    // A hidden inspector keeps the newest frame but builds no chart (Qt Charts' layout costs
    // milliseconds a frame); shown, it charts the newest history.
    void hiddenInspectorBuildsNoChart() {
        auto fields = knownFields();
        auto history = std::make_shared<NeuronHistory>();
        history->units = 4;
        history->images = {0.0, 1.0};
        history->theta.assign(8, 0.2f);
        history->wins.assign(8, 1);
        fields->history = history;
        QWidget window;
        auto* view = new NeuronInspector(&window);
        view->resize(420, 360);
        view->hide();
        window.show();
        view->setSnapshot(fields);
        QVERIFY(view->historyChart()->chart()->series().isEmpty());
        view->show();
        QCOMPARE(view->historyChart()->chart()->series().size(), 2);
    }

    void rasterDrawsSpikes() {
        auto r = std::make_shared<RasterSnapshot>();
        r->inputs = 4;
        r->units = 3;
        r->patch_steps = 4;
        r->current_step = 4;
        r->input_offsets = {0, 0, 1, 1, 1};  // input 2 spikes at step 1
        r->input_indices = {2};
        r->window = 10;
        r->out_offsets = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1};  // neuron 1 fires at step 5
        r->out_indices = {1};
        r->patch_start.assign(10, 0);
        SpikeRaster view;
        view.resize(500, 400);
        view.setSnapshot(r);
        const QImage img = view.grab().toImage();
        auto cell = [](QRect rect, int col, int cols, int row, int rows) {
            return QPoint(rect.left() + (2 * col + 1) * rect.width() / (2 * cols),
                          rect.top() + (2 * row + 1) * rect.height() / (2 * rows));
        };
        QVERIFY(greyAt(img, cell(view.inputRect(), 1, 4, 2, 4)) < 60);     // the spike
        QVERIFY(greyAt(img, cell(view.inputRect(), 0, 4, 2, 4)) > 200);    // no spike
        QVERIFY(greyAt(img, cell(view.outputRect(), 5, 10, 1, 3)) < 100);  // output spike
        QVERIFY(greyAt(img, cell(view.outputRect(), 5, 10, 0, 3)) > 200);
        // Only neuron 1 shown: its spike fills the one row.
        QVERIFY(view.setSelection(QStringLiteral("1")));
        const QImage one = view.grab().toImage();
        QVERIFY(greyAt(one, cell(view.outputRect(), 5, 10, 0, 1)) < 100);
        QString why;
        QVERIFY(!view.setSelection(QStringLiteral("7"), &why));
        QVERIFY(!why.isEmpty());
        QCOMPARE(view.selection(), QStringLiteral("1"));
    }

    void neuronSelection_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QList<int>>("expected");
        QTest::addColumn<bool>("valid");
        QTest::newRow("all") << QStringLiteral("all") << QList<int>{0, 1, 2, 3, 4, 5} << true;
        QTest::newRow("list") << QStringLiteral("4, 0-1, 1") << QList<int>{0, 1, 4} << true;
        QTest::newRow("top") << QStringLiteral("top 1") << QList<int>{3} << true;
        QTest::newRow("out of range") << QStringLiteral("0-6") << QList<int>{} << false;
        QTest::newRow("garbage") << QStringLiteral("x") << QList<int>{} << false;
    }
    void neuronSelection() {
        QFETCH(QString, text);
        QFETCH(QList<int>, expected);
        QFETCH(bool, valid);
        RasterSnapshot r;
        r.units = 6;
        r.out_offsets = {0, 2};
        r.out_indices = {3, 3};
        QString why;
        const auto got = parseNeuronSelection(text, r, &why);
        QCOMPARE(why.isEmpty(), valid);
        QCOMPARE(QList<int>(got.begin(), got.end()), expected);
    }

    void reconstructionPanels() {
        auto s = std::make_shared<ReconstructionSnapshot>();
        s->patch_size = 2;
        s->patch = {1, 1, 1, 1};
        s->patch_recon = {0, 0, 0, 0};
        s->image.rows = s->image.cols = 4;
        s->image.pixels.assign(16, 1.0f);
        ReconstructionView view;
        view.resize(600, 200);
        view.setSnapshot(s);
        const QImage img = view.grab().toImage();
        QCOMPARE(greyAt(img, view.panelRect(0).center()), 255);
        QCOMPARE(greyAt(img, view.panelRect(1).center()), 0);
    }

    void timeSeriesChart() {
        ThresholdChart chart;
        chart.resize(400, 300);
        auto d = std::make_shared<ChartData>();
        d->series.push_back({QStringLiteral("θ"), Qt::red, false, {{0, 0.15}, {1, 0.2}, {2, 0.1}}});
        d->markers.push_back({1.0, QStringLiteral("mu=0.001")});
        chart.setData(d);
        QCOMPARE(chart.pointCount(), 3);
        const QString csv = chart.csv();
        QVERIFY(csv.startsWith(QStringLiteral("series,images,value\n")));
        QVERIFY(csv.contains(QStringLiteral("θ,2,0.1")));
        QVERIFY(csv.contains(QStringLiteral("change: mu=0.001")));
        QVERIFY(!chart.grab().isNull());
        LearningCurves curves;
        curves.setData(d, d);
        QCOMPARE(curves.errorChart()->pointCount(), 3);
    }

    // The view owns its chart, and the chart its axes and series: deleting the view frees them all
    // (under STDP_SANITIZE, LeakSanitizer also checks that nothing else was left behind, such as
    // a default chart replaced without being deleted).
    void timeSeriesChartOwnsItsParts() {
        auto* chart = new TimeSeriesChart(QStringLiteral("t"), QStringLiteral("y"),
                                          QStringLiteral("y2"), QStringLiteral("csv"));
        chart->resize(400, 300);
        auto d = std::make_shared<ChartData>();
        d->series.push_back({QStringLiteral("a"), Qt::red, false, {{0, 1}, {1, 2}}});
        d->series.push_back({QStringLiteral("b"), Qt::blue, true, {{0, 3}, {1, 4}}});
        chart->setData(d);
        QVERIFY(!chart->grab().isNull());
        QList<QPointer<QObject>> parts{chart->chart()};
        for (QObject* axis : chart->chart()->axes())
            parts.append(axis);
        for (QObject* series : chart->chart()->series())
            parts.append(series);
        QCOMPARE(parts.size(), 1 + 3 + 2);
        QCOMPARE(chart->chart()->scene(), chart->scene());
        delete chart;
        for (const QPointer<QObject>& p : parts)
            QVERIFY(p.isNull());
    }

    void weightHistogram() {
        WeightHistogram h;
        h.resize(300, 200);
        auto s = knownFields();
        h.setSnapshot(s);
        const auto& v = h.values();
        QCOMPARE(static_cast<int>(v.size()), WeightHistogram::kBins);
        QCOMPARE(v.front(), 4.0);  // the four zeros of neuron 0
        QCOMPARE(v.back(), 4.0);   // the four ones of neuron 1
        QVERIFY(h.csv().startsWith(QStringLiteral("bin_low,bin_high,count")));
    }

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
        QVERIFY(shown("decoder_gain"));
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
        QVERIFY(!panel.restoreButton(QStringLiteral("hurdle"))->isVisibleTo(&panel));
        QVERIFY(!panel.modeNote()->isVisibleTo(&panel));
        QVERIFY(panel.thresholdLabel()->text().contains(QStringLiteral("threshold")));

        ThresholdChart chart;
        QVERIFY(chart.chart()->title().contains(QStringLiteral("WTA")));
        chart.setAmplitudeCoding(true);
        QVERIFY(chart.chart()->title().contains(QStringLiteral("Hurdle")));
        QVERIFY(chart.toolTip().contains(QStringLiteral("ρ(z_j − p)")));
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
            if (listed && i.kind != SettingKind::Bool)
                QVERIFY(panel.slider(name) && panel.spinBox(name));
        }
    }

    void markerLabelsDoNotOverlap() {
        // Four labels 50 px wide starting 10 px apart: three rows, the fourth left out.
        const auto rows =
            TimeSeriesChart::layoutMarkerLabels({0, 10, 20, 30, 100}, {50, 50, 50, 50, 50}, 3, 6);
        QCOMPARE(rows, (std::vector<int>{0, 1, 2, -1, 0}));
        ThresholdChart chart;
        chart.resize(400, 300);
        auto d = std::make_shared<ChartData>();
        d->series.push_back({QStringLiteral("θ"), Qt::red, false, {{0, 0.15}, {100, 0.2}}});
        for (int i = 0; i < 40; ++i)
            d->markers.push_back({50.0 + i * 0.01, QStringLiteral("mu=%1").arg(i)});
        chart.setData(d);
        QVERIFY(!chart.grab().isNull());
        // Hovering a marker's line names the changes there (the labels left out included).
        const QPointF scene = chart.chart()->mapToPosition(QPointF(50.2, 0.15));
        const double x = chart.mapFromScene(scene).x();
        const QStringList near = chart.markersNear(x);
        QCOMPARE(near.size(), 40);  // 0.4 images apart: all within a few pixels
        QVERIFY(near.join(QLatin1Char('|')).contains(QStringLiteral("mu=20 at 50.2 images")));
        QVERIFY(chart.markersNear(chart.mapFromScene(chart.chart()->mapToPosition({10, 0.15})).x())
                    .isEmpty());
    }

    void changeLogViewShowsAndExports() {
        ChangeLog log;
        ChangeLogView view(&log);
        QCOMPARE(view.rowCount(), 0);
        log.append({1764601445123, 7, 280, "mu", 5e-4, 0.1 + 0.2, ChangeOrigin::User});
        log.append({1764601446123, 8, 320, "mu", 0.1 + 0.2, 5e-4, ChangeOrigin::Undo});
        log.append({1764601447123, 9, 360, "theta", 0.15, 0.2, ChangeOrigin::User});
        view.refresh();
        QCOMPARE(view.rowCount(), 3);
        QCOMPARE(view.table()->model()->index(2, 3).data().toString(),
                 QStringLiteral("0.15 → 0.2"));
        const QModelIndex change = view.table()->model()->index(0, 3);
        QCOMPARE(change.data().toString(), QStringLiteral("0.0005 → 0.30000000000000004"));
        QCOMPARE(view.table()->model()->index(1, 4).data().toString(), QStringLiteral("undo"));
        QCOMPARE(view.csv(), QString::fromStdString(log.csv()));
        QVERIFY(
            view.csv().contains(QStringLiteral(",7,280,mu,0.0005,0.30000000000000004,user\r\n")));
        log.clear();
        view.refresh();
        QCOMPARE(view.rowCount(), 0);
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

    void aboutPanel() {
        AboutModelPanel about;
        QVERIFY(about.toPlainText().contains(QStringLiteral("STDP")));
        QVERIFY(about.toPlainText().contains(QStringLiteral("What to watch for")));
    }
};

QTEST_MAIN(TestWidgets)
#include "test_widgets.moc"
