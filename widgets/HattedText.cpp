#include "HattedText.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QTextLayout>

#include <algorithm>
#include <vector>

namespace stdp::gui {
namespace {

constexpr QChar kCombiningCircumflex(0x0302);
// A line width no caption reaches: QTextLayout places the cursor of a line of width 0 at its
// start.
constexpr double kUnbounded = 1e6;

// The text as QTextLayout lays it out ('\n' a forced line break) and the positions of the
// letters that carry a circumflex.
struct Hatted {
    QString text;
    std::vector<int> hats;
};

Hatted split(const QString& text) {
    Hatted h;
    h.text.reserve(text.size());
    for (const QChar c : text) {
        if (c == kCombiningCircumflex) {
            if (!h.text.isEmpty())
                h.hats.push_back(static_cast<int>(h.text.size()) - 1);
        } else {
            h.text += c == QLatin1Char('\n') ? QChar(QChar::LineSeparator) : c;
        }
    }
    return h;
}

// Lays `layout` out in lines of `width` (unbounded without word wrap); returns the lines' height.
double layOut(QTextLayout& layout, double width, int flags) {
    QTextOption option(static_cast<Qt::Alignment>(flags & Qt::AlignHorizontal_Mask));
    const bool wrap = (flags & Qt::TextWordWrap) != 0;
    option.setWrapMode(wrap ? QTextOption::WordWrap : QTextOption::ManualWrap);
    layout.setTextOption(option);
    double y = 0.0;
    layout.beginLayout();
    for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
        line.setLineWidth(std::max(0.0, width));
        line.setPosition(QPointF(0.0, y));
        y += line.height();
    }
    layout.endLayout();
    return y;
}

double verticalOffset(const QRectF& rect, int flags, double height) {
    if (flags & Qt::AlignVCenter)
        return (rect.height() - height) / 2.0;
    if (flags & Qt::AlignBottom)
        return rect.height() - height;
    return 0.0;
}

QRectF usedRect(const QTextLayout& layout, const QPointF& origin, double height) {
    double left = 0.0;
    double right = 0.0;
    for (int i = 0; i < layout.lineCount(); ++i) {
        const QTextLine line = layout.lineAt(i);
        const double x = line.cursorToX(line.textStart());
        if (i == 0 || x < left)
            left = x;
        right = std::max(right, x + line.naturalTextWidth());
    }
    return QRectF(origin.x() + left, origin.y(), right - left, height);
}

// A circumflex over the letter at `index`: an inverted V as wide as most of the letter, its feet
// a small gap above the letter's top (x-height, or cap height for a capital).
void drawHats(QPainter& painter, const QTextLayout& layout, const Hatted& h,
              const QPointF& origin) {
    if (h.hats.empty())
        return;
    const QFontMetricsF metrics(painter.font(), painter.device());
    const double size = metrics.height();
    QPen pen = painter.pen();
    pen.setWidthF(std::max(1.0, size / 14.0));
    pen.setCapStyle(Qt::RoundCap);
    pen.setJoinStyle(Qt::RoundJoin);
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(pen);
    for (const int index : h.hats) {
        const QTextLine line = layout.lineForTextPosition(index);
        if (!line.isValid())
            continue;
        const double left = line.cursorToX(index);
        const double right = line.cursorToX(index + 1);
        const double centre = origin.x() + (left + right) / 2.0;
        const double half = std::max(1.5, 0.32 * std::abs(right - left));
        const double baseline = origin.y() + line.y() + line.ascent();
        const bool capital = h.text.at(index).isUpper();
        const double top = baseline - (capital ? metrics.capHeight() : metrics.xHeight());
        const double feet = top - std::max(1.5, 0.12 * size);
        const double apex = feet - std::max(2.0, 0.18 * size);
        QPainterPath hat;
        hat.moveTo(centre - half, feet);
        hat.lineTo(centre, apex);
        hat.lineTo(centre + half, feet);
        painter.drawPath(hat);
    }
    painter.restore();
}

}  // namespace

QString withoutHats(const QString& text) {
    QString plain = text;
    plain.remove(kCombiningCircumflex);
    return plain;
}

QRectF hattedBoundingRect(QPainter& painter, const QRectF& rect, int flags, const QString& text) {
    if (!text.contains(kCombiningCircumflex))
        return painter.boundingRect(rect, flags, text);
    const Hatted h = split(text);
    QTextLayout layout(h.text, painter.font(), painter.device());
    const double height = layOut(layout, rect.width(), flags);
    const QPointF origin(rect.left(), rect.top() + verticalOffset(rect, flags, height));
    return usedRect(layout, origin, height);
}

QRectF drawHattedText(QPainter& painter, const QRectF& rect, int flags, const QString& text) {
    if (!text.contains(kCombiningCircumflex)) {  // Qt's own drawing, exactly as before
        QRectF used;
        painter.drawText(rect, flags, text, &used);
        return used;
    }
    const Hatted h = split(text);
    QTextLayout layout(h.text, painter.font(), painter.device());
    const double height = layOut(layout, rect.width(), flags);
    const QPointF origin(rect.left(), rect.top() + verticalOffset(rect, flags, height));
    layout.draw(&painter, origin);
    drawHats(painter, layout, h, origin);
    return usedRect(layout, origin, height);
}

void drawHattedLine(QPainter& painter, double x, double baseline, const QString& text) {
    if (!text.contains(kCombiningCircumflex)) {
        painter.drawText(QPointF(x, baseline), text);
        return;
    }
    const Hatted h = split(text);
    QTextLayout layout(h.text, painter.font(), painter.device());
    layOut(layout, kUnbounded, Qt::AlignLeft);
    if (layout.lineCount() == 0)
        return;
    const QPointF origin(x, baseline - layout.lineAt(0).ascent());
    layout.draw(&painter, origin);
    drawHats(painter, layout, h, origin);
}

QString hattedRichText(const QString& text) {
    QString html = QStringLiteral("<p>");
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (i + 1 < text.size() && text.at(i + 1) == kCombiningCircumflex) {
            html += QStringLiteral("<span style=\"font-family: 'DejaVu Serif', serif\">") +
                    QString(text.at(i)).toHtmlEscaped() + kCombiningCircumflex +
                    QStringLiteral("</span>");
            ++i;
        } else {
            html += QString(text.at(i)).toHtmlEscaped();
        }
    }
    return html + QStringLiteral("</p>");
}

}  // namespace stdp::gui
