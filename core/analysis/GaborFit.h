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

}  // namespace stdp
