// k-means by Lloyd iterations from a k-means++ start.

#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

#include "analysis/BaselineDetail.h"

namespace stdp::detail {

std::vector<Index> kmeansPlusPlus(const PatchMatrix& x, int k, Rng& rng, int workers,
                                  const BaselineOptions& options) {
    const std::size_t n = rows(x);
    std::vector<float> nearest(n, std::numeric_limits<float>::infinity());
    std::vector<Index> chosen;
    chosen.reserve(static_cast<std::size_t>(k));
    chosen.push_back(static_cast<Index>(rng.below(n)));
    Eigen::RowVectorXf centre;
    // Seeding can dominate a fit on large inputs; check for cancellation this often.
    constexpr int kCancelCheckEvery = 16;
    for (int c = 0;; ++c) {
        centre = x.row(chosen.back());
        forEachChunk(n, workers, [&](int, std::size_t, std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i) {
                const float d = (x.row(static_cast<Index>(i)) - centre).squaredNorm();
                nearest[i] = std::min(nearest[i], d);
            }
        });
        if (c + 1 == k)
            break;
        if ((c + 1) % kCancelCheckEvery == 0)
            reportProgress(options, 0.0);
        double total = 0.0;
        for (const float d : nearest)
            total += d;
        std::size_t pick = 0;
        if (total > 0.0) {
            const double target = rng.uniform() * total;
            double cumulative = 0.0;
            for (std::size_t i = 0; i < n; ++i) {
                if (nearest[i] <= 0.0f)
                    continue;
                pick = i;  // rounding may leave target unreached: keep the last eligible patch
                cumulative += nearest[i];
                if (cumulative > target)
                    break;
            }
        } else {
            pick = rng.below(n);  // every patch coincides with a centre
        }
        chosen.push_back(static_cast<Index>(pick));
    }
    return chosen;
}

void nearestCentroids(const PatchBlock& block, const Eigen::MatrixXf& centroids,
                      const Eigen::VectorXf& centroid_norms, UnitByPatch& scores, int* best,
                      float* best_score) {
    scores.noalias() = centroids.transpose() * block.transpose();
    for (Index r = 0; r < block.rows(); ++r) {
        // |x - c|^2 - |x|^2 = |c|^2 - 2 x.c; the lowest index wins ties.
        Index arg = 0;
        float lowest = std::numeric_limits<float>::infinity();
        for (Index j = 0; j < scores.rows(); ++j) {
            const float s = centroid_norms[j] - 2.0f * scores(j, r);
            if (s < lowest) {
                lowest = s;
                arg = j;
            }
        }
        best[r] = static_cast<int>(arg);
        if (best_score != nullptr)
            best_score[r] = lowest;
    }
}

BaselineModel fitKMeans(const PatchMatrix& x, const BaselineOptions& options, int workers) {
    const std::size_t n = rows(x);
    const int k = options.units;
    Rng rng(options.seed);
    const auto seeds = kmeansPlusPlus(x, k, rng, workers, options);
    Eigen::MatrixXf centroids(x.cols(), k);
    for (int j = 0; j < k; ++j)
        centroids.col(j) = x.row(seeds[j]).transpose();

    const std::vector<float> norms2 = rowSquaredNorms(x, workers);
    std::vector<int> assignment(n, -1);
    std::vector<float> distance2(n, 0.0f);
    std::vector<std::size_t> changes(chunkCount(n), 0);
    std::vector<UnitByPatch> scores(workers);
    std::vector<int> best(kChunkRows * workers);
    std::vector<float> best_score(kChunkRows * workers);
    Eigen::MatrixXd sums(x.cols(), k);
    std::vector<std::size_t> members(k);
    Eigen::VectorXd patch(x.cols());

    BaselineModel model;
    model.method = BaselineMethod::KMeans;
    for (int iteration = 0; iteration < options.max_iterations; ++iteration) {
        const Eigen::VectorXf centroid_norms = centroids.colwise().squaredNorm().transpose();
        forEachChunk(n, workers,
                     [&](int worker, std::size_t c, std::size_t begin, std::size_t end) {
                         int* b = &best[kChunkRows * worker];
                         float* s = &best_score[kChunkRows * worker];
                         nearestCentroids(rowBlock(x, begin, end), centroids, centroid_norms,
                                          scores[worker], b, s);
                         std::size_t changed = 0;
                         for (std::size_t i = begin; i < end; ++i) {
                             changed += assignment[i] != b[i - begin];
                             assignment[i] = b[i - begin];
                             distance2[i] = std::max(0.0f, norms2[i] + s[i - begin]);
                         }
                         changes[c] = changed;
                     });
        std::size_t changed = 0;
        for (const std::size_t c : changes)
            changed += c;
        if (changed == 0)
            break;  // centroids already are the means of these assignments

        sums.setZero();
        std::fill(members.begin(), members.end(), 0);
        for (std::size_t i = 0; i < n; ++i) {
            patch = x.row(static_cast<Index>(i)).transpose().cast<double>();
            sums.col(assignment[i]) += patch;
            ++members[assignment[i]];
        }
        std::vector<double> far(distance2.begin(), distance2.end());
        std::size_t empty = 0;
        for (int j = 0; j < k; ++j)
            empty += members[j] == 0;
        const auto farthest = largest(std::move(far), empty);
        std::size_t next_far = 0;
        for (int j = 0; j < k; ++j) {
            if (members[j] > 0) {
                centroids.col(j) = (sums.col(j) / double(members[j])).cast<float>();
            } else {
                // The patch worst served by its centroid is the most useful place for a new one.
                centroids.col(j) = x.row(static_cast<Index>(farthest[next_far++])).transpose();
            }
        }
        model.iterations = iteration + 1;
        reportProgress(options, double(iteration + 1) / options.max_iterations);
    }
    model.dictionary = std::move(centroids);
    return model;
}

}  // namespace stdp::detail
