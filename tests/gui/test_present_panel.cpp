// Draw and present: a drawn (or loaded) image presented to the frozen network changes no weight
// and gets the answer protocol A gives that image with the model's seed (what `stdp-cli eval`
// computes of it).
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

#include "MainWindow.h"
#include "PresentPanel.h"
#include "data/Dataset.h"

using namespace stdp;
using namespace stdp::studio;

namespace {
constexpr int kTimeoutMs = 180000 * STDP_TEST_TIMEOUT_SCALE;
}

class TestPresentPanel : public QObject {
    Q_OBJECT
  private slots:
    void drawingOnTheCanvas() {
        gui::DrawCanvas canvas;
        canvas.resize(280, 280);
        canvas.show();
        QSignalSpy changed(&canvas, &gui::DrawCanvas::changed);
        QTest::mousePress(&canvas, Qt::LeftButton, {}, QPoint(140, 140));
        QTest::mouseRelease(&canvas, Qt::LeftButton, {}, QPoint(140, 140));
        QVERIFY(changed.count() >= 1);
        const Image drawn = canvas.image();
        QCOMPARE(drawn.pixels[14 * 28 + 14], 1.0f);  // under the pen
        QCOMPARE(drawn.pixels[0], 0.0f);
        QTest::mousePress(&canvas, Qt::RightButton, {}, QPoint(140, 140));
        QCOMPARE(canvas.image().pixels[14 * 28 + 14], 0.0f);  // erased
    }

    void aPictureIsFittedLikeAnMnistDigit() {
        QImage paper(100, 60, QImage::Format_Grayscale8);
        paper.fill(255);
        for (int y = 10; y < 50; ++y)
            for (int x = 40; x < 50; ++x)
                paper.setPixel(x, y, qRgb(0, 0, 0));  // a dark bar on white paper
        const Image digit = gui::digitFromPicture(paper);
        QCOMPARE(digit.rows, 28);
        QCOMPARE(digit.pixels[14 * 28 + 14], 1.0f);  // inverted: ink is light, centred
        QCOMPARE(digit.pixels[0], 0.0f);
    }

    void presentingAnswersLikeProtocolA() {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QCOMPARE(w.start(QStringLiteral("paper-mnist"), QString::fromLatin1(kBuiltinSpec)),
                 QString());
        SimulationController& c = *w.controller();
        QTRY_VERIFY_WITH_TIMEOUT(c.latest() != nullptr, kTimeoutMs);
        c.play(10);
        QTRY_VERIFY_WITH_TIMEOUT(!c.latest()->running && c.latest()->counters.images >= 10,
                                 kTimeoutMs);
        const SnapshotPtr trained = c.latest();

        const ImageSet one = loadDataSpec("builtin:mnist", {}, 1900, 1);
        gui::PresentPanel& panel = *w.presentPanel();
        panel.canvas()->setImage(one.images[0]);
        QSignalSpy answered(&panel, &gui::PresentPanel::respondersShown);
        for (QPushButton* b : panel.findChildren<QPushButton*>())
            if (b->text() == QStringLiteral("Present"))
                b->click();
        QTRY_VERIFY_WITH_TIMEOUT(answered.count() == 1, kTimeoutMs);
        QVERIFY(panel.response());

        RepresentationLayer layer(trained->settings.structure, trained->settings.dynamics);
        layer.setWeights(trained->fields->weights);
        layer.setThresholds(trained->fields->thresholds);
        EvalOptions o;
        o.seed = trained->settings.structure.seed;
        const ReconstructionMetrics m = evaluate(layer, trained->settings, one, o);
        QCOMPARE(panel.response()->patches.size(), m.patches);
        const double neuron_steps =
            static_cast<double>(m.patches) * m.units * trained->settings.dynamics.steps;
        QVERIFY(std::abs(panel.response()->spikes - m.activity * neuron_steps) < 1e-6);
        QVERIFY(!panel.ranking().isEmpty());
        QVERIFY(panel.summary().contains(QString::number(panel.ranking().first())));
        // Nothing learned: presenting ran on a copy; the network made no step since.
        QCOMPARE(c.latest()->counters.steps, trained->counters.steps);
        QVERIFY(!panel.grab().isNull());
    }
};

QTEST_MAIN(TestPresentPanel)
#include "test_present_panel.moc"
