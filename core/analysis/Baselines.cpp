#include "analysis/Baselines.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "analysis/BaselineDetail.h"
#include "analysis/Evaluator.h"
#include "data/Dataset.h"
#include "foundation/Parallel.h"
#include "foundation/Random.h"
#include "foundation/Settings.h"

namespace stdp {

PatchMatrix toMatrix(const PatchSet& set) {
    PatchMatrix m(static_cast<Eigen::Index>(set.count()), set.dim);
    std::copy(set.values.begin(), set.values.end(), m.data());
    return m;
}

PatchMatrix baselineFitPatches(const Settings& settings, const ImageSet& data, std::uint64_t seed) {
    Settings s = settings;
    if (s.data.sampling == PatchSampling::Random && data.size() > 0) {
        const std::size_t per_image = (kMinBaselineFitPatches + data.size() - 1) / data.size();
        s.data.eval_patches_per_image = static_cast<int>(std::max<std::size_t>(
            static_cast<std::size_t>(s.data.eval_patches_per_image), per_image));
    }
    return toMatrix(protocolPatches(s, data, Rng::mix(seed, kBaselineFitStream)));
}

void checkBaselineGeometry(const Settings& settings, const ImageSet& data) {
    if (data.signed_values && !settings.structure.onoff)
        throw UserError("data '" + data.source +
                        "' are whitened photographs (signed values): their patches need ON/OFF "
                        "settings, e.g. --preset paper-natural (16x16 ON/OFF patches); a " +
                        std::to_string(settings.structure.patch_size) + "x" +
                        std::to_string(settings.structure.patch_size) +
                        " patch without ON/OFF inputs would be meaningless");
}

namespace detail {

std::vector<float> rowSquaredNorms(const PatchMatrix& x, int workers) {
    std::vector<float> norms(rows(x));
    forEachChunk(rows(x), workers, [&](int, std::size_t, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i)
            norms[i] = x.row(static_cast<Index>(i)).squaredNorm();
    });
    return norms;
}

std::vector<std::size_t> largest(std::vector<double> values, std::size_t count) {
    std::vector<std::size_t> picks;
    for (std::size_t k = 0; k < count && k < values.size(); ++k) {
        const auto it = std::max_element(values.begin(), values.end());
        picks.push_back(static_cast<std::size_t>(it - values.begin()));
        *it = -std::numeric_limits<double>::infinity();
    }
    return picks;
}

}  // namespace detail

using namespace detail;

namespace {

int resolveWorkers(int workers) {
    return allowedWorkers(workers);
}

void requireFinite(const PatchMatrix& x, const std::string& what) {
    if (x.allFinite())
        return;
    for (Index r = 0; r < x.rows(); ++r) {
        if (!x.row(r).allFinite()) {
            throw UserError(what + " contain NaN or infinite values (first at patch " +
                            std::to_string(r) + ")");
        }
    }
}

// Encodes blocks of patches for one model; one Workspace per worker.
class BlockEncoder {
  public:
    struct Workspace {
        UnitByPatch scores;
        PatchMatrix centred;
        PatchMatrix projection;
        std::vector<int> best;
        std::vector<int> index;
        std::vector<float> value;
        OmpWorkspace omp;
    };

    explicit BlockEncoder(const BaselineModel& model) : model_(model) {
        if (model.method == BaselineMethod::KMeans) {
            centroid_norms_ = model.dictionary.colwise().squaredNorm().transpose();
        } else if (model.method == BaselineMethod::SparseCoding) {
            gram_ = gramOf(model.dictionary);
        }
    }

    Workspace workspace() const {
        Workspace ws;
        ws.best.resize(kChunkRows);
        ws.index.resize(model_.active);
        ws.value.resize(model_.active);
        if (model_.method == BaselineMethod::SparseCoding)
            ws.omp.resize(model_.units(), model_.active);
        return ws;
    }

    // xhat: rows x D, codes: rows x K, both sized by the caller; block.rows() <= kChunkRows.
    void encode(const PatchBlock& block, Eigen::Ref<PatchMatrix> xhat,
                Eigen::Ref<PatchMatrix> codes, Workspace& ws) const {
        const Eigen::MatrixXf& dict = model_.dictionary;
        switch (model_.method) {
            case BaselineMethod::KMeans:
                nearestCentroids(block, dict, centroid_norms_, ws.scores, ws.best.data(), nullptr);
                codes.setZero();
                for (Index r = 0; r < block.rows(); ++r) {
                    xhat.row(r) = dict.col(ws.best[r]).transpose();
                    codes(r, ws.best[r]) = 1.0f;
                }
                break;
            case BaselineMethod::SparseCoding:
                ws.scores.noalias() = dict.transpose() * block.transpose();
                codes.setZero();
                for (Index r = 0; r < block.rows(); ++r) {
                    const double x2 = block.row(r).cast<double>().squaredNorm();
                    const int used = ompEncode(ws.scores.col(r).data(), x2, gram_, model_.active,
                                               ws.omp, ws.index.data(), ws.value.data());
                    xhat.row(r).setZero();
                    for (int m = 0; m < used; ++m) {
                        xhat.row(r) += ws.value[m] * dict.col(ws.index[m]).transpose();
                        codes(r, ws.index[m]) = std::abs(ws.value[m]);
                    }
                }
                break;
            case BaselineMethod::Pca: {
                const auto mean = model_.mean.transpose();
                ws.centred = block.rowwise() - mean;
                ws.projection.noalias() = ws.centred * dict;
                xhat.noalias() = ws.projection * dict.transpose();
                xhat.rowwise() += mean;
                codes = ws.projection.cwiseAbs();
                break;
            }
        }
    }

  private:
    const BaselineModel& model_;
    Eigen::VectorXf centroid_norms_;
    Eigen::MatrixXd gram_;
};

void validateModel(const BaselineModel& model) {
    if (model.dictionary.size() == 0)
        throw UserError("baseline model is empty (not fitted)");
    if (model.method == BaselineMethod::Pca && model.mean.size() != model.dim()) {
        throw UserError("PCA model mean has " + std::to_string(model.mean.size()) +
                        " values, expected " + std::to_string(model.dim()));
    }
    if (model.method == BaselineMethod::SparseCoding &&
        (model.active < 1 || model.active > std::min(model.dim(), model.units()))) {
        throw UserError("sparse-coding model has active=" + std::to_string(model.active) +
                        ", must be in [1, " + std::to_string(std::min(model.dim(), model.units())) +
                        "]");
    }
    if (!model.dictionary.allFinite() || !model.mean.allFinite()) {
        throw UserError("baseline model contains NaN or infinite values");
    }
}

}  // namespace

BaselineMethod parseBaselineMethod(const std::string& name) {
    if (name == "kmeans")
        return BaselineMethod::KMeans;
    if (name == "sparse-coding")
        return BaselineMethod::SparseCoding;
    if (name == "pca")
        return BaselineMethod::Pca;
    throw UserError("unknown baseline '" + name + "' (expected kmeans, sparse-coding or pca)");
}

std::string baselineMethodName(BaselineMethod method) {
    switch (method) {
        case BaselineMethod::KMeans:
            return "kmeans";
        case BaselineMethod::SparseCoding:
            return "sparse-coding";
        case BaselineMethod::Pca:
            return "pca";
    }
    return "unknown";
}

BaselineModel fitBaseline(const PatchMatrix& train, const BaselineOptions& options) {
    const std::string name = baselineMethodName(options.method);
    if (options.units < 1) {
        throw UserError(name + ": units must be >= 1, got " + std::to_string(options.units));
    }
    if (options.max_iterations < 1) {
        throw UserError(name + ": max_iterations must be >= 1, got " +
                        std::to_string(options.max_iterations));
    }
    if (train.rows() == 0 || train.cols() == 0) {
        throw UserError(name + ": no training patches");
    }
    const Index dim = train.cols();
    if (options.method == BaselineMethod::SparseCoding) {
        const Index limit = std::min<Index>(dim, options.units);
        if (options.active < 1 || options.active > limit) {
            throw UserError(name + ": active must be in [1, " + std::to_string(limit) +
                            "] (patch size and units), got " + std::to_string(options.active));
        }
    }
    if (options.method != BaselineMethod::Pca && train.rows() < options.units) {
        throw UserError(name + ": needs at least as many training patches as units (" +
                        std::to_string(train.rows()) + " < " + std::to_string(options.units) + ")");
    }
    requireFinite(train, "training patches");
    const int workers = resolveWorkers(options.workers);
    switch (options.method) {
        case BaselineMethod::KMeans:
            return fitKMeans(train, options, workers);
        case BaselineMethod::SparseCoding:
            return fitSparseCoding(train, options, workers);
        case BaselineMethod::Pca:
            return fitPca(train, options, workers);
    }
    throw UserError("unknown baseline method");
}

void encodeBaselinePatch(const BaselineModel& model, const float* x, float* xhat, float* codes) {
    validateModel(model);
    const BlockEncoder encoder(model);
    auto ws = encoder.workspace();
    const Eigen::Map<const PatchMatrix> in(x, 1, model.dim());
    Eigen::Map<PatchMatrix> out(xhat, 1, model.dim());
    Eigen::Map<PatchMatrix> code(codes, 1, model.units());
    encoder.encode(in, out, code, ws);
}

ReconstructionMetrics evaluateBaseline(const BaselineModel& model, const PatchMatrix& test,
                                       int workers) {
    validateModel(model);
    if (test.rows() == 0)
        throw UserError("baseline evaluation: no test patches");
    if (test.cols() != model.dim()) {
        throw UserError("baseline evaluation: model expects " + std::to_string(model.dim()) +
                        "-value patches, test patches have " + std::to_string(test.cols()));
    }
    requireFinite(test, "test patches");
    workers = resolveWorkers(workers);
    const std::size_t n = rows(test);
    const int dim = model.dim();
    const int units = model.units();
    const BlockEncoder encoder(model);
    std::vector<BlockEncoder::Workspace> ws;
    for (int w = 0; w < workers; ++w)
        ws.push_back(encoder.workspace());
    std::vector<PatchMatrix> xhat(workers, PatchMatrix(kChunkRows, dim));
    std::vector<PatchMatrix> codes(workers, PatchMatrix(kChunkRows, units));
    // One accumulator per fixed chunk, merged in chunk order: identical for any worker count.
    std::vector<ReconstructionAccumulator> partial(chunkCount(n), ReconstructionAccumulator(units));
    forEachChunk(n, workers, [&](int worker, std::size_t c, std::size_t begin, std::size_t end) {
        const Index count = static_cast<Index>(end - begin);
        auto out = xhat[worker].topRows(count);
        auto code = codes[worker].topRows(count);
        const PatchBlock block = rowBlock(test, begin, end);
        encoder.encode(block, out, code, ws[worker]);
        for (Index r = 0; r < count; ++r) {
            partial[c].add(block.row(r).data(), out.row(r).data(), dim, code.row(r).data(), units);
        }
    });
    ReconstructionAccumulator total(units);
    for (const auto& p : partial)
        total.merge(p);
    return total.result();
}

}  // namespace stdp
