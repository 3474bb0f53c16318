// The charts: the reconstruction panels, time series and their markers, the weight histogram.
#include <QChart>
#include <QPainter>
#include <QTextDocument>
#include <QtTest>

#include "Charts.h"
#include "HattedText.h"
#include "Histograms.h"
#include "ReconstructionView.h"
#include "TimeSeriesChart.h"
#include "WidgetTestData.h"

using namespace stdp;
using namespace stdp::gui;
using namespace stdp::widget_test;

class TestCharts : public QObject {
    Q_OBJECT
  private slots:
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

    // The additive read-out's formula under its pane: in a narrow view the tight form, so that
    // the centred caption is not cut at both ends.
    void readOutCaptionFitsANarrowView() {
        auto s = std::make_shared<ReconstructionSnapshot>();
        s->patch_size = 5;
        s->patch.assign(25, 0.5f);
        s->patch_recon.assign(25, 0.5f);
        s->additive_gain = 0.125;
        s->hurdle_added = true;
        ReconstructionView view;
        view.resize(1200, 300);
        view.setSnapshot(s);
        const QString wide = view.captions().at(1).section(QLatin1Char('\n'), 0, 0);
        QVERIFY(wide.contains(QStringLiteral(" + ")));
        view.resize(330, 150);
        const QString narrow = view.captions().at(1).section(QLatin1Char('\n'), 0, 0);
        QVERIFY(!narrow.contains(QStringLiteral(" + ")));
        QVERIFY(view.fontMetrics().horizontalAdvance(narrow) <
                view.fontMetrics().horizontalAdvance(wide));
    }

    // The gain under the additive read-out's pane is never elided: a narrow slot drops spaces and
    // then the spike count first (it read "g = 0.…" for coop-natural's 0.085 at 1280x720).
    void readOutGainStaysWhole() {
        auto s = std::make_shared<ReconstructionSnapshot>();
        s->patch_size = 16;
        s->patch.assign(256, 0.5f);
        s->patch_recon.assign(256, 0.5f);
        s->additive_gain = 0.085;
        s->hurdle_added = true;
        s->patch_spikes = 12;
        ReconstructionView view;
        for (const int width : {1200, 420, 330, 260}) {
            view.resize(width, 150);
            view.setSnapshot(s);
            const QString shown = view.captions().at(1).section(QLatin1Char('\n'), 1, 1);
            QVERIFY2(shown.contains(QStringLiteral("0.085")), qPrintable(shown));
            QVERIFY2(view.fontMetrics().horizontalAdvance(shown) <= view.slotWidth() ||
                         shown == QStringLiteral("g = 0.085"),
                     qPrintable(QStringLiteral("%1 at %2").arg(shown).arg(width)));
        }
    }

    // An axis of quantities that cannot be negative never goes below 0, empty or not; the code
    // statistics' fraction axis spans 0 to a round number at most 1.
    void valueAxesOfNonNegativeDataStartAtZero_data() {
        QTest::addColumn<double>("lo");
        QTest::addColumn<double>("hi");
        QTest::newRow("empty") << -1.0 << -1.0;
        QTest::newRow("near zero") << 0.0348 << 0.3;
        QTest::newRow("zero") << 0.0 << 0.05;
        QTest::newRow("constant") << 0.2 << 0.2;
        QTest::newRow("away from zero") << 0.0694 << 0.4438;
    }
    void valueAxesOfNonNegativeDataStartAtZero() {
        QFETCH(double, lo);
        QFETCH(double, hi);
        LearningCurves curves;
        curves.resize(900, 300);
        auto code = std::make_shared<ChartData>();
        auto error = std::make_shared<ChartData>();
        if (lo >= 0.0) {
            code->series.push_back(
                {QStringLiteral("Treves–Rolls"), Qt::green, false, {{0, lo}, {100, hi}}});
            code->series.push_back(
                {QStringLiteral("spikes/step"), Qt::blue, true, {{0, 0.87}, {100, 1.07}}});
            error->series.push_back(
                {QStringLiteral("RMSE"), Qt::blue, false, {{0, lo}, {100, hi}}});
        }
        curves.setData(error, code);
        const auto [fraction_lo, fraction_hi] = curves.codeChart()->valueAxisRange(0);
        QCOMPARE(fraction_lo, 0.0);
        QVERIFY2(fraction_hi <= 1.0 && fraction_hi >= (lo >= 0.0 ? hi : 0.0),
                 qPrintable(QString::number(fraction_hi)));
        QVERIFY(curves.codeChart()->valueAxisRange(1).first >= 0.0);
        const auto [error_lo, error_hi] = curves.errorChart()->valueAxisRange(0);
        QVERIFY2(error_lo >= 0.0, qPrintable(QString::number(error_lo)));
        QVERIFY(error_lo <= std::max(lo, 0.0) && error_hi >= hi);
    }

    // A threshold that has settled moves in its fifth digit: the axis stays wide enough for its
    // four-digit tick labels to differ.
    void settledSeriesKeepsDistinctTickLabels() {
        ThresholdChart chart;
        chart.resize(400, 300);
        auto d = std::make_shared<ChartData>();
        d->series.push_back(
            {QStringLiteral("θ"), Qt::red, false, {{0, 0.14996}, {1, 0.15004}, {2, 0.15}}});
        chart.setData(d);
        const auto [lo, hi] = chart.valueAxisRange(0);
        QVERIFY2(hi - lo >= 0.01 * 0.15, qPrintable(QStringLiteral("%1 .. %2").arg(lo).arg(hi)));
        QVERIFY(lo <= 0.14996 && hi >= 0.15004);
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
        QCOMPARE(h.axisTop(), 4.0);
    }

    // Before any win the count axis reads 0 to 1, not 0 to 1e-12.
    void winCountsBeforeAnyWin() {
        WinCounts wins;
        wins.resize(300, 150);
        auto s = knownFields();
        s->recent_wins.assign(4, 0);
        s->recent_steps = 0;
        wins.setSnapshot(s);
        QCOMPARE(wins.axisTop(), 1.0);
        QVERIFY(!wins.grab().isNull());
        s = knownFields();
        wins.setSnapshot(s);
        QCOMPARE(wins.axisTop(), 10.0);
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
    // The reconstruction's x̂ keeps its hat at every size: Qt's shaping of DejaVu Sans put the
    // combining circumflex through the x at 11-13 px and dropped it at 24 px.
    void hatSitsOverTheLetter_data() {
        QTest::addColumn<int>("pixels");
        QTest::addColumn<bool>("line");  // drawHattedLine at a baseline, else in a rectangle
        for (int px : {9, 11, 13, 16, 24})
            for (bool line : {false, true})
                QTest::addRow("%d px%s", px, line ? " line" : "") << px << line;
    }

    void hatSitsOverTheLetter() {
        QFETCH(int, pixels);
        QFETCH(bool, line);
        const auto render = [&](const QString& text) {
            QImage image(6 * pixels, 3 * pixels, QImage::Format_RGB32);
            image.fill(Qt::white);
            QPainter painter(&image);
            QFont font;
            font.setPixelSize(pixels);
            painter.setFont(font);
            painter.setPen(Qt::black);
            if (line)
                drawHattedLine(painter, pixels, 2 * pixels, text);
            else
                drawHattedText(painter, QRectF(pixels, 0, 4 * pixels, 3 * pixels),
                               Qt::AlignLeft | Qt::AlignVCenter, text);
            return image;
        };
        const QString hatted = QStringLiteral("x\u0302 = g");
        QCOMPARE(withoutHats(hatted), QStringLiteral("x = g"));
        // The same line with the hat on the g instead: the x is drawn the same way, bare.
        const QImage plain = render(QStringLiteral("x = g\u0302"));
        const QImage with_hat = render(hatted);
        const auto dark = [](const QImage& im, int x, int y) {
            return qGray(im.pixel(x, y)) < 160;
        };
        // The x's ink: the columns left of the first gap after it, its top row.
        int x_right = -1;
        int x_top = plain.height();
        for (int x = 0; x < plain.width(); ++x) {
            bool ink = false;
            for (int y = 0; y < plain.height(); ++y)
                if (dark(plain, x, y)) {
                    ink = true;
                    x_top = std::min(x_top, y);
                }
            if (ink)
                x_right = x;
            else if (x_right >= 0)
                break;
        }
        QVERIFY(x_right > pixels);
        // Over the x's columns every pixel the hat adds lies just above the x; and there is one.
        int added = 0;
        for (int y = 0; y < plain.height(); ++y)
            for (int x = pixels - 1; x <= x_right + 1; ++x)
                if (dark(with_hat, x, y) && !dark(plain, x, y)) {
                    ++added;
                    QVERIFY2(y < x_top && y >= x_top - pixels / 2,
                             qPrintable(QStringLiteral("ink at (%1, %2); the x's top is row %3")
                                            .arg(x)
                                            .arg(y)
                                            .arg(x_top)));
                }
        QVERIFY2(added >= 2, "no circumflex over the x");
    }
    // Tooltips are drawn by Qt: their x̂ is set in DejaVu Serif, whose circumflex sits on the x.
    void tooltipHatsAreSerif() {
        const QString html = hattedRichText(QStringLiteral("x\u0302 < y & z"));
        QVERIFY(
            html.contains(QStringLiteral("font-family: 'DejaVu Serif', serif\">x\u0302</span>")));
        QVERIFY(html.contains(QStringLiteral("&lt; y &amp; z")));
        QVERIFY(Qt::mightBeRichText(html));
        ReconstructionView view;
        QVERIFY(view.toolTip().contains(QStringLiteral("serif\">x\u0302</span> = Σ c_j w_j")));
    }
};

QTEST_MAIN(TestCharts)
#include "test_charts.moc"
