// Sparse coding: dictionary learning by alternating batch-OMP encoding and MOD updates.

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include <Eigen/Cholesky>

#include "analysis/BaselineDetail.h"

namespace stdp::detail {

namespace {

// OMP stops once the residual energy is below this fraction of the patch's energy. The
// correlations come from float products (~1e-7 relative error), so tighter values are noise.
constexpr double kOmpResidualTolerance = 1e-6;
// OMP skips an atom whose component orthogonal to the chosen atoms has less than this squared
// norm: it cannot reduce the residual and would make the Cholesky factor singular.
constexpr double kOmpDependentAtom = 1e-10;
// Dictionary learning stops when the total squared error changes by less than this fraction.
constexpr double kSparseRelativeChange = 1e-4;
// Ridge added to A A^T in the MOD update, relative to its mean diagonal, so rarely used atoms do
// not make the solve ill-conditioned.
constexpr double kModRidge = 1e-6;
// Absolute floor for the ridge and for "this atom has no length left".
constexpr double kTinyNorm = 1e-12;
// Atoms more alike than this (|cosine|) count as duplicates; the less used one is re-seeded.
// Low enough to break up the "two atoms share one true atom" minimum; on overcomplete natural
// patches it still slightly lowers the error.
constexpr float kDuplicateCoherence = 0.9f;

}  // namespace

// Batch-OMP (Rubinstein, Zibulevsky & Elad 2008): greedy atom selection from the correlations
// D^T x, with the least-squares coefficients kept up to date by a Cholesky factor of the Gram
// matrix of the chosen atoms, so the patch itself is never touched. Writes up to `active` atom
// indices and coefficients, returns how many.
int ompEncode(const float* correlations, double x2, const Eigen::MatrixXd& gram, int active,
              OmpWorkspace& ws, int* index, float* value) {
    const int units = static_cast<int>(gram.rows());
    if (!(x2 > 0.0))
        return 0;
    for (int j = 0; j < units; ++j) {
        ws.alpha0[j] = correlations[j];
        ws.alpha[j] = correlations[j];
        ws.used[j] = 0;
    }
    double* const chol = ws.chol.data();  // lower triangular, row-major, stride `active`
    int n = 0;
    double residual2 = x2;
    while (n < active && residual2 > kOmpResidualTolerance * x2) {
        int pick = -1;
        double strongest = 0.0;
        for (int j = 0; j < units; ++j) {
            const double a = std::abs(ws.alpha[j]);
            if (!ws.used[j] && a > strongest) {
                strongest = a;
                pick = j;
            }
        }
        if (pick < 0)
            break;  // residual orthogonal to every remaining atom
        // Extend the Cholesky factor by the new atom's row: L w = G[selected, pick].
        double diag2 = gram(pick, pick);
        for (int m = 0; m < n; ++m) {
            double s = gram(ws.selected[m], pick);
            for (int q = 0; q < m; ++q)
                s -= chol[m * active + q] * ws.w[q];
            ws.w[m] = s / chol[m * active + m];
            diag2 -= ws.w[m] * ws.w[m];
        }
        if (diag2 <= kOmpDependentAtom) {
            ws.used[pick] = 1;  // in the span of the chosen atoms: try the next best
            continue;
        }
        for (int q = 0; q < n; ++q)
            chol[n * active + q] = ws.w[q];
        chol[n * active + n] = std::sqrt(diag2);
        ws.selected[n] = pick;
        ws.used[pick] = 1;
        ++n;
        // Solve L L^T gamma = alpha0[selected]; |residual|^2 = |x|^2 - |L^-1 alpha0[selected]|^2.
        double explained = 0.0;
        for (int m = 0; m < n; ++m) {
            double s = ws.alpha0[ws.selected[m]];
            for (int q = 0; q < m; ++q)
                s -= chol[m * active + q] * ws.y[q];
            ws.y[m] = s / chol[m * active + m];
            explained += ws.y[m] * ws.y[m];
        }
        for (int m = n - 1; m >= 0; --m) {
            double s = ws.y[m];
            for (int q = m + 1; q < n; ++q)
                s -= chol[q * active + m] * ws.gamma[q];
            ws.gamma[m] = s / chol[m * active + m];
        }
        residual2 = std::max(0.0, x2 - explained);
        if (n == active)
            break;
        // Correlations of the new residual: alpha = alpha0 - G[:, selected] gamma.
        for (int j = 0; j < units; ++j)
            ws.alpha[j] = ws.alpha0[j];
        for (int m = 0; m < n; ++m) {
            const double g = ws.gamma[m];
            const double* column = gram.col(ws.selected[m]).data();
            for (int j = 0; j < units; ++j)
                ws.alpha[j] -= g * column[j];
        }
    }
    for (int m = 0; m < n; ++m) {
        index[m] = ws.selected[m];
        value[m] = static_cast<float>(ws.gamma[m]);
    }
    return n;
}

Eigen::MatrixXd gramOf(const Eigen::MatrixXf& atoms) {
    const Eigen::MatrixXd d = atoms.cast<double>();
    return d.transpose() * d;
}

namespace {

// Sparse codes of every training patch, `active` slots per patch.
struct SparseCodes {
    int active = 0;
    std::vector<int> index;
    std::vector<float> value;
    std::vector<int> count;
    std::vector<double> error2;  // squared reconstruction error per patch
};

void sparseEncodeAll(const PatchMatrix& x, const std::vector<float>& norms2,
                     const Eigen::MatrixXf& atoms, int workers, SparseCodes& codes) {
    const std::size_t n = rows(x);
    const int active = codes.active;
    const Eigen::MatrixXd gram = gramOf(atoms);
    const int units = static_cast<int>(atoms.cols());
    std::vector<UnitByPatch> scores(workers);
    std::vector<OmpWorkspace> ws(workers);
    std::vector<Eigen::VectorXf> residual(workers, Eigen::VectorXf(x.cols()));
    for (auto& w : ws)
        w.resize(units, active);
    forEachChunk(n, workers, [&](int worker, std::size_t, std::size_t begin, std::size_t end) {
        const PatchBlock block = rowBlock(x, begin, end);
        UnitByPatch& corr = scores[worker];
        corr.noalias() = atoms.transpose() * block.transpose();
        Eigen::VectorXf& r = residual[worker];
        for (std::size_t i = begin; i < end; ++i) {
            const Index local = static_cast<Index>(i - begin);
            int* idx = &codes.index[i * active];
            float* val = &codes.value[i * active];
            const int used =
                ompEncode(corr.col(local).data(), norms2[i], gram, active, ws[worker], idx, val);
            codes.count[i] = used;
            // Exact error rather than OMP's |x|^2 - explained, which cancels badly near zero.
            r = block.row(local).transpose();
            for (int m = 0; m < used; ++m)
                r -= val[m] * atoms.col(idx[m]);
            codes.error2[i] = r.cast<double>().squaredNorm();
        }
    });
}

void setUnitColumn(Eigen::MatrixXf& atoms, Index j, const Eigen::VectorXf& v, Rng& rng) {
    const float norm = v.norm();
    if (norm > kTinyNorm) {
        atoms.col(j) = v / norm;
        return;
    }
    // A zero patch gives no direction; any unit vector will do, the next round will move it.
    Eigen::VectorXf random(v.size());
    for (Index i = 0; i < random.size(); ++i)
        random[i] = static_cast<float>(rng.uniform(-1, 1));
    atoms.col(j) = random / random.norm();
}

// Replaces atoms that are dead (unused, or degenerate after the update) or near-duplicates of a
// more used atom: a duplicate wastes a unit that could represent what the dictionary misses, the
// typical local minimum of dictionary learning. Each replacement is the residual direction of the
// next worst-reconstructed patch (under the dictionary that produced `codes`), i.e. exactly what
// the current atoms fail to explain.
void reseedAtoms(const PatchMatrix& x, const SparseCodes& codes, const Eigen::MatrixXf& coded_with,
                 const std::vector<std::size_t>& uses, std::vector<std::uint8_t>& dead,
                 Eigen::MatrixXf& atoms, Rng& rng) {
    const Index units = atoms.cols();
    const Eigen::MatrixXf coherence = atoms.transpose() * atoms;
    for (Index i = 0; i < units; ++i) {
        for (Index j = i + 1; j < units; ++j) {
            if (dead[i] || dead[j] || std::abs(coherence(i, j)) <= kDuplicateCoherence)
                continue;
            dead[uses[j] > uses[i] ? i : j] = 1;
        }
    }
    const auto count = static_cast<std::size_t>(std::count(dead.begin(), dead.end(), 1));
    const auto worst = largest(codes.error2, count);
    Eigen::VectorXf residual(x.cols());
    std::size_t next = 0;
    for (Index j = 0; j < units; ++j) {
        if (!dead[j])
            continue;
        const std::size_t i = worst[next++];
        residual = x.row(static_cast<Index>(i)).transpose();
        for (int m = 0; m < codes.count[i]; ++m) {
            const std::size_t slot = i * codes.active + m;
            residual -= codes.value[slot] * coded_with.col(codes.index[slot]);
        }
        setUnitColumn(atoms, j, residual, rng);
    }
}

// Method of optimal directions (Engan et al. 1999): the least-squares dictionary for fixed codes,
// D = X A^T (A A^T + eps I)^-1, then columns renormalised. Atoms no patch used are re-seeded with
// the worst-reconstructed patches.
void modUpdate(const PatchMatrix& x, const SparseCodes& codes, Eigen::MatrixXf& atoms, Rng& rng) {
    const Index dim = x.cols();
    const Index units = atoms.cols();
    Eigen::MatrixXd xat = Eigen::MatrixXd::Zero(dim, units);
    Eigen::MatrixXd aat = Eigen::MatrixXd::Zero(units, units);
    std::vector<std::size_t> uses(static_cast<std::size_t>(units), 0);
    Eigen::VectorXd patch(dim);
    // Sequential: the codes are sparse, so this is cheap next to the encoding, and summing in
    // patch order keeps it independent of the worker count.
    for (std::size_t i = 0; i < rows(x); ++i) {
        const int used = codes.count[i];
        if (used == 0)
            continue;
        const int* idx = &codes.index[i * codes.active];
        const float* val = &codes.value[i * codes.active];
        patch = x.row(static_cast<Index>(i)).transpose().cast<double>();
        for (int m = 0; m < used; ++m) {
            ++uses[idx[m]];
            xat.col(idx[m]) += double(val[m]) * patch;
            for (int q = 0; q < used; ++q)
                aat(idx[m], idx[q]) += double(val[m]) * val[q];
        }
    }
    const double ridge = std::max(kTinyNorm, kModRidge * aat.trace() / double(units));
    aat.diagonal().array() += ridge;
    const Eigen::MatrixXd updated = aat.ldlt().solve(xat.transpose()).transpose();

    const Eigen::MatrixXf previous = atoms;
    std::vector<std::uint8_t> dead(static_cast<std::size_t>(units), 0);
    for (Index j = 0; j < units; ++j) {
        const double norm = updated.col(j).norm();
        if (uses[j] == 0 || !(norm > kTinyNorm)) {
            dead[j] = 1;
        } else {
            atoms.col(j) = (updated.col(j) / norm).cast<float>();
        }
    }
    reseedAtoms(x, codes, previous, uses, dead, atoms, rng);
}

}  // namespace

BaselineModel fitSparseCoding(const PatchMatrix& x, const BaselineOptions& options, int workers) {
    const std::size_t n = rows(x);
    const int k = options.units;
    Rng rng(options.seed);
    const auto seeds = kmeansPlusPlus(x, k, rng, workers, options);
    Eigen::MatrixXf atoms(x.cols(), k);
    for (int j = 0; j < k; ++j)
        setUnitColumn(atoms, j, x.row(seeds[j]).transpose(), rng);

    const std::vector<float> norms2 = rowSquaredNorms(x, workers);
    SparseCodes codes;
    codes.active = options.active;
    codes.index.assign(n * options.active, 0);
    codes.value.assign(n * options.active, 0.0f);
    codes.count.assign(n, 0);
    codes.error2.assign(n, 0.0);

    BaselineModel model;
    model.method = BaselineMethod::SparseCoding;
    model.active = options.active;
    // Each round is an encoding plus an update, about twice the work of a Lloyd iteration.
    const int rounds = std::max(1, options.max_iterations / 2);
    double previous = 0.0;
    for (int round = 0; round < rounds; ++round) {
        sparseEncodeAll(x, norms2, atoms, workers, codes);
        double error = 0.0;
        for (const double e : codes.error2)
            error += e;
        if (!(error > 0.0))
            break;
        if (round > 0 && std::abs(previous - error) <= kSparseRelativeChange * previous)
            break;
        previous = error;
        modUpdate(x, codes, atoms, rng);
        model.iterations = round + 1;
        reportProgress(options, double(round + 1) / rounds);
    }
    model.dictionary = std::move(atoms);
    return model;
}

}  // namespace stdp::detail
