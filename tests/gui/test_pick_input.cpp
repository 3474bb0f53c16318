// Pick the input: an image of the data chosen by its number, or one patch clicked on the
// reconstruction view, runs through the live network next, so that every view shows it. Frozen,
// it changes no weight and training resumes as if it never ran; learning, the network keeps what
// it learnt and the run can no longer be exported as an experiment.
#include <QCheckBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include "InputPicker.h"
#include "MainWindow.h"
#include "ReconstructionView.h"
#include "data/Dataset.h"

using namespace stdp;
using namespace stdp::studio;

namespace {
constexpr int kTimeoutMs = 180000 * STDP_TEST_TIMEOUT_SCALE;

void trainSome(MainWindow& w, std::uint64_t images) {
    SimulationController& c = *w.controller();
    QTRY_VERIFY_WITH_TIMEOUT(c.latest() != nullptr, kTimeoutMs);
    c.play(images);
    QTRY_VERIFY_WITH_TIMEOUT(!c.latest()->running && c.latest()->counters.images >= images,
                             kTimeoutMs);
}

// paper-mnist on the built-in digits, `images` of them trained.
bool startAndTrain(MainWindow& w, std::uint64_t images) {
    w.resize(1400, 900);
    w.show();
    if (!w.start(QStringLiteral("paper-mnist"), QString::fromLatin1(kBuiltinSpec)).isEmpty())
        return false;
    trainSome(w, images);
    return !QTest::currentTestFailed();
}

// Steps the presentation through to its end, one patch at a time as a teacher would.
void stepThroughPresentation(SimulationController& c) {
    for (int guard = 0; guard < 10000 && c.latest()->presentation.active; ++guard) {
        const std::size_t patch = c.latest()->presentation.patch;
        c.step(StepUnit::Patch);
        QTRY_VERIFY_WITH_TIMEOUT(
            !c.latest()->presentation.active || c.latest()->presentation.patch != patch,
            kTimeoutMs);
    }
}
}  // namespace

class TestPickInput : public QObject {
    Q_OBJECT
  private slots:
    void aChosenImageRunsFrozenThroughEveryView() {
        MainWindow w;
        QVERIFY(startAndTrain(w, 3));
        SimulationController& c = *w.controller();
        const SnapshotPtr before = c.latest();
        gui::InputPicker& picker = *w.inputPicker();
        auto* index = picker.findChild<QSpinBox*>(QStringLiteral("pickImage"));
        QVERIFY(index && index->maximum() > 40);
        index->setValue(40);
        QVERIFY(!picker.learns());
        picker.findChild<QPushButton*>(QStringLiteral("pickPresent"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(c.latest()->presentation.active, kTimeoutMs);
        QVERIFY(picker.statusText().contains(QStringLiteral("image 40")));
        QVERIFY(picker.statusText().contains(QStringLiteral("frozen")));

        c.step(StepUnit::Patch);
        QTRY_VERIFY_WITH_TIMEOUT(c.latest()->presented, kTimeoutMs);
        const SnapshotPtr shown = c.latest();
        QCOMPARE(shown->image.get(), &c.data().train->images[40]);  // the data's own image
        QCOMPARE(shown->image_index, std::size_t{40});
        QVERIFY(shown->image_in_data);
        QCOMPARE(shown->counters.steps, before->counters.steps);  // not a training step
        QVERIFY(shown->raster && shown->raster->patch_steps > 0);

        stepThroughPresentation(c);
        QVERIFY(!c.latest()->presentation.active);
        QCOMPARE(c.latest()->counters.images, before->counters.images);
        QCOMPARE(c.latest()->fields->weights, before->fields->weights);  // frozen
        QCOMPARE(c.latest()->fields->thresholds, before->fields->thresholds);
        QVERIFY(picker.statusText().contains(QStringLiteral("Presented")));

        // Training resumes as the same network that never presented anything.
        c.play(5);
        QTRY_VERIFY_WITH_TIMEOUT(!c.latest()->running && c.latest()->counters.images >= 5,
                                 kTimeoutMs);
        const SnapshotPtr resumed = c.latest();
        MainWindow plain;
        QCOMPARE(plain.start(QStringLiteral("paper-mnist"), QString::fromLatin1(kBuiltinSpec)),
                 QString());
        trainSome(plain, 5);
        QCOMPARE(resumed->counters.steps, plain.controller()->latest()->counters.steps);
        QCOMPARE(resumed->fields->weights, plain.controller()->latest()->fields->weights);
    }

    void aClickOnTheImagePresentsThatPatch() {
        MainWindow w;
        QVERIFY(startAndTrain(w, 2));
        SimulationController& c = *w.controller();
        c.step(StepUnit::Patch);
        QTRY_VERIFY_WITH_TIMEOUT(c.latest()->has_patch, kTimeoutMs);
        gui::ReconstructionView& view = *w.findChild<gui::ReconstructionView*>();
        // The reconstruction view paints the image once the analysis has reassembled it.
        QTRY_VERIFY_WITH_TIMEOUT(view.patchAt(view.panelRect(2).center()).has_value(), kTimeoutMs);
        const QRect image = view.panelRect(2);
        const std::shared_ptr<const Image> shown = c.latest()->image;
        // Near the top-left corner: the patch centred there hangs over the zero padding.
        const QPoint click = image.topLeft() + QPoint(image.width() / 4, image.height() / 2);
        const QPoint expected = *view.patchAt(click);
        QTest::mouseClick(&view, Qt::LeftButton, {}, click);
        QTRY_VERIFY_WITH_TIMEOUT(c.latest()->presentation.active, kTimeoutMs);
        QCOMPARE(c.latest()->presentation.patches, std::size_t{1});
        c.step(StepUnit::Patch);
        QTRY_VERIFY_WITH_TIMEOUT(c.latest()->presented && !c.latest()->presentation.active,
                                 kTimeoutMs);
        QCOMPARE(c.latest()->patch_row, expected.y());
        QCOMPARE(c.latest()->patch_col, expected.x());
        QCOMPARE(c.latest()->image.get(), shown.get());
        const int p = c.latest()->settings.structure.patch_size;
        QCOMPARE(c.latest()->patch_pixels.size(), std::size_t(p * p));
    }

    // θ learnt from a chosen input reaches the threshold chart, although the images seen stand
    // still (its steps are not training steps).
    void thresholdChartShowsWhatAChosenInputTeaches() {
        MainWindow w;
        QVERIFY(startAndTrain(w, 2));
        SimulationController& c = *w.controller();
        gui::InputPicker& picker = *w.inputPicker();
        picker.findChild<QCheckBox*>(QStringLiteral("pickLearn"))->setChecked(true);
        picker.findChild<QSpinBox*>(QStringLiteral("pickImage"))->setValue(7);
        picker.findChild<QPushButton*>(QStringLiteral("pickPresent"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(c.latest()->presentation.active, kTimeoutMs);
        const double x = c.latest()->images_progress;
        const float theta = c.latest()->theta_mean;
        c.step(StepUnit::Patch);
        QTRY_VERIFY_WITH_TIMEOUT(c.latest()->theta_mean != theta, kTimeoutMs);
        QVERIFY(c.latest()->presentation.active);
        QCOMPARE(c.latest()->images_progress, x);  // the axis stood still
        // The chart data is a fresh snapshot: hold it while its points are read.
        const auto chart = c.history().thresholdData();
        const QList<QPointF>& shown = chart->series[0].points;
        QCOMPARE(shown.back().x(), x);
        QCOMPARE(shown.back().y(), double(c.latest()->theta_mean));
    }

    void learningFromAChosenImageIsKeptAndStopsExperiments() {
        MainWindow w;
        QVERIFY(startAndTrain(w, 2));
        SimulationController& c = *w.controller();
        const SnapshotPtr before = c.latest();
        QTemporaryDir dir;
        QVERIFY(w.session()->exportExperiment(dir.filePath(QStringLiteral("a.json"))).done());

        gui::InputPicker& picker = *w.inputPicker();
        picker.findChild<QCheckBox*>(QStringLiteral("pickLearn"))->setChecked(true);
        picker.findChild<QSpinBox*>(QStringLiteral("pickImage"))->setValue(7);
        picker.findChild<QPushButton*>(QStringLiteral("pickPresent"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(c.latest()->presentation.active, kTimeoutMs);
        QVERIFY(c.latest()->presentation.learn);
        c.play();  // Play runs the presentation, then training goes on
        QTRY_VERIFY_WITH_TIMEOUT(c.latest()->counters.images > before->counters.images, kTimeoutMs);
        c.pause();
        QTRY_VERIFY_WITH_TIMEOUT(!c.latest()->running, kTimeoutMs);
        QVERIFY(c.latest()->fields->weights != before->fields->weights);
        const Outcome refused =
            w.session()->exportExperiment(dir.filePath(QStringLiteral("b.json")));
        QVERIFY(!refused.done());
        QVERIFY2(refused.error.contains(QStringLiteral("chosen input")), qPrintable(refused.error));

        // Back to training abandons a presentation on the spot.
        picker.findChild<QPushButton*>(QStringLiteral("pickPresent"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(c.latest()->presentation.active, kTimeoutMs);
        auto* stop = picker.findChild<QPushButton*>(QStringLiteral("pickStop"));
        QTRY_VERIFY_WITH_TIMEOUT(stop->isEnabled(), kTimeoutMs);
        stop->click();
        QTRY_VERIFY_WITH_TIMEOUT(!c.latest()->presentation.active, kTimeoutMs);
    }
};

QTEST_MAIN(TestPickInput)
#include "test_pick_input.moc"
