// The Gabor census under the mosaic: the numbers are core's, computed off the GUI and simulation
// threads, and digits say why there are none.
#include <QLabel>
#include <QtTest>

#include <QCheckBox>
#include <QSettings>
#include <QStandardPaths>

#include "DataSource.h"
#include "FieldCensusRunner.h"
#include "FittingLabel.h"
#include "MainWindow.h"
#include "NeuronInspector.h"
#include "ReceptiveFieldMosaic.h"
#include "ThreadCpuMeter.h"
#include "analysis/GaborFit.h"
#include "model/FieldGrey.h"

using namespace stdp;
using namespace stdp::studio;

namespace {
constexpr int kTimeoutMs = 180000 * STDP_TEST_TIMEOUT_SCALE;
}  // namespace

class TestCensus : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("STDPStudioTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_census"));
    }

    void photographsShowCoresCensus() {
        QSettings().remove(QStringLiteral("censusMarks"));
        MainWindow w;
        w.show();
        QCOMPARE(w.start(QStringLiteral("paper-natural"), QString::fromLatin1(kBuiltinNaturalSpec)),
                 QString());
        SimulationController& c = *w.controller();
        QTRY_VERIFY_WITH_TIMEOUT(c.latest() != nullptr, kTimeoutMs);
        // Fields of every kind, so that the classes (not only "poor fit" of random weights) are
        // compared: Gabors, blobs, global gratings and noise.
        const int p = c.settings().structure.patch_size;
        const int k = c.settings().structure.units;
        QVERIFY(c.settings().structure.onoff);
        InitialState designed;
        designed.weights = WeightMatrix::Zero(2 * p * p, k);
        designed.thresholds = c.latest()->fields->thresholds;
        std::uint32_t noise = 1;
        for (int j = 0; j < k; ++j) {
            GaborParams g;
            g.x0 = g.y0 = (p - 1) / 2.0;
            g.sigma_x = 2.0;
            g.sigma_y = 3.0;
            g.theta = 0.3 * j;
            g.frequency = j % 4 == 1 ? 0.0 : 0.2;
            if (j % 4 == 2)
                g.sigma_x = g.sigma_y = 4.0 * p;
            const Eigen::VectorXd v = renderGabor(g, p);
            for (int i = 0; i < p * p; ++i) {
                noise = noise * 1664525u + 1013904223u;
                const double x = j % 4 == 3 ? (noise >> 8) / double(1 << 24) - 0.5 : v[i];
                designed.weights(i, j) = static_cast<float>(std::max(x, 0.0) / 2);
                designed.weights(i + p * p, j) = static_cast<float>(std::max(-x, 0.0) / 2);
            }
        }
        QVERIFY(c.configure(c.settings(), c.data(), designed));
        QTRY_VERIFY_WITH_TIMEOUT(
            w.census()->latest() && w.census()->latest()->generation == c.generation(), kTimeoutMs);
        const CensusPtr r = w.census()->latest();
        QCOMPARE(r->generation, c.generation());
        QVERIFY(r->fields);
        const FieldCensus expected =
            fieldCensus(pixelFilters(r->fields->weights, r->fields->patch_size, r->fields->onoff),
                        r->fields->patch_size);
        QCOMPARE(r->census.shapes, expected.shapes);
        QCOMPARE(r->census.counts, expected.counts);
        QCOMPARE(r->census.fields(), c.settings().structure.units);
        QVERIFY(expected.count(FieldShape::Gabor) > 0);
        QVERIFY(expected.count(FieldShape::PoorFit) > 0);
        QVERIFY(expected.count(FieldShape::Gabor) + expected.count(FieldShape::PoorFit) <
                expected.fields());
        // The line says at which image the counted fields were taken.
        QCOMPARE(w.censusLine()->fullText(), FieldCensusRunner::summary(expected) +
                                                 QStringLiteral(" — ") +
                                                 FieldCensusRunner::ageText(*r));
        QVERIFY(w.censusLine()->fullText().contains(QStringLiteral("at image %1").arg(r->images)));
        // The words of an entry are held together by no-break spaces (a wrap never splits them).
        QVERIFY(w.censusLine()->text().startsWith(QStringLiteral("Gabor") + QChar::Nbsp));
        QVERIFY(
            w.censusLine()->toolTip().contains(FieldCensusRunner::criterionText().toHtmlEscaped()));
        // No marks until asked for; then each field's tag has its class's colour and name.
        QVERIFY(w.mosaic()->tags().isEmpty());
        w.censusMarks()->setChecked(true);
        const QVector<gui::FieldTag> tags = w.mosaic()->tags();
        QCOMPARE(tags.size(), expected.fields());
        for (int j = 0; j < expected.fields(); ++j) {
            const FieldShape shape = expected.shapes[static_cast<std::size_t>(j)];
            QCOMPARE(tags[j].colour, FieldCensusRunner::shapeColour(shape));
            QCOMPARE(tags[j].name, QString::fromUtf8(fieldShapeName(shape)));
        }
        QVERIFY(w.censusLine()->text().contains(
            FieldCensusRunner::shapeColour(FieldShape::Blob).name()));
        // The inspector names the selected neuron's class and fit.
        auto* inspector = w.findChild<gui::NeuronInspector*>();
        QVERIFY(inspector);
        const int last = expected.fields() - 1;
        inspector->setNeuron(last);
        QVERIFY(inspector->lines().contains(FieldCensusRunner::notes(expected)[last]));
        QVERIFY(FieldCensusRunner::notes(expected)[last].contains(
            QString::fromUtf8(fieldShapeName(expected.shapes.back()))));
        w.censusMarks()->setChecked(false);
        QVERIFY(w.mosaic()->tags().isEmpty());
        // Exported with the chart data: a row per field, the criterion last.
        const QStringList csv = w.census()->csv().trimmed().split(QLatin1Char('\n'));
        QCOMPARE(csv.size(), expected.fields() + 2);
        QVERIFY(csv[1].startsWith(QStringLiteral("0,") +
                                  QString::fromUtf8(fieldShapeName(expected.shapes[0]))));
        QVERIFY(csv.last().contains(FieldCensusRunner::criterionText()));
        // The frequency exported is the carrier the census judges by, in a column that says so;
        // the fitted f has a column of its own (the two differ by more than the columns' 6 digits
        // on some fields, so that a swap would show).
        const QStringList header = csv[0].split(QLatin1Char(','));
        const auto carrier_at = header.indexOf(QStringLiteral("carrier_cycles_per_px"));
        const auto fitted_at = header.indexOf(QStringLiteral("fitted_f_cycles_per_px"));
        QVERIFY(carrier_at >= 0);
        QVERIFY(fitted_at >= 0);
        QVERIFY(!header.contains(QStringLiteral("frequency_cycles_per_px")));
        int differing = 0;
        for (int j = 0; j < expected.fields(); ++j) {
            const QStringList row = csv[j + 1].split(QLatin1Char(','));
            QCOMPARE(row.size(), header.size());
            const GaborParams& g = expected.fits[static_cast<std::size_t>(j)].params;
            const double carrier = gaborCarrierFrequency(g);
            QVERIFY(std::abs(row[carrier_at].toDouble() - carrier) <= 1e-5 * (1.0 + carrier));
            QVERIFY(std::abs(row[fitted_at].toDouble() - g.frequency) <=
                    1e-5 * (1.0 + g.frequency));
            if (std::abs(carrier - g.frequency) > 1e-3)
                ++differing;
        }
        QVERIFY2(differing > 0, qPrintable(QString::number(differing)));
        // Neither the GUI thread nor the simulation's.
        QVERIFY(r->computed_in != nullptr);
        QVERIFY(r->computed_in != QThread::currentThread());
        // The runner's own: "census" at nice 19, or on a busy machine "census-busy".
        QVERIFY(r->computed_in->objectName().startsWith(QStringLiteral("census")));
    }

    // At 1280x720 the legend of a K = 64 census fits two lines under the mosaic (the full one
    // took three); shortened, its tooltip gives it whole. A narrow inspector wraps the census line
    // at its words.
    void censusFitsAProjector() {
        MainWindow w;
        w.resize(1280, 720);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QApplication::processEvents();
        FieldCensus c;
        c.shapes.assign(64, FieldShape::PoorFit);
        c.counts = {23, 5, 3, 2, 0, 25, 6};
        gui::FittingLabel* line = w.censusLine();
        line->setTexts(
            {FieldCensusRunner::summary(c, true), FieldCensusRunner::summary(c, true, true)});
        const auto lines = [line](const QString& text) {
            QLabel probe;
            probe.setWordWrap(true);
            probe.setContentsMargins(line->contentsMargins());
            probe.setText(text);
            return probe.heightForWidth(line->width()) / line->fontMetrics().lineSpacing();
        };
        QVERIFY2(lines(line->fullText()) >= 3, "the full legend does not fit: the case at hand");
        QVERIFY2(lines(line->text()) <= 2, qPrintable(line->text()));
        QCOMPARE(line->text(), FieldCensusRunner::summary(c, true, true));
        QVERIFY(line->toolTip().contains(line->fullText()));
        QVERIFY(line->toolTip().contains(FieldCensusRunner::criterionText().toHtmlEscaped()));
        line->resize(2000, line->height());  // room: the full legend, the plain tooltip
        QCOMPARE(line->text(), line->fullText());
        QVERIFY(!line->toolTip().contains(line->fullText()));

        gui::NeuronInspector inspector;
        auto fields = std::make_shared<gui::FieldsSnapshot>();
        fields->patch_size = 8;
        fields->weights = WeightMatrix::Constant(64, 2, 0.5f);
        fields->thresholds = {0.2f};
        inspector.setSnapshot(fields);
        const QString note =
            QStringLiteral("census: Gabor, R² 0.91, f 0.125 c/px, bars 30°, at (3.5, 4.0)");
        inspector.setFieldNotes({note, note});
        inspector.resize(260, 200);
        // The note wraps at its words (nothing is cut): its rows, joined, are the note.
        const QVector<gui::NeuronInspector::Row> rows = inspector.rows();
        qsizetype first = -1;
        for (qsizetype i = 0; i < rows.size(); ++i) {
            QVERIFY2(inspector.fontMetrics().horizontalAdvance(rows[i].text) <= rows[i].room,
                     qPrintable(rows[i].text));
            if (first < 0 && rows[i].text.startsWith(QStringLiteral("census:")))
                first = i;
        }
        QVERIFY(first >= 0);
        QString joined = rows[first].text;
        qsizetype used = 1;
        while (joined.size() < note.size() && first + used < rows.size())
            joined += QLatin1Char(' ') + rows[first + used++].text;
        QVERIFY2(used > 1, "the note fits a line: not the case at hand");
        QCOMPARE(joined, note);
    }

    // The Mark switch comes back as it was left, as the other view switches do.
    void markSwitchIsRemembered() {
        QSettings().setValue(QStringLiteral("censusMarks"), true);
        {
            MainWindow w;
            QVERIFY(w.censusMarks()->isChecked());
            w.censusMarks()->setChecked(false);
        }
        MainWindow w;
        QVERIFY(!w.censusMarks()->isChecked());
        QSettings().remove(QStringLiteral("censusMarks"));
    }

    // While other programs keep the machine busy the census waits as the evaluations do; paused
    // it runs at once.
    void censusWaitsForABusyMachine() {
        FieldCensusRunner runner;
        runner.networkReplaced(7);
        double load = 1000.0;  // every core taken by other programs
        runner.setOtherLoadProbe([&load] { return load; });
        auto fields = std::make_shared<gui::FieldsSnapshot>();
        fields->patch_size = 8;
        fields->weights = WeightMatrix::Random(64, 4).cwiseAbs();
        const auto snapshot = [&fields](std::uint64_t steps, bool running) {
            auto s = std::make_shared<Snapshot>();
            s->generation = 7;
            s->running = running;
            s->counters.steps = steps;
            s->fields = fields;
            return SnapshotPtr(s);
        };
        runner.offerAt(snapshot(100, true), 0);  // the first one of a network: at once
        QTRY_VERIFY_WITH_TIMEOUT(runner.latest() && runner.latest()->steps == 100, kTimeoutMs);
        const qint64 later = FieldCensusRunner::kIntervalMs + 1000;
        runner.offerAt(snapshot(200, true), later);
        QVERIFY(runner.deferred());
        load = 0.0;  // quiet again
        runner.offerAt(snapshot(300, true), later);
        QVERIFY(!runner.deferred());
        QTRY_VERIFY_WITH_TIMEOUT(runner.latest()->steps == 300, kTimeoutMs);
        load = 1000.0;
        runner.offerAt(snapshot(400, false), later + 10);  // paused: the core is free
        QVERIFY(!runner.deferred());
        QTRY_VERIFY_WITH_TIMEOUT(runner.latest()->steps == 400, kTimeoutMs);
        runner.offerAt(snapshot(500, true),
                       later + 10 + FieldCensusRunner::kBusyIntervalMs);  // the busy interval
        QTRY_VERIFY_WITH_TIMEOUT(runner.latest()->steps == 500, kTimeoutMs);
        // Every census of the busy machine ran beside the simulation, not at nice 19 where the
        // fits waited minutes; the quiet one in the background.
        QCOMPARE(runner.insistentCensuses(), 3);
        QCOMPARE(runner.latest()->computed_in->objectName(), QStringLiteral("census-busy"));
    }

    // A census says when it was taken, and is stale once the network has learned a good deal
    // more since: kStalePatches patches and a quarter more than it had learned by then.
    void censusSaysItsAge() {
        CensusResult c;
        c.generation = 3;
        c.images = 12;
        c.patches = 40000;
        QVERIFY(FieldCensusRunner::ageText(c).startsWith(QStringLiteral("at image 12")));
        QVERIFY(FieldCensusRunner::ageText(c).contains(QLocale().toString(40000)));
        QCOMPARE(FieldCensusRunner::ageText(c, true), QStringLiteral("at image 12"));
        Snapshot now;
        now.generation = 3;
        now.counters.patches = c.patches + FieldCensusRunner::kStalePatches;
        QVERIFY(!FieldCensusRunner::stale(c, now));  // a few thousand of 45,000: still right
        now.counters.patches = c.patches + 10000;
        QVERIFY(!FieldCensusRunner::stale(c, now));
        now.counters.patches = c.patches + 10001;
        QVERIFY(FieldCensusRunner::stale(c, now));
        now.patches_offset = 100000;  // a loaded bundle had learned far more already
        QVERIFY(!FieldCensusRunner::stale(c, now));
        CensusResult first = c;  // the census of an untrained network ages at once
        first.patches = 0;
        now.patches_offset = 0;
        now.counters.patches = FieldCensusRunner::kStalePatches + 1;
        QVERIFY(FieldCensusRunner::stale(first, now));
        now.generation = 4;  // another network's snapshot says nothing about this census
        QVERIFY(!FieldCensusRunner::stale(first, now));
    }

    void digitsSayWhyThereIsNone() {
        MainWindow w;
        w.show();
        QCOMPARE(w.start(QStringLiteral("paper-mnist"), QString::fromLatin1(kBuiltinSpec)),
                 QString());
        SimulationController& c = *w.controller();
        QTRY_VERIFY_WITH_TIMEOUT(c.latest() != nullptr, kTimeoutMs);
        QTest::qWait(200);
        QCOMPARE(w.censusLine()->text(), FieldCensusRunner::notApplicableText());
        QVERIFY(!w.censusMarks()->isEnabled());
        QVERIFY(w.census()->latest() == nullptr);
    }

    void censusThreadYields() {
#ifdef __linux__
        FieldCensusRunner runner;
        auto censusNice = [] {
            for (const ThreadCpu& t : threadCpuTimes())
                if (t.name == "census")
                    return t.nice;
            return -100;
        };
        QTRY_COMPARE_WITH_TIMEOUT(censusNice(), 19, kTimeoutMs);
#else
        QSKIP("per-thread nice values are read from Linux's /proc");
#endif
    }
};

QTEST_MAIN(TestCensus)
#include "test_census.moc"
