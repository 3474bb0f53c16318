#pragma once
// The built-in digits as the studio's data choice, cut small for the controller's tests: the
// first `train_images` to learn from, the last `validation_images` to evaluate on.

#include <cstddef>
#include <memory>

#include "DataSource.h"
#include "data/Dataset.h"

namespace stdp::studio_test {

inline studio::DataChoice builtinDigits(std::size_t train_images, std::size_t validation_images) {
    studio::DataChoice d;
    d.spec = QString::fromLatin1(studio::kBuiltinSpec);
    const ImageSet all = builtinMnist();
    ImageSet train = all;
    train.images.resize(train_images);
    train.labels.clear();
    ImageSet val = all;
    val.images.assign(all.images.end() - static_cast<std::ptrdiff_t>(validation_images),
                      all.images.end());
    val.labels.clear();
    d.train = std::make_shared<const ImageSet>(std::move(train));
    d.validation = std::make_shared<const ImageSet>(std::move(val));
    return d;
}

}  // namespace stdp::studio_test
