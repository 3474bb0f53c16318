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
        QTRY_VERIFY_WITH_TIMEOUT(w.census()->latest() != nullptr, kTimeoutMs);
        const CensusPtr r = w.census()->latest();
        QCOMPARE(r->generation, c.generation());
        QVERIFY(r->fields);
        const FieldCensus expected =
            fieldCensus(pixelFilters(r->fields->weights, r->fields->patch_size, r->fields->onoff),
                        r->fields->patch_size);
        QCOMPARE(r->census.shapes, expected.shapes);
        QCOMPARE(r->census.counts, expected.counts);
        QCOMPARE(r->census.fields(), c.settings().structure.units);
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
        QVERIFY(w.census()->latest() == nullptr);
    }
};

QTEST_MAIN(TestCensus)
#include "test_census.moc"
