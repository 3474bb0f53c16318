#include "Export.h"

#include <QSaveFile>
#include <QWidget>

#include "CsvSource.h"
#include "io/Bundle.h"
#include "io/FilterMosaic.h"

namespace stdp::studio {

namespace {
constexpr const char* kCreatedBy = "stdp-studio " STDP_VERSION;
}

QString exportMosaic(const Snapshot& s, const QString& path, int scale, ExportContrast contrast) {
    if (!s.fields)
        return QObject::tr("no network to export");
    try {
        MosaicOptions o;
        o.scale = std::max(1, scale);
        o.contrast =
            contrast == ExportContrast::Shared ? MosaicContrast::Shared : MosaicContrast::PerNeuron;
        writePngAtomic(path.toStdString(),
                       renderMosaic(s.fields->weights, s.fields->patch_size, s.fields->onoff, o));
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

QString exportNeurons(const Snapshot& s, const QString& dir, int scale) {
    if (!s.fields)
        return QObject::tr("no network to export");
    try {
        writeNeuronPngs(dir.toStdString(), s.fields->weights, s.fields->patch_size, s.fields->onoff,
                        std::max(1, scale));
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

QString exportViewPng(QWidget* view, const QString& path) {
    if (!view)
        return QObject::tr("no such view");
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !view->grab().save(&file, "PNG") || !file.commit())
        return QObject::tr("cannot write '%1': %2").arg(path, file.errorString());
    return {};
}

QString exportCsv(const gui::CsvSource& source, const QString& path) {
    return gui::writeTextFile(path, source.csv());
}

QString saveSnapshotBundle(const Snapshot& s, const QString& dir, const QString& data_spec,
                           const QString& preset, const std::optional<ReconstructionMetrics>& m) {
    if (!s.fields)
        return QObject::tr("no network to save");
    try {
        ModelBundle b;
        b.settings = s.settings;
        b.weights = s.fields->weights;
        b.thresholds = s.fields->thresholds;
        b.images_seen = s.images_offset + s.counters.images;
        b.patches_seen = s.patches_offset + s.counters.patches;
        b.data_source = data_spec.toStdString();
        b.preset = preset.toStdString();
        b.metrics = m;
        b.created_by = kCreatedBy;
        saveBundle(dir.toStdString(), b);
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

}  // namespace stdp::studio
