#pragma once
// A data SPEC loaded for the studio: the training images and a held-out validation set for the
// learning curves (protocol A never evaluates on training images).

#include <QString>
#include <memory>

#include "data/Dataset.h"

namespace stdp::studio {

inline constexpr const char* kBuiltinSpec = "builtin:mnist";
inline constexpr std::size_t kMaxValidationImages = 200;

struct DataChoice {
    QString spec;
    std::shared_ptr<const ImageSet> train;
    std::shared_ptr<const ImageSet> validation;
    bool held_out = true;  // false: too few images, the validation set is the training set
};

// Loads SPEC and keeps its last min(200, 10 %) images for validation, or validates on the held-out
// set that belongs to it (builtin:natural -> builtin:natural-eval). Throws UserError.
DataChoice loadDataChoice(const QString& spec, const DataSettings& data);

// The data to use when `preset` is picked while `current` is loaded (core's dataForPreset);
// `current` for an unknown preset, whose error the caller reports.
QString dataForPresetName(const QString& preset, const QString& current);

}  // namespace stdp::studio
