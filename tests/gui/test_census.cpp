// The Gabor census under the mosaic: the numbers are core's, computed off the GUI and simulation
// threads, and digits say why there are none.
#include <QLabel>
#include <QtTest>

#include <QCheckBox>
#include "DataSource.h"
#include "FieldCensusRunner.h"
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
        QCoreApplication::setOrganizationName(QStringLiteral("STDPStudioTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_census"));
    }

    void photographsShowCoresCensus() {
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
        QCOMPARE(w.censusLine()->text(), FieldCensusRunner::summary(expected));
        QVERIFY(w.censusLine()->text().startsWith(QStringLiteral("Gabor ")));
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
        // Neither the GUI thread nor the simulation's.
        QVERIFY(r->computed_in != nullptr);
        QVERIFY(r->computed_in != QThread::currentThread());
        QCOMPARE(r->computed_in->objectName(), QStringLiteral("census"));
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
