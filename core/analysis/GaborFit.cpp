#include "analysis/GaborFit.h"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "foundation/Parallel.h"

namespace stdp {

namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kTwoPi = 2.0 * std::numbers::pi;
constexpr int kParams = 9;
enum Param { kA, kX0, kY0, kSx, kSy, kTheta, kF, kPhi, kC };

// Bounds keep the model identifiable: an envelope narrower than a third of a pixel or wider than
// the field, or a carrier above Nyquist, fits noise rather than shape.
constexpr double kMinSigma = 0.35;
constexpr double kMaxSigmaFactor = 1.0;  // times the field size
constexpr double kMaxFrequency = 0.5;
constexpr double kCentreMargin = 0.5;  // the centre may sit this far (in sizes) outside the field

// Levenberg-Marquardt damping schedule.
constexpr double kLambdaStart = 1e-3;
constexpr double kLambdaUp = 10.0;
constexpr double kLambdaDown = 0.3;
constexpr double kLambdaMax = 1e10;
constexpr double kRelativeTolerance = 1e-10;
constexpr double kFlatTolerance = 1e-20;  // variance / energy below this: a constant field

// The DFT is evaluated on a grid this many times finer than the field's own frequency spacing,
// so the initial frequency is good to a fraction of 1/p.
constexpr int kDftOversample = 4;
// Starting envelope widths, as fractions of the field size.
constexpr double kSigmaStarts[] = {0.12, 0.25};
constexpr double kPhaseStarts[] = {0.0, 0.5 * kPi, kPi, -0.5 * kPi};

using Vec = Eigen::Matrix<double, kParams, 1>;
using Mat = Eigen::Matrix<double, kParams, kParams>;

GaborParams toParams(const Vec& v) {
    return {v[kA], v[kX0], v[kY0], v[kSx], v[kSy], v[kTheta], v[kF], v[kPhi], v[kC]};
}

Vec toVec(const GaborParams& g) {
    Vec v;
    v << g.amplitude, g.x0, g.y0, g.sigma_x, g.sigma_y, g.theta, g.frequency, g.phase, g.offset;
    return v;
}

double wrapPi(double a) {  // into (-pi, pi]
    a = std::fmod(a + kPi, kTwoPi);
    if (a <= 0.0)
        a += kTwoPi;
    return a - kPi;
}

void project(Vec& v, int size) {
    const double lo = -kCentreMargin * size;
    const double hi = (1.0 + kCentreMargin) * size;
    v[kX0] = std::clamp(v[kX0], lo, hi);
    v[kY0] = std::clamp(v[kY0], lo, hi);
    v[kSx] = std::clamp(std::abs(v[kSx]), kMinSigma, kMaxSigmaFactor * size);
    v[kSy] = std::clamp(std::abs(v[kSy]), kMinSigma, kMaxSigmaFactor * size);
    v[kF] = std::clamp(v[kF], -kMaxFrequency, kMaxFrequency);
}

// Residuals r = g - data and, when J is given, the Jacobian (N x 9). Returns the SSE.
double residuals(const Vec& v, const Eigen::VectorXd& data, int size, Eigen::VectorXd& r,
                 Eigen::Matrix<double, Eigen::Dynamic, kParams>* J) {
    const double ct = std::cos(v[kTheta]);
    const double st = std::sin(v[kTheta]);
    const double isx2 = 1.0 / (v[kSx] * v[kSx]);
    const double isy2 = 1.0 / (v[kSy] * v[kSy]);
    double sse = 0.0;
    for (int row = 0; row < size; ++row) {
        for (int col = 0; col < size; ++col) {
            const int i = row * size + col;
            const double dx = col - v[kX0];
            const double dy = row - v[kY0];
            const double xr = dx * ct + dy * st;
            const double yr = -dx * st + dy * ct;
            const double env = std::exp(-0.5 * (xr * xr * isx2 + yr * yr * isy2));
            const double arg = kTwoPi * v[kF] * xr + v[kPhi];
            const double c = std::cos(arg);
            const double s = std::sin(arg);
            const double ae = v[kA] * env;
            r[i] = ae * c + v[kC] - data[i];
            sse += r[i] * r[i];
            if (!J)
                continue;
            // Chain rule through the rotated coordinates: dx'/dtheta = y', dy'/dtheta = -x'.
            const double gx = ae * (-xr * isx2 * c - kTwoPi * v[kF] * s);  // dg/dx'
            const double gy = ae * c * (-yr * isy2);                       // dg/dy'
            auto Ji = J->row(i);
            Ji[kA] = env * c;
            Ji[kX0] = -gx * ct + gy * st;
            Ji[kY0] = -gx * st - gy * ct;
            Ji[kSx] = ae * c * xr * xr * isx2 / v[kSx];
            Ji[kSy] = ae * c * yr * yr * isy2 / v[kSy];
            Ji[kTheta] = gx * yr - gy * xr;
            Ji[kF] = -ae * s * kTwoPi * xr;
            Ji[kPhi] = -ae * s;
            Ji[kC] = 1.0;
        }
    }
    return sse;
}

struct LmResult {
    Vec v;
    double sse = 0.0;
    int iterations = 0;
};

LmResult levenbergMarquardt(Vec v, const Eigen::VectorXd& data, int size, int max_iterations) {
    const auto n = data.size();
    Eigen::VectorXd r(n), r_try(n);
    Eigen::Matrix<double, Eigen::Dynamic, kParams> J(n, kParams);
    project(v, size);
    double sse = residuals(v, data, size, r, &J);
    double lambda = kLambdaStart;
    int it = 0;
    for (; it < max_iterations && lambda < kLambdaMax; ++it) {
        const Mat JtJ = J.transpose() * J;
        const Vec g = J.transpose() * r;
        bool improved = false;
        while (lambda < kLambdaMax) {
            Mat A = JtJ;
            // Marquardt's scaling by the diagonal, with a floor so flat directions stay solvable.
            for (int k = 0; k < kParams; ++k)
                A(k, k) += lambda * std::max(JtJ(k, k), 1e-12);
            Vec trial = v - A.ldlt().solve(g);
            project(trial, size);
            const double sse_try = residuals(trial, data, size, r_try, nullptr);
            if (std::isfinite(sse_try) && sse_try < sse) {
                const double gain = sse - sse_try;
                v = trial;
                lambda = std::max(lambda * kLambdaDown, 1e-12);
                improved = true;
                sse = residuals(v, data, size, r, &J);
                if (gain <= kRelativeTolerance * (sse + 1e-300))
                    return {v, sse, it + 1};
                break;
            }
            lambda *= kLambdaUp;
        }
        if (!improved)
            break;
    }
    return {v, sse, it};
}

// Puts equivalent parameter sets into one canonical form: A > 0, f >= 0, theta in [0, pi),
// phase in (-pi, pi]. Flipping the axis (theta + pi) maps x' to -x' and so phi to -phi.
GaborParams canonical(GaborParams g) {
    if (g.amplitude < 0.0) {
        g.amplitude = -g.amplitude;
        g.phase += kPi;
    }
    if (g.frequency < 0.0) {
        g.frequency = -g.frequency;
        g.phase = -g.phase;
    }
    g.theta = std::fmod(g.theta, kTwoPi);
    if (g.theta < 0.0)
        g.theta += kTwoPi;
    if (g.theta >= kPi) {
        g.theta -= kPi;
        g.phase = -g.phase;
    }
    g.phase = wrapPi(g.phase);
    return g;
}

struct Spectrum {
    double frequency = 0.0;
    double theta = 0.0;
};

// Peak of the DFT magnitude over half the frequency plane (the other half is its mirror). The
// transform is separable: first along each row for every horizontal frequency, then down the rows.
Spectrum spectralPeak(const Eigen::VectorXd& centred, int size) {
    const int steps = kDftOversample * size / 2;  // up to Nyquist on each axis
    const int nb = 2 * steps + 1;
    std::vector<std::complex<double>> rows(static_cast<std::size_t>(nb) * size);
    for (int b = -steps; b <= steps; ++b) {
        const double fx = 0.5 * b / steps;
        for (int row = 0; row < size; ++row) {
            std::complex<double> sum = 0.0;
            for (int col = 0; col < size; ++col)
                sum += centred[row * size + col] * std::polar(1.0, kTwoPi * fx * col);
            rows[static_cast<std::size_t>(b + steps) * size + row] = sum;
        }
    }
    double best = -1.0;
    Spectrum peak;
    for (int a = 0; a <= steps; ++a) {
        const double fy = 0.5 * a / steps;
        for (int b = -steps; b <= steps; ++b) {
            if (a == 0 && b <= 0)
                continue;  // the DC term and the mirrored half-axis
            std::complex<double> sum = 0.0;
            for (int row = 0; row < size; ++row)
                sum += rows[static_cast<std::size_t>(b + steps) * size + row] *
                       std::polar(1.0, kTwoPi * fy * row);
            const double power = std::norm(sum);
            if (power > best) {
                const double fx = 0.5 * b / steps;
                best = power;
                peak = {std::hypot(fx, fy), std::atan2(fy, fx)};
            }
        }
    }
    return peak;
}

}  // namespace

double gaborValue(const GaborParams& g, double x, double y) {
    const double dx = x - g.x0;
    const double dy = y - g.y0;
    const double xr = dx * std::cos(g.theta) + dy * std::sin(g.theta);
    const double yr = -dx * std::sin(g.theta) + dy * std::cos(g.theta);
    const double env =
        std::exp(-0.5 * (xr * xr / (g.sigma_x * g.sigma_x) + yr * yr / (g.sigma_y * g.sigma_y)));
    return g.amplitude * env * std::cos(kTwoPi * g.frequency * xr + g.phase) + g.offset;
}

Eigen::VectorXd renderGabor(const GaborParams& g, int size) {
    Eigen::VectorXd out(static_cast<Eigen::Index>(size) * size);
    for (int row = 0; row < size; ++row)
        for (int col = 0; col < size; ++col)
            out[row * size + col] = gaborValue(g, col, row);
    return out;
}

GaborFit fitGabor(const Eigen::VectorXd& field, int size, const GaborFitOptions& options) {
    if (size < 3)
        throw std::invalid_argument("fitGabor: the field must be at least 3 x 3");
    if (field.size() != static_cast<Eigen::Index>(size) * size)
        throw std::invalid_argument("fitGabor: field length is not size * size");
    const double mean = field.mean();
    const Eigen::VectorXd centred = field.array() - mean;
    const double sst = centred.squaredNorm();
    GaborFit out;
    // A field that is constant up to rounding has no shape to fit (and R^2 would be noise).
    if (!(sst > kFlatTolerance * field.squaredNorm()) || !std::isfinite(sst)) {
        out.params.amplitude = 0.0;
        out.params.offset = mean;
        out.sse = std::isfinite(sst) ? 0.0 : sst;
        return out;
    }

    // Centre: centroid of the energy, where a localised field lives.
    double cx = 0.0, cy = 0.0;
    for (int row = 0; row < size; ++row)
        for (int col = 0; col < size; ++col) {
            const double e = centred[row * size + col] * centred[row * size + col];
            cx += e * col;
            cy += e * row;
        }
    cx /= sst;
    cy /= sst;
    const Spectrum peak = spectralPeak(centred, size);
    const double amplitude = centred.cwiseAbs().maxCoeff();

    // Short runs from every start, then the best one refined: cheaper than full runs from all.
    LmResult best;
    best.sse = std::numeric_limits<double>::infinity();
    for (const double sigma : kSigmaStarts)
        for (const double phase : kPhaseStarts) {
            GaborParams g;
            g.amplitude = amplitude;
            g.x0 = cx;
            g.y0 = cy;
            g.sigma_x = g.sigma_y = sigma * size;
            g.theta = peak.theta;
            g.frequency = peak.frequency;
            g.phase = phase;
            g.offset = mean;
            LmResult r = levenbergMarquardt(toVec(g), field, size, options.probe_iterations);
            if (r.sse < best.sse)
                best = r;
        }
    LmResult fin = levenbergMarquardt(best.v, field, size, options.max_iterations);
    fin.iterations += best.iterations;
    out.params = canonical(toParams(fin.v));
    out.sse = fin.sse;
    out.r2 = std::max(0.0, 1.0 - fin.sse / sst);
    out.iterations = fin.iterations;
    return out;
}

namespace {

constexpr std::array<const char*, kFieldShapes> kShapeNames = {
    "Gabor", "blob", "border line", "global grating", "flat", "poor fit", "duplicate"};

// Share of the centred field's energy on its outermost rows and columns.
double borderEnergyShare(const Eigen::VectorXd& centred, int size) {
    double border = 0.0;
    for (int row = 0; row < size; ++row)
        for (int col = 0; col < size; ++col)
            if (row == 0 || col == 0 || row == size - 1 || col == size - 1)
                border += centred[row * size + col] * centred[row * size + col];
    const double total = centred.squaredNorm();
    return total > 0.0 ? border / total : 0.0;
}

double rms(const Eigen::VectorXd& v) {
    return v.size() == 0 ? 0.0 : std::sqrt(v.squaredNorm() / static_cast<double>(v.size()));
}

std::string percent(double fraction) {
    std::ostringstream os;
    os << std::lround(100.0 * fraction) << " %";
    return os.str();
}

std::string number(double v) {
    std::ostringstream os;
    os.precision(2);
    os << v;
    return os.str();
}

}  // namespace

const char* fieldShapeName(FieldShape shape) {
    return kShapeNames[static_cast<std::size_t>(shape)];
}

double FieldCensus::gaborShare() const {
    return shapes.empty() ? 0.0 : double(count(FieldShape::Gabor)) / double(shapes.size());
}

double FieldCensus::goodFitShare(double min_r2) const {
    if (fits.empty())
        return 0.0;
    const auto good =
        std::count_if(fits.begin(), fits.end(), [&](const GaborFit& f) { return f.r2 >= min_r2; });
    return double(good) / double(fits.size());
}

std::string FieldCensus::countsText() const {
    std::string out;
    for (std::size_t k = 0; k < kFieldShapes; ++k)
        out += (out.empty() ? "" : ", ") + std::string(kShapeNames[k]) + " " +
               std::to_string(counts[k]);
    return out;
}

double gaborSideLobe(double cycles_per_sigma) {
    if (!(cycles_per_sigma > 0.0))
        return 0.0;
    // h(t) = exp(-t^2 / (2 s^2)) cos t with t = 2 pi f x: the lobe's extremum solves
    // tan t + t / s^2 = 0 on (pi/2, pi), where the left side rises from -inf to pi / s^2 > 0.
    const double s = 2.0 * std::numbers::pi * cycles_per_sigma;
    double lo = std::numbers::pi / 2.0;
    double hi = std::numbers::pi;
    for (int i = 0; i < 100; ++i) {
        const double t = 0.5 * (lo + hi);
        (std::tan(t) + t / (s * s) < 0.0 ? lo : hi) = t;
    }
    const double t = 0.5 * (lo + hi);
    return std::exp(-t * t / (2.0 * s * s)) * std::abs(std::cos(t));
}

double gaborOppositeLobe(const GaborParams& g) {
    // Beyond 4 sigma the envelope is below e^-8 of its peak: no lobe there can count.
    constexpr int kSamples = 4000;
    if (!(g.sigma_x > 0.0))
        return 0.0;
    double highest = 0.0;
    double lowest = 0.0;
    for (int i = -kSamples; i <= kSamples; ++i) {
        const double x = 4.0 * g.sigma_x * i / kSamples;
        const double h = std::exp(-x * x / (2.0 * g.sigma_x * g.sigma_x)) *
                         std::cos(2.0 * std::numbers::pi * g.frequency * x + g.phase);
        highest = std::max(highest, h);
        lowest = std::min(lowest, h);
    }
    const double peak = std::max(highest, -lowest);
    return peak > 0.0 ? std::min(highest, -lowest) / peak : 0.0;
}

double gaborCarrierFrequency(const GaborParams& g) {
    if (!(g.sigma_x > 0.0))
        return 0.0;
    // The profile's Fourier transform is two Gaussians at +-f, phases +-phi:
    // |H(nu)|^2 ~ a^2 + b^2 + 2 a b cos(2 phi), a = exp(-k (nu - f)^2), b = exp(-k (nu + f)^2),
    // k = 2 pi^2 sigma^2. Its peak lies below f + 1 / sigma (an edge's sits at 1 / (2 pi sigma)).
    const double f = std::abs(g.frequency);
    const double k = 2.0 * std::numbers::pi * std::numbers::pi * g.sigma_x * g.sigma_x;
    const double c2 = std::cos(2.0 * g.phase);
    const auto power = [&](double nu) {
        const double a = std::exp(-k * (nu - f) * (nu - f));
        const double b = std::exp(-k * (nu + f) * (nu + f));
        return a * a + b * b + 2.0 * a * b * c2;
    };
    constexpr int kSteps = 4000;
    const double step = (f + 1.0 / g.sigma_x) / kSteps;
    int best = 0;
    for (int i = 1; i <= kSteps; ++i)
        if (power(i * step) > power(best * step))
            best = i;
    // The spectrum is even in nu: a peak at 0 is a single-signed spot's.
    if (best == 0)
        return 0.0;
    double lo = (best - 1) * step;
    double hi = (best + 1) * step;
    for (int i = 0; i < 100; ++i) {
        const double m1 = lo + (hi - lo) / 3.0;
        const double m2 = hi - (hi - lo) / 3.0;
        if (power(m1) < power(m2))
            lo = m1;
        else
            hi = m2;
    }
    return 0.5 * (lo + hi);
}

double gaborCyclesPerSigmaFor(double lobe) {
    double lo = 0.0;
    double hi = 10.0;  // a side lobe of 1 - 1e-3 of the peak: any lobe below 1 is reached first
    for (int i = 0; i < 100; ++i) {
        const double n = 0.5 * (lo + hi);
        (gaborSideLobe(n) < lobe ? lo : hi) = n;
    }
    return 0.5 * (lo + hi);
}

std::string gaborCriterionText(const GaborCriterion& c) {
    return "a field counts as a localised oriented Gabor when its 2-D Gabor fit has R² ≥ " +
           number(c.min_r2) + ", a carrier of at least " + number(c.min_frequency) +
           " cycles/pixel visible inside the envelope (across the bars a lobe of the opposite "
           "sign reaching " +
           percent(c.min_opposite_lobe) +
           " of the peak: an edge has one, an even Gabor needs frequency × σ across the bars ≥ " +
           number(gaborCyclesPerSigmaFor(c.min_opposite_lobe)) +
           "), its centre inside the patch, less than " + percent(c.max_border_energy) +
           " of its energy on the outermost rows and columns, an envelope σ across the bars of at "
           "most " +
           number(c.max_sigma_across) + " p" +
           (c.max_sigma_along >= 1.0
                ? std::string(" (along them it may span the patch)")
                : " and along them of at most " + number(c.max_sigma_along) + " p") +
           ", and is no near-copy (|cosine| ≥ " + number(c.duplicate_cosine) +
           " of the ON−OFF fields) of another field";
}

FieldShape classifyField(const Eigen::VectorXd& field, const GaborFit& fit, int size,
                         double largest_rms, const GaborCriterion& c) {
    const Eigen::VectorXd centred = field.array() - field.mean();
    const double variance = centred.squaredNorm() / static_cast<double>(field.size());
    const double mean_square = field.squaredNorm() / static_cast<double>(field.size());
    if (!(variance > c.flat_share * c.flat_share * mean_square) ||
        !(std::sqrt(variance) > c.flat_share * largest_rms) || fit.params.amplitude == 0.0)
        return FieldShape::Flat;
    if (fit.r2 < c.min_r2)
        return FieldShape::PoorFit;
    // A line along the border fits well with any envelope, so its energy decides first; an
    // envelope wider than the patch makes its centre meaningless, so that comes before the centre.
    if (borderEnergyShare(centred, size) >= c.max_border_energy)
        return FieldShape::BorderLine;
    const GaborParams& g = fit.params;
    // The carrier the field shows, not the fit's f, which an edge does not pin down.
    if (gaborCarrierFrequency(g) < c.min_frequency || gaborOppositeLobe(g) < c.min_opposite_lobe)
        return FieldShape::Blob;
    if (g.sigma_x > c.max_sigma_across * size || g.sigma_y > c.max_sigma_along * size)
        return FieldShape::GlobalGrating;
    const double last = size - 1;
    if (g.x0 < 0.0 || g.x0 > last || g.y0 < 0.0 || g.y0 > last)
        return FieldShape::BorderLine;
    return FieldShape::Gabor;
}

FieldCensus fieldCensus(const Eigen::MatrixXf& fields, int size, const GaborCriterion& c,
                        int threads) {
    if (fields.rows() != static_cast<Eigen::Index>(size) * size)
        throw std::invalid_argument("fieldCensus: fields must have size * size rows");
    const Eigen::MatrixXd f = fields.cast<double>();
    const auto n = static_cast<std::size_t>(f.cols());
    FieldCensus out;
    out.fits.resize(n);
    out.shapes.assign(n, FieldShape::PoorFit);
    out.duplicate_of.assign(n, -1);
    double largest = 0.0;
    for (Eigen::Index j = 0; j < f.cols(); ++j)
        largest = std::max(largest, rms(f.col(j).array() - f.col(j).mean()));
    parallelFor(n, allowedWorkers(threads), [&](int, std::size_t begin, std::size_t end) {
        for (std::size_t j = begin; j < end; ++j) {
            const Eigen::VectorXd field = f.col(static_cast<Eigen::Index>(j));
            out.fits[j] = fitGabor(field, size);
            out.shapes[j] = classifyField(field, out.fits[j], size, largest, c);
        }
    });
    // A near-copy of an earlier field that is not flat: the first of a group keeps its shape.
    for (std::size_t j = 0; j < n; ++j) {
        if (out.shapes[j] == FieldShape::Flat)
            continue;
        const auto fj = f.col(static_cast<Eigen::Index>(j));
        for (std::size_t i = 0; i < j; ++i) {
            if (out.shapes[i] == FieldShape::Flat || out.shapes[i] == FieldShape::Duplicate)
                continue;
            const auto fi = f.col(static_cast<Eigen::Index>(i));
            const double norms = fi.norm() * fj.norm();
            if (norms > 0.0 && std::abs(fi.dot(fj)) >= c.duplicate_cosine * norms) {
                out.shapes[j] = FieldShape::Duplicate;
                out.duplicate_of[j] = static_cast<int>(i);
                break;
            }
        }
    }
    for (const FieldShape shape : out.shapes)
        ++out.counts[static_cast<std::size_t>(shape)];
    return out;
}

}  // namespace stdp
