// Draw and present: a drawn (or loaded) image presented to the frozen network changes no weight
// and gets the answer protocol A gives that image with the model's seed (what `stdp-cli eval`
// computes of it).
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include "MainWindow.h"
#include "PhotoCropCanvas.h"
#include "PresentPanel.h"
#include "data/Dataset.h"
#include "model/Presets.h"

using namespace stdp;
using namespace stdp::studio;

namespace {
constexpr int kTimeoutMs = 180000 * STDP_TEST_TIMEOUT_SCALE;

void clickPresent(gui::PresentPanel& panel) {
    for (QPushButton* b : panel.findChildren<QPushButton*>())
        if (b->text() == QStringLiteral("Present"))
            b->click();
}
}  // namespace

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
        clickPresent(panel);
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

    // Photograph presets: a square placed on a photograph with the mouse, sized by the box or
    // the wheel, never outside the photograph nor smaller than a patch; Present sends the crop
    // prepared (whitened) as the training photographs are.
    void aCropIsChosenWithTheMouse() {
        const Settings natural = presetSettings("paper-natural");
        gui::PresentPanel panel;
        panel.resize(700, 360);
        panel.show();
        panel.setPhotographMode(true, natural.data, natural.structure.patch_size);
        QVERIFY(panel.photographMode());
        gui::PhotoCropCanvas& canvas = *panel.cropCanvas();
        QVERIFY(canvas.isVisible());
        QVERIFY(canvas.hasPhotograph());  // the first held-out photograph, at once
        const int side = canvas.photograph().cols;
        QCOMPARE(canvas.crop().width(), gui::PhotoCropCanvas::kDefaultSide);
        QCOMPARE(canvas.crop().center(), QRect(0, 0, side, side).center());

        QTest::mousePress(&canvas, Qt::LeftButton, {}, canvas.toWidget({100, 300}));
        QVERIFY((canvas.crop().center() - QPoint(100, 300)).manhattanLength() <= 4);
        QTest::mouseMove(&canvas, canvas.toWidget({200, 150}));
        QMouseEvent drag(QEvent::MouseMove, QPointF(canvas.toWidget({200, 150})),
                         canvas.mapToGlobal(QPointF(canvas.toWidget({200, 150}))), Qt::NoButton,
                         Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&canvas, &drag);
        QVERIFY((canvas.crop().center() - QPoint(200, 150)).manhattanLength() <= 4);
        QTest::mouseRelease(&canvas, Qt::LeftButton, {}, canvas.toWidget({200, 150}));
        // Near a corner: the square stays inside.
        QTest::mouseClick(&canvas, Qt::LeftButton, {}, canvas.toWidget({3, 3}));
        QCOMPARE(canvas.crop().topLeft(), QPoint(0, 0));

        panel.cropSideBox()->setValue(128);
        QCOMPARE(canvas.crop(), QRect(0, 0, 128, 128));
        QWheelEvent wheel(QPointF(canvas.toWidget({60, 60})), canvas.mapToGlobal(QPointF(60, 60)),
                          {}, {0, 120}, Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(&canvas, &wheel);
        QCOMPARE(canvas.crop().width(), 128 + gui::PhotoCropCanvas::kWheelStep);
        QCOMPARE(panel.cropSideBox()->value(), canvas.crop().width());
        panel.cropSideBox()->setValue(4);  // below one patch
        QCOMPARE(canvas.crop().width(), natural.structure.patch_size + 2 * kWhitenBorder);

        panel.cropSideBox()->setValue(64);
        const QRect crop = canvas.crop();
        const Image expected = preparePhotograph(
            cropImage(canvas.photograph(), crop.top(), crop.left(), crop.width()), natural.data);
        QSignalSpy sent(&panel, &gui::PresentPanel::presentRequested);
        clickPresent(panel);
        QCOMPARE(sent.count(), 1);
        const Image image = sent.first().first().value<Image>();
        QCOMPARE(image.rows, 64 - 2 * kWhitenBorder);  // whitening cuts its border off
        QCOMPARE(image.pixels, expected.pixels);
        QVERIFY(std::any_of(image.pixels.begin(), image.pixels.end(),
                            [](float v) { return v < 0.0f; }));  // whitened: signed
        const QImage shown = canvas.grab().toImage();
        QVERIFY(!shown.isNull());

        panel.useBuiltinPhotograph(1);
        QVERIFY(canvas.photograph().pixels != expected.pixels);
        QCOMPARE(canvas.crop().width(), 64);  // the size stays
        panel.setPhotographMode(false, {}, 5);
        QVERIFY(panel.canvas()->isVisible());
        QVERIFY(!canvas.isVisible());
    }

    // A file that is not a usable photograph is refused with the reason; the photograph stays.
    void aBadPhotographIsRefused() {
        const Settings natural = presetSettings("paper-natural");
        gui::PresentPanel panel;
        panel.setPhotographMode(true, natural.data, natural.structure.patch_size);
        const std::vector<float> before = panel.cropCanvas()->photograph().pixels;
        QTemporaryDir dir;
        QVERIFY(!panel.loadPhotograph(dir.filePath(QStringLiteral("missing.png"))));
        QVERIFY2(panel.statusText().startsWith(QStringLiteral("Cannot use this file")),
                 qPrintable(panel.statusText()));
        const QString text = dir.filePath(QStringLiteral("notes.png"));
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a picture at all");
        f.close();
        QVERIFY(!panel.loadPhotograph(text));
        QVERIFY(panel.statusText().contains(QStringLiteral("notes.png")));
        const QString tiny = dir.filePath(QStringLiteral("tiny.png"));
        QImage small(8, 8, QImage::Format_Grayscale8);
        small.fill(128);
        QVERIFY(small.save(tiny));
        QVERIFY(!panel.loadPhotograph(tiny));
        QVERIFY2(
            panel.statusText().contains(QStringLiteral("smaller than 24 x 24 (one 16 x 16 patch")),
            qPrintable(panel.statusText()));
        QCOMPARE(panel.cropCanvas()->photograph().pixels, before);
        QImage photo(100, 80, QImage::Format_Grayscale8);
        photo.fill(40);
        const QString good = dir.filePath(QStringLiteral("good.png"));
        QVERIFY(photo.save(good));
        QVERIFY(panel.loadPhotograph(good));
        QCOMPARE(panel.cropCanvas()->photograph().cols, 100);
    }

    // The window under a photograph preset: the crop mode, and its answer is protocol A of the
    // prepared crop; nothing learns.
    void aPhotographPresetPresentsACrop() {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QCOMPARE(w.start(QStringLiteral("paper-natural"), QString::fromLatin1(kBuiltinNaturalSpec)),
                 QString());
        SimulationController& c = *w.controller();
        QTRY_VERIFY_WITH_TIMEOUT(c.latest() != nullptr, kTimeoutMs);
        const SnapshotPtr now = c.latest();
        gui::PresentPanel& panel = *w.presentPanel();
        QVERIFY(panel.photographMode());
        QSignalSpy answered(&panel, &gui::PresentPanel::respondersShown);
        clickPresent(panel);
        QTRY_VERIFY_WITH_TIMEOUT(answered.count() == 1, kTimeoutMs);
        QVERIFY(panel.response());

        ImageSet one;
        one.source = "crop";
        one.signed_values = true;
        one.images = {panel.presentedImage()};
        RepresentationLayer layer(now->settings.structure, now->settings.dynamics);
        layer.setWeights(now->fields->weights);
        layer.setThresholds(now->fields->thresholds);
        EvalOptions o;
        o.seed = now->settings.structure.seed;
        const ReconstructionMetrics m = evaluate(layer, now->settings, one, o);
        QCOMPARE(panel.response()->patches.size(), m.patches);
        const double neuron_steps =
            static_cast<double>(m.patches) * m.units * now->settings.dynamics.steps;
        QVERIFY(std::abs(panel.response()->spikes - m.activity * neuron_steps) < 1e-6);
        QCOMPARE(c.latest()->counters.steps, now->counters.steps);
        QVERIFY(!panel.grab().isNull());
    }
};

QTEST_MAIN(TestPresentPanel)
#include "test_present_panel.moc"
