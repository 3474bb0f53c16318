#pragma once
// Writing what the window shows: filter images, view pictures, chart data, bundles. Each returns
// an error message a user can act on, empty on success, and never half-writes a file.

#include <QString>

#include "Snapshot.h"

class QWidget;

namespace stdp::gui {
class CsvSource;
}

namespace stdp::studio {

enum class ExportContrast { Shared, PerNeuron };

QString exportMosaic(const Snapshot& s, const QString& path, int scale, ExportContrast contrast);
// One PNG per neuron, neuron-0000.png ... (as `stdp-cli export --neurons`), into `dir` (created
// if needed).
QString exportNeurons(const Snapshot& s, const QString& dir, int scale);
QString exportViewPng(QWidget* view, const QString& path);
QString exportCsv(const gui::CsvSource& source, const QString& path);

// The network as a bundle folder (the CLI's format), with the last metrics when known.
QString saveSnapshotBundle(const Snapshot& s, const QString& dir, const QString& data_spec,
                           const QString& preset, const std::optional<ReconstructionMetrics>& m);

}  // namespace stdp::studio
