#include "DataSource.h"

#include <algorithm>

#include "model/Presets.h"

namespace stdp::studio {

namespace {
constexpr std::size_t kValidationDivisor = 10;  // at most a tenth of the images
constexpr std::size_t kMinImagesToSplit = 2;
}  // namespace

DataChoice loadDataChoice(const QString& spec, const DataSettings& data) {
    ImageSet all = loadDataSpec(spec.trimmed().toStdString(), data);
    if (all.size() == 0)
        throw UserError("data '" + spec.toStdString() + "': no images");
    DataChoice out;
    out.spec = spec.trimmed();
    if (const auto held_out = heldOutSpec(out.spec.toStdString())) {
        out.validation = std::make_shared<const ImageSet>(loadDataSpec(*held_out, data));
        out.train = std::make_shared<const ImageSet>(std::move(all));
        return out;
    }
    const std::size_t n = all.size();
    if (n < kMinImagesToSplit) {
        auto shared = std::make_shared<const ImageSet>(std::move(all));
        out.train = shared;
        out.validation = shared;
        out.held_out = false;
        return out;
    }
    const std::size_t val =
        std::clamp<std::size_t>(n / kValidationDivisor, 1, kMaxValidationImages);
    ImageSet validation;
    validation.source = all.source + " (validation)";
    validation.signed_values = all.signed_values;
    validation.images.assign(all.images.end() - static_cast<std::ptrdiff_t>(val), all.images.end());
    if (all.labels.size() == n)
        validation.labels.assign(all.labels.end() - static_cast<std::ptrdiff_t>(val),
                                 all.labels.end());
    all.images.resize(n - val);
    if (all.labels.size() == n)
        all.labels.resize(n - val);
    out.train = std::make_shared<const ImageSet>(std::move(all));
    out.validation = std::make_shared<const ImageSet>(std::move(validation));
    return out;
}

QString dataForPresetName(const QString& preset, const QString& current) {
    for (const Preset& p : presets())
        if (p.name == preset.toStdString())
            return QString::fromStdString(dataForPreset(p, current.toStdString()));
    return current;
}

}  // namespace stdp::studio
