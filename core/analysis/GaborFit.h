#pragma once
// Fits a 2-D Gabor function to a receptive field, to measure how Gabor-like (localised, oriented,
// band-pass) the learned natural-image fields are, as V1 simple cells are:
//
//   g(x, y) = A exp(-(x'^2 / (2 sx^2) + y'^2 / (2 sy^2))) cos(2 pi f x' + phi) + c
//   x' =  (x - x0) cos(theta) + (y - y0) sin(theta)
//   y' = -(x - x0) sin(theta) + (y - y0) cos(theta)
//
// x is the column and y the row of the p x p field (pixel centres at integers 0 .. p-1); theta is
// the direction of the carrier's wave vector (the bars run perpendicular to it) and f is in cycles
// per pixel. Levenberg-Marquardt with an analytic Jacobian from several starting points. Qt-free.

#include <Eigen/Core>
#include <array>
#include <string>
#include <vector>

namespace stdp {

struct GaborParams {
    double amplitude = 1.0;  // A > 0 after normalisation
    double x0 = 0.0;         // centre, column
    double y0 = 0.0;         // centre, row
    double sigma_x = 1.0;    // envelope width along the wave vector
    double sigma_y = 1.0;    // envelope width along the bars
    double theta = 0.0;      // radians in [0, pi)
    double frequency = 0.0;  // cycles per pixel, >= 0
    double phase = 0.0;      // radians in (-pi, pi]
    double offset = 0.0;     // c
};

struct GaborFit {
    GaborParams params;
    double r2 = 0.0;   // 1 - SSE / sum (v - mean v)^2; 0 for a constant field
    double sse = 0.0;  // sum of squared residuals
    int iterations = 0;
};

struct GaborFitOptions {
    int max_iterations = 200;   // LM iterations of the final refinement
    int probe_iterations = 25;  // LM iterations from every starting point before picking the best
};

double gaborValue(const GaborParams& g, double x, double y);
// The Gabor sampled on a size x size grid, row-major (index = row * size + col).
Eigen::VectorXd renderGabor(const GaborParams& g, int size);

// `field`: size x size values, row-major. Throws std::invalid_argument for a size below 3 or a
// field of the wrong length. Deterministic.
GaborFit fitGabor(const Eigen::VectorXd& field, int size, const GaborFitOptions& options = {});

// --- The census of a set of fields: which are localised oriented Gabors, and what the others are.
// A good R^2 alone counts blobs, lines along the border, uniform fields and global gratings
// (docs/model.md §5); this is the one measure quoted wherever a Gabor share is.

// What a field is, each field exactly one (tested in this order): Flat, Duplicate, PoorFit,
// BorderLine, Blob, GlobalGrating, else Gabor.
enum class FieldShape {
    Gabor,  // the fit is good, with a visible carrier, localised, centred inside the patch
    Blob,   // a good fit without a visible carrier (too low a frequency, or no side lobe inside
            // the envelope): a spot, a blob or a bar
    BorderLine,     // centre outside the patch or the energy on its outermost rows and columns
    GlobalGrating,  // a carrier whose envelope is not localised (wider than the limits below)
    Flat,           // uniform or empty: nothing (or only its mean) to fit
    PoorFit,        // R^2 below the minimum: noise or a shape that is no Gabor
    Duplicate,      // a near-copy of an earlier field (counted once, as that field)
};
inline constexpr std::size_t kFieldShapes = 7;
// "Gabor", "blob", "border line", "global grating", "flat", "poor fit", "duplicate".
const char* fieldShapeName(FieldShape shape);

// The criterion's limits. Sizes are fractions of the patch side p.
struct GaborCriterion {
    double min_r2 = 0.7;
    double min_frequency = 0.05;  // cycles per pixel, of gaborCarrierFrequency
    // The carrier must be visible inside the envelope: across the bars the fitted profile
    // exp(-x^2 / (2 sigma_across^2)) cos(2 pi f x + phase) must have a lobe of the sign opposite
    // to its peak's reaching at least this share of the peak (gaborOppositeLobe). An odd Gabor
    // (an edge) has two equal lobes; an even one needs f * sigma_across (Ringach's n_x) of 0.3:
    // with t = 2 pi f x and s = 2 pi f sigma its first side lobe sits where tan t = -t / s^2
    // (pi/2 < t < pi) and reaches exp(-t^2 / (2 s^2)) |cos t| of the peak (gaborSideLobe), 13 %
    // at f sigma = 0.2, 23 % at 0.25, 33 % at 0.3, 51 % at 0.4. An accepted fit (R^2 >= min_r2)
    // may leave a residual of RMS sqrt(1 - R^2) times the field's, 0.12 to 0.16 of the peak for
    // the localised envelopes of a 16 x 16 patch; a lobe is the field's only when it stands at
    // twice that, hence a third. Below it the fitted carrier only sharpens a single-signed spot
    // or bar: a Blob.
    double min_opposite_lobe = 1.0 / 3.0;
    // Localised: the envelope's sigma across the bars (along the wave vector) at most this times
    // p (at the patch's edge a centred envelope has then fallen below a third), and along the
    // bars at most `max_sigma_along` times p (1: the fit's own bound, so a bar or an edge may span
    // the patch). A grating whose envelope is flat over the patch is not localised.
    double max_sigma_across = 1.0 / 3.0;
    double max_sigma_along = 1.0;
    // The outermost rows and columns may hold at most this share of the field's energy (about
    // 23 % of the pixels of a 16 x 16 patch; a centred Gabor puts a few percent there).
    double max_border_energy = 0.5;
    // Duplicates: |cosine| of the signed fields (w_on - w_off) at least this.
    double duplicate_cosine = 0.9;
    // Flat: variance below this share of the mean square (uniform), or RMS below this share of
    // the largest field's RMS in the set (empty).
    double flat_share = 0.01;
};

struct FieldCensus {
    std::vector<GaborFit> fits;              // one per field (Flat and Duplicate fields too)
    std::vector<FieldShape> shapes;          // one per field
    std::vector<int> duplicate_of;           // the earlier field it copies, or -1
    std::array<int, kFieldShapes> counts{};  // indexed by FieldShape

    int fields() const { return static_cast<int>(shapes.size()); }
    int count(FieldShape shape) const { return counts[static_cast<std::size_t>(shape)]; }
    // Localised oriented Gabors / fields (0 for no field).
    double gaborShare() const;
    // Share of fields whose fit has R^2 >= min_r2, whatever their shape (the old, inflated
    // measure; kept to show the difference, never quoted as "Gabor").
    double goodFitShare(double min_r2 = GaborCriterion{}.min_r2) const;
    // "Gabor 30, blob 12, border line 5, global grating 2, flat 0, poor fit 10, duplicate 5".
    std::string countsText() const;
};

// Across the bars of `g`, the largest value of the sign opposite to the peak's, relative to the
// peak (GaborCriterion::min_opposite_lobe): 0 for a single-signed profile, 1 for an odd Gabor.
double gaborOppositeLobe(const GaborParams& g);
// The frequency (cycles per pixel) at which the spectrum of `g`'s profile across the bars peaks:
// the carrier the eye sees. It is f for many cycles under the envelope, about 1 / (2 pi sigma)
// for an edge with less than one (the fit's f is not identifiable there: any small f with a
// matching amplitude gives the same field), and 0 for a single-signed spot.
double gaborCarrierFrequency(const GaborParams& g);
// The first side lobe of an even Gabor across its bars relative to its peak, for a carrier of
// `cycles_per_sigma` = f * sigma_across: 0 for 0, 1/3 at 0.3, towards 1 for many cycles.
double gaborSideLobe(double cycles_per_sigma);
// The f * sigma_across at which an even Gabor's side lobe reaches `lobe` (0 < lobe < 1).
double gaborCyclesPerSigmaFor(double lobe);

// The criterion in one sentence, as quoted beside every share.
std::string gaborCriterionText(const GaborCriterion& criterion = {});

// The shape of one fitted field (not Duplicate, which needs the others). `field`: p x p values.
FieldShape classifyField(const Eigen::VectorXd& field, const GaborFit& fit, int size,
                         double largest_rms, const GaborCriterion& criterion = {});

// `fields`: p^2 x K, one field per column in signed pixel space (model/FieldGrey.h's
// pixelFilters), row-major within a column. Deterministic; fits split over `threads` (0: the
// CPUs the process may use), results independent of their number.
FieldCensus fieldCensus(const Eigen::MatrixXf& fields, int size,
                        const GaborCriterion& criterion = {}, int threads = 1);

}  // namespace stdp
