#pragma once
// Text with a circumflex (U+0302) over a letter, as in the reconstruction x̂, painted by the view.
// Qt's shaping of DejaVu Sans places the combining mark by pixel size: high above the line at
// 9 px, on the baseline through the x at 11-13 px, nowhere at 24 px; the captions read
// "x = g Σ cⱼ wⱼ", which is the input, not its reconstruction. Here the text is laid out without
// the marks and each circumflex is drawn over its letter from the font's own x-height.

#include <QRectF>
#include <QString>

class QPainter;

namespace stdp::gui {

// `text` without its U+0302 marks: what to measure and to lay out.
QString withoutHats(const QString& text);

// As QPainter::drawText(rect, flags, text) for the flags Qt::AlignLeft / AlignHCenter /
// AlignRight, Qt::AlignTop / AlignVCenter / AlignBottom and Qt::TextWordWrap, with '\n' as a
// line break, in the painter's font and pen. Returns the rectangle the lines take.
QRectF drawHattedText(QPainter& painter, const QRectF& rect, int flags, const QString& text);

// The rectangle drawHattedText would take, without drawing.
QRectF hattedBoundingRect(QPainter& painter, const QRectF& rect, int flags, const QString& text);

// One line whose baseline starts at (x, baseline), as QPainter::drawText(x, y, text).
void drawHattedLine(QPainter& painter, double x, double baseline, const QString& text);

// `text` as rich text for a tooltip (Qt draws those itself): escaped, in a paragraph, each letter
// with its circumflex set in DejaVu Serif, whose marks sit over their letters at tooltip sizes.
QString hattedRichText(const QString& text);

}  // namespace stdp::gui
