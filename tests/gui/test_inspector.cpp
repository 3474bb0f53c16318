// The neuron inspector: the selected neuron, its history, no chart while hidden.
#include <QLineSeries>
#include <QtTest>

#include "Charts.h"
#include "NeuronInspector.h"
#include "WidgetTestData.h"

using namespace stdp;
using namespace stdp::gui;
using namespace stdp::widget_test;

class TestInspector : public QObject {
    Q_OBJECT
  private slots:
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

    // At the width a 1280x720 window leaves it, every line is shown whole: wrapped at its words
    // beside the field, then below it, and the history chart starts under the last row.
    void linesWrapInsteadOfBeingCut() {
        for (const int width : {240, 300, 420}) {
            NeuronInspector view;
            view.resize(width, 420);
            view.setSnapshot(knownFields());
            view.setNeuron(1);
            view.setFieldNotes(
                {QString(), QStringLiteral("census: Gabor, R² 0.91, f 0.125 c/px, bars 30°, "
                                           "at (3.5, 4.0)")});
            const QList<QStringList> forms = view.lineForms();
            const QVector<NeuronInspector::Row> rows = view.rows();
            QFont bold = view.font();
            bold.setBold(true);
            int bottom = 0;
            for (const NeuronInspector::Row& row : rows) {
                const QFontMetrics fm = row.bold ? QFontMetrics(bold) : view.fontMetrics();
                QVERIFY2(fm.horizontalAdvance(row.text) <= row.room, qPrintable(row.text));
                QVERIFY(row.baseline.x() + row.room <= view.width());
                // Beside the field, never over it.
                if (row.baseline.y() - view.fontMetrics().ascent() <= view.fieldRect().bottom())
                    QVERIFY(row.baseline.x() > view.fieldRect().right());
                bottom = row.baseline.y();
            }
            // Each line whole, in one of its forms (the longest that fits a row, else wrapped).
            const auto words = [](const QString& text) {
                return text.split(QLatin1Char(' '), Qt::SkipEmptyParts).join(QLatin1Char(' '));
            };
            qsizetype r = 0;
            bool all_longest = true;
            for (const QStringList& line : forms) {
                QString joined;
                bool matched = false;
                while (r < rows.size() && !matched) {
                    joined += (joined.isEmpty() ? QString() : QStringLiteral(" ")) + rows[r++].text;
                    for (const QString& form : line)
                        matched = matched || words(form) == words(joined);
                }
                QVERIFY2(matched, qPrintable(line.front()));
                all_longest = all_longest && words(joined) == words(line.front()) &&
                              !joined.contains(QLatin1Char('\n'));
            }
            QCOMPARE(r, rows.size());
            if (width < 420)  // the case at hand: some line is shortened or wrapped
                QVERIFY(!all_longest || rows.size() > forms.size());
            QVERIFY(view.historyChart()->geometry().top() > bottom);
        }
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
};

QTEST_MAIN(TestInspector)
#include "test_inspector.moc"
