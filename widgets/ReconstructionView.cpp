#include "ReconstructionView.h"

#include <QPainter>
#include <algorithm>

#include "FieldImage.h"

namespace stdp::gui {

namespace {
constexpr int kPanels = 4;
constexpr int kMargin = 8;
constexpr int kGroupGap = 24;  // wider gap between the patch pair and the image pair
const QColor kPatchFrame(255, 140, 0);
}  // namespace

ReconstructionView::ReconstructionView(QWidget* parent) : QWidget(parent) {
    setToolTip(
        tr("Left: the patch being learnt and x̂ = Σ c_j w_j / Σ c_j, the spike-weighted "
           "mean of the fields of the neurons that fired on it. Right: the whole image "
           "and the image reassembled from the reconstructions of all its patches."));
}

void ReconstructionView::setSnapshot(std::shared_ptr<const ReconstructionSnapshot> snapshot) {
    snapshot_ = std::move(snapshot);
    update();
}

QRect ReconstructionView::panelRect(int index) const {
    const int label_h = fontMetrics().height() * 2;
    const int side = std::max(
        8, std::min((width() - 2 * kMargin - kGroupGap - (kPanels - 1) * kMargin) / kPanels,
                    height() - 2 * kMargin - label_h));
    const int total = kPanels * side + (kPanels - 1) * kMargin + kGroupGap;
    int x = std::max(kMargin, (width() - total) / 2) + index * (side + kMargin);
    if (index >= 2)
        x += kGroupGap;
    return {x, kMargin, side, side};
}

void ReconstructionView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    painter.setPen(palette().text().color());
    if (!snapshot_ || snapshot_->patch_size == 0) {
        painter.drawText(rect(), Qt::AlignCenter, tr("Press Play or Step to see a patch"));
        return;
    }
    const ReconstructionSnapshot& s = *snapshot_;
    const bool sym = s.signed_values;
    // Fixed ranges, so that a weak reconstruction looks weak: [0, 1] or [-1, 1].
    const GreyRange range = sym ? GreyRange{-1.0f, 1.0f} : GreyRange{0.0f, 1.0f};
    const int p = s.patch_size;
    const QString labels[kPanels] = {tr("patch"),
                                     tr("reconstruction\n(%1 spikes)").arg(s.patch_spikes),
                                     tr("image %1").arg(s.image_index), tr("reassembled")};
    auto drawPanel = [&](int index, const QImage& img) {
        const QRect r = panelRect(index);
        if (img.isNull()) {
            painter.fillRect(r, QColor(225, 225, 225));
            painter.drawText(
                r, Qt::AlignCenter | Qt::TextWordWrap,
                index == 3 && s.reassembly_skipped ? tr("image too large") : tr("computing…"));
        } else {
            painter.drawImage(r, img);
        }
        painter.setPen(QColor(150, 150, 150));
        painter.drawRect(r.adjusted(0, 0, -1, -1));
        painter.setPen(palette().text().color());
        painter.drawText(QRect(r.left() - kMargin, r.bottom() + 2, r.width() + 2 * kMargin,
                               fontMetrics().height() * 2),
                         Qt::AlignHCenter | Qt::AlignTop, labels[index]);
    };
    if (static_cast<int>(s.patch.size()) == p * p)
        drawPanel(0, greyImage(s.patch, p, p, range));
    drawPanel(1, static_cast<int>(s.patch_recon.size()) == p * p
                     ? greyImage(s.patch_recon, p, p, range)
                     : QImage());
    const Image& im = s.image;
    drawPanel(2, im.rows > 0 ? greyImage(im.pixels, im.rows, im.cols, range) : QImage());
    const Image& re = s.image_recon;
    drawPanel(3, re.rows > 0 ? greyImage(re.pixels, re.rows, re.cols, range) : QImage());
    if (im.rows > 0 && im.cols > 0) {
        // Where the patch lies in the image.
        const QRect r = panelRect(2);
        const double sx = double(r.width()) / im.cols;
        const double sy = double(r.height()) / im.rows;
        painter.setPen(QPen(kPatchFrame, 2));
        painter.setClipRect(r);
        painter.drawRect(
            QRectF(r.left() + s.patch_col * sx, r.top() + s.patch_row * sy, p * sx, p * sy));
    }
}

}  // namespace stdp::gui
