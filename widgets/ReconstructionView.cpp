#include "ReconstructionView.h"

#include <QMouseEvent>
#include <QPainter>
#include <algorithm>

#include "FieldImage.h"
#include "HattedText.h"

namespace stdp::gui {

namespace {
constexpr int kPanels = 4;
constexpr int kMargin = 8;
constexpr int kGroupGap = 24;  // wider gap between the patch pair and the image pair
const QColor kPatchFrame(255, 140, 0);
QString imageLabel(const ReconstructionSnapshot& s) {
    QString label = s.image_in_data ? ReconstructionView::tr("image %1").arg(s.image_index)
                                    : ReconstructionView::tr("drawing");
    if (s.presented)
        label += ReconstructionView::tr("\n(chosen)");  // a second line: the slot is narrow
    return label;
}
}  // namespace

QString ReconstructionView::elidedLines(const QString& text, int width) const {
    // Each word that cannot fit the width is cut with "…" rather than clipped at both ends.
    QStringList lines = text.split(QLatin1Char('\n'));
    for (QString& line : lines) {
        QStringList words = line.split(QLatin1Char(' '));
        for (QString& word : words)
            word = fontMetrics().elidedText(word, Qt::ElideRight, width);
        line = words.join(QLatin1Char(' '));
        // Centred text wider than the slot would lose both ends: cut the end only.
        line = fontMetrics().elidedText(line, Qt::ElideRight, width);
    }
    return lines.join(QLatin1Char('\n'));
}

ReconstructionView::ReconstructionView(QWidget* parent) : QWidget(parent) {
    setToolTip(hattedRichText(
        tr("Left: the patch being learnt and its reconstruction from the spike counts c_j: "
           "x̂ = Σ c_j w_j / Σ c_j, the spike-weighted mean of the fields of the neurons that "
           "fired on it (\"mean\"), or with amplitude coding x̂ = g Σ c_j w_j "
           "(\"additive\"; with the hurdle added back, each active neuron's count plus b_j, "
           "the hurdle it paid before its first spike in spikes of its quantum). Right: the "
           "whole image and the image reassembled from the reconstructions of all its patches "
           "(of a photograph larger than 128 px, of the patches every n px, \"stride n px\"). "
           "Click the image to present the patch there next.")));
    setMouseTracking(true);
}

std::optional<QPoint> ReconstructionView::patchAt(QPoint pos) const {
    if (!snapshot_ || snapshot_->image.rows <= 0 || snapshot_->image.cols <= 0)
        return std::nullopt;
    const QRect r = panelRect(2);
    if (!r.contains(pos))
        return std::nullopt;
    const Image& im = snapshot_->image;
    const int p = snapshot_->patch_size;
    const int row = (pos.y() - r.top()) * im.rows / std::max(1, r.height());
    const int col = (pos.x() - r.left()) * im.cols / std::max(1, r.width());
    return QPoint(col - p / 2, row - p / 2);
}

void ReconstructionView::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton)
        return;
    if (const auto at = patchAt(event->position().toPoint()))
        emit patchPicked(at->y(), at->x());
}

void ReconstructionView::mouseMoveEvent(QMouseEvent* event) {
    setCursor(patchAt(event->position().toPoint()) ? Qt::PointingHandCursor : Qt::ArrowCursor);
}

void ReconstructionView::setSnapshot(std::shared_ptr<const ReconstructionSnapshot> snapshot) {
    snapshot_ = std::move(snapshot);
    update();
}

int ReconstructionView::panelSide() const {
    const int label_h = fontMetrics().height() * 2;
    return std::max(8, std::min((width() - 2 * kMargin - kGroupGap) / kPanels - kMargin,
                                height() - 2 * kMargin - label_h));
}

int ReconstructionView::slotWidth() const {
    // Wide enough for the panel and, when the view has room, for its label under it.
    const int label = fontMetrics().horizontalAdvance(tr("reconstruction")) + kMargin;
    const int widest = (width() - 2 * kMargin - kGroupGap) / kPanels;
    return std::max(panelSide() + kMargin, std::min(label, widest));
}

QRect ReconstructionView::panelRect(int index) const {
    const int side = panelSide();
    const int slot = slotWidth();
    const int total = kPanels * slot + kGroupGap;
    int x = std::max(kMargin, (width() - total) / 2) + index * slot + (slot - side) / 2;
    if (index >= 2)
        x += kGroupGap;
    return {x, kMargin, side, side};
}

QStringList ReconstructionView::captions() const {
    if (!snapshot_)
        return {};
    const ReconstructionSnapshot& s = *snapshot_;
    // Which read-out made the reconstruction: the mean of the winners' fields (the tooltip says
    // so), or additive with its gain; short enough for the narrow slot of a small window.
    QString sum = s.hurdle_added ? tr("x̂ = g Σ (cⱼ + bⱼ) wⱼ") : tr("x̂ = g Σ cⱼ wⱼ");
    if (fontMetrics().horizontalAdvance(withoutHats(sum)) >
        slotWidth())  // a small window: the tight form
        sum = s.hurdle_added ? tr("x̂ = gΣ(cⱼ+bⱼ)wⱼ") : tr("x̂ = gΣcⱼwⱼ");
    // The gain is the read-out's one number: a narrow slot drops spaces, then the spike count,
    // rather than eliding it to "g = 0.…" (coop-natural's g = 0.085 at 1280x720).
    QString counts;
    if (s.additive_gain > 0.0) {
        const QString g = QString::number(s.additive_gain, 'g', 3);
        for (const QString& form :
             {tr("%1 sp, g = %2").arg(s.patch_spikes).arg(g),
              tr("%1 sp, g=%2").arg(s.patch_spikes).arg(g), tr("g = %1").arg(g)}) {
            counts = form;
            if (fontMetrics().horizontalAdvance(form) <= slotWidth())
                break;
        }
    }
    const QString readout = s.additive_gain > 0.0
                                ? sum + QLatin1Char('\n') + counts
                                : tr("reconstruction\n(%1 spikes)").arg(s.patch_spikes);
    // A large photograph is rebuilt from every n-th patch position: say so under it.
    const QString reassembled = s.reassembly_stride > 1
                                    ? tr("reassembled\nstride %1 px").arg(s.reassembly_stride)
                                    : tr("reassembled");
    return {tr("patch"), readout, imageLabel(s), reassembled};
}

void ReconstructionView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    painter.setPen(palette().text().color());
    // Before the first step there is nothing to reconstruct yet: say how to get a patch rather
    // than showing panes that wait for a computation that will not come.
    if (!snapshot_ || snapshot_->patch_size == 0 ||
        (snapshot_->patch.empty() && snapshot_->image.rows == 0)) {
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                         tr("Press Play or Step to see a patch, or pick an input (Present)"));
        return;
    }
    const ReconstructionSnapshot& s = *snapshot_;
    const bool sym = s.signed_values;
    // Fixed ranges, so that a weak reconstruction looks weak: [0, 1] or [-1, 1].
    const GreyRange range = sym ? GreyRange{-1.0f, 1.0f} : GreyRange{0.0f, 1.0f};
    const int p = s.patch_size;
    const QStringList labels = captions();
    auto drawPanel = [&](int index, const QImage& img) {
        const QRect r = panelRect(index);
        if (img.isNull()) {
            painter.fillRect(r, QColor(225, 225, 225));
            painter.drawText(r, Qt::AlignCenter | Qt::TextWordWrap,
                             elidedLines(tr("computing…"), r.width()));
        } else {
            painter.drawImage(r, img);
        }
        painter.setPen(QColor(150, 150, 150));
        painter.drawRect(r.adjusted(0, 0, -1, -1));
        painter.setPen(palette().text().color());
        const int slot = slotWidth();
        drawHattedText(
            painter,
            QRect(r.center().x() - slot / 2, r.bottom() + 2, slot, fontMetrics().height() * 2),
            Qt::AlignHCenter | Qt::AlignTop, elidedLines(labels[index], slot));
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
