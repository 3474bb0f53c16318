#pragma once
// "Draw and present": the class's own input. A student draws a digit (or loads a picture), the
// frozen network answers, and the panel shows which neurons answered, how strongly, and the
// image rebuilt from their fields. Presenting never changes the network.

#include <QImage>
#include <QVector>
#include <QWidget>
#include <memory>

#include "ViewData.h"
#include "analysis/Evaluator.h"

class QLabel;
class QPushButton;

namespace stdp::gui {

// A small grey canvas (28 x 28 by default, like MNIST) painted with the mouse: left button
// draws with a soft round brush, right button erases.
class DrawCanvas : public QWidget {
    Q_OBJECT
  public:
    explicit DrawCanvas(int size = 28, QWidget* parent = nullptr);
    Image image() const { return image_; }
    void setImage(const Image& image);
    void clear();
    QSize sizeHint() const override { return {196, 196}; }
    QSize minimumSizeHint() const override { return {112, 112}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int w) const override { return w; }

  signals:
    void changed();

  protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

  private:
    void paintAt(QPointF at, bool erase);
    Image image_;
};

// Fits any picture into a canvas of size x size as MNIST digits are: grey, a light drawing on a
// dark ground (inverted if the picture is dark on light), the drawing's box scaled to 20 pixels
// and centred.
Image digitFromPicture(const QImage& picture, int size = 28);

class PresentPanel : public QWidget {
    Q_OBJECT
  public:
    explicit PresentPanel(QWidget* parent = nullptr);
    DrawCanvas* canvas() const { return canvas_; }

    // The answer to the last request, with the fields it was computed with.
    void setResponse(std::shared_ptr<const ImageResponse> response,
                     std::shared_ptr<const FieldsSnapshot> fields);
    void setBusy(bool busy);
    // Digit presets only: a photograph preset whitens its images (not done for drawings yet).
    void setAvailable(bool available, const QString& why);
    const ImageResponse* response() const { return response_.get(); }
    // Neurons in order of their spikes for the last response (most first).
    QVector<int> ranking() const { return ranking_; }
    QString summary() const;

  signals:
    void presentRequested(const stdp::Image& image);
    // The neurons that answered most (for highlights elsewhere, e.g. the mosaic).
    void respondersShown(const QVector<int>& neurons);

  private:
    void loadPicture();

    DrawCanvas* canvas_ = nullptr;
    QPushButton* present_ = nullptr;
    QLabel* status_ = nullptr;
    std::shared_ptr<const ImageResponse> response_;
    std::shared_ptr<const FieldsSnapshot> fields_;
    QVector<int> ranking_;
    bool available_ = true;
};

}  // namespace stdp::gui

Q_DECLARE_METATYPE(stdp::Image)
