// PCA: eigen-decomposition of the patch covariance.

#include <algorithm>
#include <vector>

#include <Eigen/Eigenvalues>

#include "analysis/BaselineDetail.h"

namespace stdp::detail {

namespace {

// Covariance columns per PCA task; the covariance is split by columns, not rows, so that each
// element is summed over the rows in one fixed order whatever the number of workers.
constexpr Index kCovarianceColumns = 64;

}  // namespace

BaselineModel fitPca(const PatchMatrix& x, const BaselineOptions& options, int workers) {
    const std::size_t n = rows(x);
    const Index dim = x.cols();
    // Mean: per-chunk partial sums, added in chunk order.
    std::vector<Eigen::VectorXd> partial(chunkCount(n), Eigen::VectorXd::Zero(dim));
    forEachChunk(n, workers, [&](int, std::size_t c, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            partial[c] += x.row(static_cast<Index>(i)).transpose().cast<double>();
        }
    });
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(dim);
    for (const auto& p : partial)
        mean += p;
    mean /= double(n);
    const Eigen::RowVectorXf mean_row = mean.transpose().cast<float>();
    reportProgress(options, 0.0);

    Eigen::MatrixXd covariance = Eigen::MatrixXd::Zero(dim, dim);
    const Index blocks = (dim + kCovarianceColumns - 1) / kCovarianceColumns;
    std::vector<PatchMatrix> centred(workers);
    std::vector<Eigen::MatrixXf> product(workers);
    parallelFor(static_cast<std::size_t>(blocks), workers,
                [&](int worker, std::size_t first, std::size_t last) {
                    for (std::size_t b = first; b < last; ++b) {
                        const Index c0 = static_cast<Index>(b) * kCovarianceColumns;
                        const Index width = std::min(kCovarianceColumns, dim - c0);
                        for (std::size_t begin = 0; begin < n; begin += kChunkRows) {
                            const std::size_t end = std::min(n, begin + kChunkRows);
                            centred[worker] = rowBlock(x, begin, end).rowwise() - mean_row;
                            product[worker].noalias() =
                                centred[worker].transpose() * centred[worker].middleCols(c0, width);
                            covariance.middleCols(c0, width) += product[worker].cast<double>();
                        }
                    }
                });
    covariance /= double(n);
    reportProgress(options, 0.5);

    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(covariance);
    if (solver.info() != Eigen::Success)
        throw UserError("PCA: eigen-decomposition failed");
    const Index axes = std::min<Index>(options.units, dim);
    BaselineModel model;
    model.method = BaselineMethod::Pca;
    model.dictionary.resize(dim, axes);
    for (Index a = 0; a < axes; ++a) {
        // Eigenvalues come in ascending order; an axis's sign is arbitrary, so fix it (largest
        // component positive) to make the model reproducible across Eigen versions.
        Eigen::VectorXd axis = solver.eigenvectors().col(dim - 1 - a);
        Index peak = 0;
        axis.cwiseAbs().maxCoeff(&peak);
        if (axis[peak] < 0)
            axis = -axis;
        model.dictionary.col(a) = axis.cast<float>();
    }
    model.mean = mean.cast<float>();
    reportProgress(options, 1.0);
    return model;
}

}  // namespace stdp::detail
