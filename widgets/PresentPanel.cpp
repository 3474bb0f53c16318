#include "PresentPanel.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "FieldImage.h"
#include "PhotoCropCanvas.h"

namespace stdp::gui {

namespace {
// The panel's answer never changes the network; the live run in the views follows the
// "learn from it" choice of Pick the input.
QString frozenNote() {
    return PresentPanel::tr(
        "the answer here is the frozen network's; the views' live run "
        "learns only with \"learn from it\" (above)");
}
const QColor kAnswer(232, 116, 59);
const QColor kBar(110, 130, 160);
constexpr int kTopShown = 5;
constexpr float kBrushRadius = 1.6f;  // canvas pixels: about an MNIST stroke
constexpr int kLargestCrop = 512;     // pixels: the built-in photographs' side
constexpr int kCropSideStep = 8;
}  // namespace

// ---- DrawCanvas ---------------------------------------------------------------------------------

DrawCanvas::DrawCanvas(int size, QWidget* parent) : QWidget(parent) {
    image_.rows = image_.cols = size;
    image_.pixels.assign(static_cast<std::size_t>(size) * size, 0.0f);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    setCursor(Qt::CrossCursor);
    setToolTip(tr("Draw with the left mouse button, erase with the right one"));
}

void DrawCanvas::setImage(const Image& image) {
    image_ = image;
    update();
    emit changed();
}

void DrawCanvas::clear() {
    std::fill(image_.pixels.begin(), image_.pixels.end(), 0.0f);
    update();
    emit changed();
}

void DrawCanvas::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const int side = std::min(width(), height());
    const QRect box((width() - side) / 2, (height() - side) / 2, side, side);
    p.drawImage(box, greyImage(image_.pixels, image_.rows, image_.cols, {0.0f, 1.0f}));
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(box.adjusted(0, 0, -1, -1));
}

void DrawCanvas::paintAt(QPointF at, bool erase) {
    const int side = std::min(width(), height());
    if (side <= 0)
        return;
    const QPointF origin((width() - side) / 2.0, (height() - side) / 2.0);
    const double scale = static_cast<double>(image_.cols) / side;
    const double x = (at.x() - origin.x()) * scale;
    const double y = (at.y() - origin.y()) * scale;
    for (int r = 0; r < image_.rows; ++r) {
        for (int c = 0; c < image_.cols; ++c) {
            const double d = std::hypot(c + 0.5 - x, r + 0.5 - y);
            if (d > kBrushRadius + 1.0)
                continue;
            // A soft edge, as a pen on paper: full inside the radius, fading over one pixel.
            const auto ink = static_cast<float>(std::clamp(kBrushRadius + 1.0 - d, 0.0, 1.0));
            float& v = image_.pixels[static_cast<std::size_t>(r) * image_.cols + c];
            v = erase ? std::min(v, 1.0f - ink) : std::max(v, ink);
        }
    }
    update();
}

void DrawCanvas::mousePressEvent(QMouseEvent* event) {
    paintAt(event->position(), event->button() == Qt::RightButton);
    emit changed();
}

void DrawCanvas::mouseMoveEvent(QMouseEvent* event) {
    if (!(event->buttons() & (Qt::LeftButton | Qt::RightButton)))
        return;
    paintAt(event->position(), (event->buttons() & Qt::RightButton) != 0);
    emit changed();
}

Image digitFromPicture(const QImage& picture, int size) {
    const QImage grey = picture.convertToFormat(QImage::Format_Grayscale8);
    Image out;
    out.rows = out.cols = size;
    out.pixels.assign(static_cast<std::size_t>(size) * size, 0.0f);
    if (grey.isNull() || grey.width() == 0 || grey.height() == 0)
        return out;
    // Light on dark like MNIST: a mostly light picture is ink on paper, inverted.
    double mean = 0.0;
    for (int y = 0; y < grey.height(); ++y)
        for (int x = 0; x < grey.width(); ++x)
            mean += qGray(grey.pixel(x, y));
    mean /= static_cast<double>(grey.width()) * grey.height();
    QImage ink = grey;
    if (mean > 127.0)
        ink.invertPixels();
    // The drawing's bounding box, scaled to 20 pixels and centred (MNIST's normalisation).
    int x0 = ink.width(), y0 = ink.height(), x1 = -1, y1 = -1;
    for (int y = 0; y < ink.height(); ++y)
        for (int x = 0; x < ink.width(); ++x)
            if (qGray(ink.pixel(x, y)) > 40) {
                x0 = std::min(x0, x);
                x1 = std::max(x1, x);
                y0 = std::min(y0, y);
                y1 = std::max(y1, y);
            }
    if (x1 < 0)
        return out;
    const QImage cropped = ink.copy(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    const int inner = std::max(1, size * 20 / 28);
    const QImage scaled =
        cropped.scaled(inner, inner, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    const int ox = (size - scaled.width()) / 2;
    const int oy = (size - scaled.height()) / 2;
    for (int y = 0; y < scaled.height(); ++y)
        for (int x = 0; x < scaled.width(); ++x)
            out.pixels[static_cast<std::size_t>(oy + y) * size + (ox + x)] =
                static_cast<float>(qGray(scaled.pixel(x, y))) / 255.0f;
    return out;
}

// ---- the answer, painted ------------------------------------------------------------------------

class ResponseView : public QWidget {
  public:
    explicit ResponseView(QWidget* parent) : QWidget(parent) {
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    }
    void display(std::shared_ptr<const ImageResponse> r, std::shared_ptr<const FieldsSnapshot> f,
                 QVector<int> ranking, Image drawn) {
        response_ = std::move(r);
        fields_ = std::move(f);
        ranking_ = std::move(ranking);
        drawn_ = std::move(drawn);
        update();
    }
    void setPlaceholder(const QString& text) {
        placeholder_ = text;
        update();
    }
    QSize minimumSizeHint() const override { return {300, 150}; }

  protected:
    void paintEvent(QPaintEvent*) override;

  private:
    std::shared_ptr<const ImageResponse> response_;
    std::shared_ptr<const FieldsSnapshot> fields_;
    QVector<int> ranking_;
    Image drawn_;
    QString placeholder_;
};

void ResponseView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    if (!response_ || !fields_) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, placeholder_);
        return;
    }
    const ImageResponse& r = *response_;
    const int line = fontMetrics().height();
    // Left: the input and its reconstruction, side by side.
    const int side = std::min((height() - 2 * line - 8), (width() / 2 - 24) / 2);
    const int top = line + 4;
    p.setPen(palette().color(QPalette::WindowText));
    const QFontMetrics fm = fontMetrics();
    p.drawText(QPoint(8, line), fm.elidedText(tr("input"), Qt::ElideRight, std::max(0, side)));
    p.drawText(QPoint(16 + side, line),
               fm.elidedText(tr("rebuilt from the fields"), Qt::ElideRight, std::max(0, side)));
    if (side > 8) {
        // A whitened photograph is signed: grey is 0, as in the fields of ON/OFF presets.
        const GreyRange range = fields_->onoff ? GreyRange{-1.0f, 1.0f} : GreyRange{0.0f, 1.0f};
        p.drawImage(QRect(8, top, side, side),
                    greyImage(drawn_.pixels, drawn_.rows, drawn_.cols, range));
        p.drawImage(QRect(16 + side, top, side, side),
                    greyImage(r.reconstruction.pixels, r.reconstruction.rows, r.reconstruction.cols,
                              range));
    }
    // Right: spikes per neuron, the top answers in colour with their fields.
    const int x0 = 32 + 2 * std::max(side, 0);
    const QRect bars(x0, top, width() - x0 - 8, std::max(20, (height() - top) / 2 - line));
    const double most =
        r.counts.empty() ? 0.0 : *std::max_element(r.counts.begin(), r.counts.end());
    p.drawText(QPoint(x0, line), fm.elidedText(tr("spikes per neuron (%1 patches, %2 spikes)")
                                                   .arg(r.patches.size())
                                                   .arg(r.spikes, 0, 'f', 0),
                                               Qt::ElideRight, std::max(0, width() - x0 - 8)));
    const double w = bars.width() / std::max<double>(1.0, static_cast<double>(r.counts.size()));
    QVector<int> top_set = ranking_.mid(0, kTopShown);
    for (std::size_t j = 0; j < r.counts.size(); ++j) {
        const double h = most > 0 ? r.counts[j] / most * bars.height() : 0.0;
        p.fillRect(QRectF(bars.left() + static_cast<double>(j) * w, bars.bottom() - h,
                          std::max(1.0, w - (w > 3 ? 1 : 0)), h),
                   top_set.contains(static_cast<int>(j)) ? kAnswer : kBar);
    }
    // The top answers: field, neuron, share of the spikes.
    const int cell = std::clamp(height() - bars.bottom() - 2 * line - 8, 0, 48);
    if (cell < 12)
        return;
    std::vector<float> values;
    for (int k = 0; k < top_set.size(); ++k) {
        const int j = top_set[k];
        if (r.counts[static_cast<std::size_t>(j)] <= 0)
            break;
        // Each answer as wide as its field or its caption, whichever is wider.
        const int pitch = std::max(cell, fm.horizontalAdvance(QStringLiteral("#000 · 100 %"))) + 12;
        const int x = x0 + k * pitch;
        if (x + cell > width())
            break;
        fieldValues(fields_->weights, j, fields_->patch_size, fields_->onoff, values);
        const QRect box(x, bars.bottom() + line + 6, cell, cell);
        p.drawImage(box, greyImage(values, fields_->patch_size, fields_->patch_size,
                                   valueRange(values, fields_->onoff)));
        p.setPen(kAnswer.darker(120));
        p.drawRect(box.adjusted(0, 0, -1, -1));
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QPoint(x, bars.bottom() + line + 2),
                   tr("#%1 · %2 %")
                       .arg(j)
                       .arg(100.0 * r.counts[static_cast<std::size_t>(j)] / std::max(1.0, r.spikes),
                            0, 'f', 0));
    }
}

// ---- PresentPanel -------------------------------------------------------------------------------

PresentPanel::PresentPanel(QWidget* parent)
    : QWidget(parent),
      canvas_(new DrawCanvas(28, this)),
      crop_(new PhotoCropCanvas(this)),
      inputs_(new QStackedWidget(this)) {
    inputs_->addWidget(canvas_);
    inputs_->addWidget(crop_);
    auto* left = new QVBoxLayout;
    left->addWidget(inputs_, 1);

    drawing_buttons_ = new QWidget(this);
    auto* drawing = new QHBoxLayout(drawing_buttons_);
    drawing->setContentsMargins(0, 0, 0, 0);
    auto* clear = new QPushButton(tr("Clear"), drawing_buttons_);
    drawing->addWidget(clear);
    photo_buttons_ = new QWidget(this);
    auto* photo = new QHBoxLayout(photo_buttons_);
    photo->setContentsMargins(0, 0, 0, 0);
    photo_source_ = new QComboBox(photo_buttons_);
    for (std::size_t i = 0; i < kBuiltinNaturalEvalImages; ++i)
        photo_source_->addItem(tr("held-out photo %1").arg(i + 1));
    photo_source_->setToolTip(
        tr("The built-in photographs never trained on (builtin:natural-eval)"));
    crop_side_ = new QSpinBox(photo_buttons_);
    crop_side_->setRange(1, kLargestCrop);
    crop_side_->setSingleStep(kCropSideStep);
    crop_side_->setSuffix(tr(" px"));
    crop_side_->setValue(PhotoCropCanvas::kDefaultSide);
    crop_side_->setToolTip(
        tr("The side of the square, in pixels of the photograph (the wheel "
           "over the photograph changes it too)"));
    photo->addWidget(photo_source_, 1);
    photo->addWidget(crop_side_);
    photo_buttons_->hide();

    auto* buttons = new QHBoxLayout;
    auto* load = new QPushButton(tr("Load…"), this);
    load->setToolTip(
        tr("A picture file: a digit is fitted into 28 x 28 as MNIST digits are; a "
           "photograph is shown whole, to crop"));
    present_ = new QPushButton(tr("Present"), this);
    present_->setToolTip(tr("Run the frozen network on this image (it does not learn from it)"));
    present_->setDefault(true);
    buttons->addWidget(drawing_buttons_);
    buttons->addWidget(photo_buttons_, 1);
    buttons->addWidget(load);
    buttons->addWidget(present_);
    left->addLayout(buttons);
    status_ = new QLabel(frozenNote(), this);
    status_->setWordWrap(true);
    left->addWidget(status_);
    view_ = new ResponseView(this);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(left, 0);
    layout->addWidget(view_, 1);
    setPhotographMode(false, {}, 0);
    connect(clear, &QPushButton::clicked, canvas_, &DrawCanvas::clear);
    connect(load, &QPushButton::clicked, this, &PresentPanel::loadPicture);
    connect(present_, &QPushButton::clicked, this, [this] {
        try {
            presented_ = presentedImage();
        } catch (const std::exception& e) {
            status_->setText(QString::fromStdString(e.what()));
            return;
        }
        emit presentRequested(presented_);
    });
    connect(photo_source_, &QComboBox::activated, this, &PresentPanel::useBuiltinPhotograph);
    connect(crop_side_, &QSpinBox::valueChanged, crop_, &PhotoCropCanvas::setSide);
    connect(crop_, &PhotoCropCanvas::cropChanged, this, &PresentPanel::showCropSize);
    connect(this, &PresentPanel::respondersShown, view_,
            [this] { view_->display(response_, fields_, ranking_, presented_); });
}

void PresentPanel::setPhotographMode(bool photographs, const DataSettings& settings,
                                     int patch_size) {
    photographs_ = photographs;
    photo_data_ = settings;
    inputs_->setCurrentWidget(photographs ? static_cast<QWidget*>(crop_) : canvas_);
    drawing_buttons_->setVisible(!photographs);
    photo_buttons_->setVisible(photographs);
    if (photographs) {
        // Whitening cuts kWhitenBorder pixels from each side of the square before it is presented.
        const int side = patch_size + 2 * kWhitenBorder;
        crop_->setMinimumSide(side);
        crop_side_->setMinimum(side);
        if (!crop_->hasPhotograph())
            useBuiltinPhotograph(0);
        view_->setPlaceholder(
            tr("Place the square on the photograph (press or drag; the wheel resizes it) and "
               "press Present: the crop is whitened as the training photographs are, the "
               "network, frozen, answers patch by patch, and the neurons that answered appear "
               "here with the crop rebuilt from their fields."));
    } else {
        view_->setPlaceholder(
            tr("Draw a digit on the left (or load a picture) and press Present: the network, "
               "frozen, answers patch by patch, and the neurons that answered appear here with "
               "the image rebuilt from their fields."));
    }
}

void PresentPanel::useBuiltinPhotograph(int index) {
    DataSettings raw = photo_data_;
    raw.whiten = false;  // intensities: Present prepares the crop itself
    try {
        crop_->setPhotograph(
            loadDataSpec(kBuiltinNaturalEvalSpec, raw, static_cast<std::size_t>(index), 1)
                .images.front());
    } catch (const std::exception& e) {
        status_->setText(QString::fromStdString(e.what()));
        return;
    }
    photo_source_->setCurrentIndex(index);
    status_->setText(
        tr("Held-out photograph %1: place the square and press Present.").arg(index + 1));
}

bool PresentPanel::loadPhotograph(const QString& file) {
    Image photo;
    try {
        photo = readPhotograph(file.toStdString());
    } catch (const std::exception& e) {
        status_->setText(tr("Cannot use this file: %1").arg(QString::fromStdString(e.what())));
        return false;
    }
    if (std::min(photo.rows, photo.cols) < crop_->minimumSide()) {
        status_->setText(tr("'%1' is %2 x %3 pixels: smaller than %4 x %4 (one %5 x %5 patch and "
                            "the %6 pixels whitening cuts off each side).")
                             .arg(file)
                             .arg(photo.cols)
                             .arg(photo.rows)
                             .arg(crop_->minimumSide())
                             .arg(crop_->minimumSide() - 2 * kWhitenBorder)
                             .arg(kWhitenBorder));
        return false;
    }
    crop_->setPhotograph(photo);
    photo_source_->setCurrentIndex(-1);
    status_->setText(tr("Loaded %1 (%2 x %3): place the square and press Present.")
                         .arg(file)
                         .arg(photo.cols)
                         .arg(photo.rows));
    return true;
}

void PresentPanel::showCropSize() {
    const QSignalBlocker block(crop_side_);
    crop_side_->setValue(crop_->crop().width());
}

QString PresentPanel::statusText() const {
    return status_->text();
}

Image PresentPanel::presentedImage() const {
    if (!photographs_)
        return canvas_->image();
    return preparePhotograph(crop_->cropped(), photo_data_);
}

void PresentPanel::loadPicture() {
    if (photographs_) {
        const QString file = QFileDialog::getOpenFileName(
            this, tr("Load a photograph"), QString(),
            tr("Photographs (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.pgm)"));
        if (!file.isEmpty())
            loadPhotograph(file);
        return;
    }
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Load a picture"), QString(), tr("Pictures (*.png *.jpg *.jpeg *.bmp *.pgm)"));
    if (file.isEmpty())
        return;
    QImageReader reader(file);
    reader.setAllocationLimit(64);  // MiB: a picture of a digit, not a poster
    const QImage picture = reader.read();
    if (picture.isNull()) {
        status_->setText(tr("Cannot read '%1': %2").arg(file, reader.errorString()));
        return;
    }
    canvas_->setImage(digitFromPicture(picture, canvas_->image().rows));
    status_->setText(tr("Loaded %1 (fitted into 28 x 28). Press Present.").arg(file));
}

void PresentPanel::setResponse(std::shared_ptr<const ImageResponse> response,
                               std::shared_ptr<const FieldsSnapshot> fields) {
    response_ = std::move(response);
    fields_ = std::move(fields);
    ranking_.clear();
    if (response_) {
        for (int j = 0; j < static_cast<int>(response_->counts.size()); ++j)
            ranking_.push_back(j);
        std::stable_sort(ranking_.begin(), ranking_.end(), [this](int a, int b) {
            return response_->counts[static_cast<std::size_t>(a)] >
                   response_->counts[static_cast<std::size_t>(b)];
        });
        while (!ranking_.isEmpty() &&
               response_->counts[static_cast<std::size_t>(ranking_.back())] <= 0)
            ranking_.removeLast();
    }
    setBusy(false);
    status_->setText(summary());
    emit respondersShown(ranking_.mid(0, kTopShown));
}

QString PresentPanel::summary() const {
    if (!response_)
        return frozenNote();
    if (response_->patches.empty())
        return tr("Nothing to present: the image is blank.");
    return tr("%1 patches, %2 spikes; most: neuron %3. The frozen network's answer.")
        .arg(response_->patches.size())
        .arg(response_->spikes, 0, 'f', 0)
        .arg(ranking_.isEmpty() ? QStringLiteral("—") : QString::number(ranking_.first()));
}

void PresentPanel::setBusy(bool busy) {
    present_->setEnabled(!busy && available_);
    if (busy)
        status_->setText(tr("presenting…"));
}

void PresentPanel::setAvailable(bool available, const QString& why) {
    available_ = available;
    present_->setEnabled(available);
    status_->setText(available ? summary() : why);
}

}  // namespace stdp::gui
