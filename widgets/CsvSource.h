#pragma once
// Views whose data can be exported as CSV (every chart).

#include <QString>

namespace stdp::gui {

class CsvSource {
  public:
    virtual ~CsvSource() = default;
    virtual QString csvName() const = 0;  // file-name stem, e.g. "threshold"
    virtual QString csv() const = 0;      // header line + one line per point
};

// Writes text atomically (QSaveFile); returns an error message, empty on success.
QString writeTextFile(const QString& path, const QString& text);

}  // namespace stdp::gui
