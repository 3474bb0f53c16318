#pragma once
// The immutable snapshot types the views paint. A view never reads the simulation directly: the
// worker copies what a view needs into one of these, and the GUI only ever holds a const pointer.

#include <QColor>
#include <QList>
#include <QPointF>
#include <QString>
#include <cstdint>
#include <memory>
#include <vector>

#include "data/Dataset.h"
#include "model/RepresentationLayer.h"

namespace stdp::gui {

// Every neuron's threshold and wins over the whole training so far, sampled at images seen
// (x). The samples thin out as training grows (see NeuronHistoryRecorder), so the span is always
// whole. Wins are cumulative from the first sample, so any two samples give the wins between them.
struct NeuronHistory {
    int units = 0;
    bool global_theta = false;        // one threshold for the layer: theta has 1 value per sample
    std::vector<double> images;       // per sample, oldest first
    std::vector<float> theta;         // samples x (1 or K), sample-major
    std::vector<std::uint64_t> wins;  // samples x K, cumulative since the first sample

    std::size_t samples() const { return images.size(); }
    float thetaAt(std::size_t sample, int j) const {
        const std::size_t per = global_theta ? 1 : static_cast<std::size_t>(units);
        return theta[sample * per + (global_theta ? 0 : static_cast<std::size_t>(j))];
    }
    std::uint64_t winsAt(std::size_t sample, int j) const {
        return wins[sample * static_cast<std::size_t>(units) + static_cast<std::size_t>(j)];
    }
    QList<QPointF> thetaSeries(int j) const;
    // Wins per image between consecutive samples, at the later sample's x.
    QList<QPointF> winsPerImageSeries(int j) const;
};

// The weights and the firing statistics of every neuron (mosaic, inspector, histogram, wins).
struct FieldsSnapshot {
    WeightMatrix weights;  // D x K
    int patch_size = 5;
    bool onoff = false;
    std::vector<float> thresholds;           // 1 (global) or K values
    std::vector<std::uint64_t> wins;         // since the last reset
    std::vector<std::uint64_t> recent_wins;  // over the last `recent_steps` steps
    std::uint64_t recent_steps = 0;
    std::vector<int> raster_spikes;                // per neuron, over the raster window
    std::shared_ptr<const NeuronHistory> history;  // shared between snapshots until it grows

    int units() const { return static_cast<int>(weights.cols()); }
    float threshold(int j) const {
        if (thresholds.empty())
            return 0.0f;
        return thresholds.size() == 1 ? thresholds[0] : thresholds[static_cast<std::size_t>(j)];
    }
};

// Neurons whose firing says something is wrong: never win (dead) or win far more than their share.
enum class NeuronFlag { Normal, Dead, Dominant };
inline constexpr double kDominantShare = 4.0;            // wins > this x the mean share
inline constexpr std::uint64_t kMinStepsToJudge = 2000;  // too few steps: flag nothing
NeuronFlag neuronFlag(const FieldsSnapshot& s, int j);

// Input spikes of the current patch and output spikes of the last steps.
struct RasterSnapshot {
    int inputs = 0;
    int units = 0;
    int patch_steps = 0;         // T of the current patch
    int current_step = 0;        // steps of the current patch already presented
    bool last_fired_on = false;  // stopped after silent patches: the patch is the one before
    std::vector<std::int32_t> input_offsets;  // patch_steps + 1 entries (CSR per step)
    std::vector<std::int32_t> input_indices;
    // Output spikes, oldest step first: out_offsets has steps + 1 entries.
    std::vector<std::int32_t> out_offsets;
    std::vector<std::int32_t> out_indices;
    std::vector<std::uint8_t> patch_start;  // per output step: 1 = first step of a patch
    int window = 0;                         // capacity of the output window in steps
    double additive_gain = 0.0;  // amplitude coding: each spike adds g w_j to x^ (0: mean read-out)
    bool hurdle_added = false;   // ... and each active neuron its hurdle (decoder_hurdle)

    int outputSteps() const {
        return out_offsets.empty() ? 0 : static_cast<int>(out_offsets.size()) - 1;
    }
};

// The current patch and image beside their reconstructions (docs/model.md §4).
struct ReconstructionSnapshot {
    int patch_size = 0;
    bool signed_values = false;
    std::vector<float> patch;        // p x p pixels
    std::vector<float> patch_recon;  // p x p
    int patch_spikes = 0;            // output spikes behind the reconstruction
    // The read-out: 0 = the spike-weighted mean of the fields, > 0 = additive with this gain.
    double additive_gain = 0.0;
    // The additive read-out adds each active neuron's hurdle to its count (decoder_hurdle).
    bool hurdle_added = false;
    Image image;                // whole current image (may be empty)
    Image image_recon;          // reassembled from its patches' reconstructions (may be empty)
    int reassembly_stride = 1;  // > 1: rebuilt from every n-th patch position (a large image)
    int patch_row = 0;          // top-left of the patch in image coordinates (may be < 0)
    int patch_col = 0;
    std::size_t image_index = 0;
    bool image_in_data = true;  // false: a drawing, not an image of the data
    bool presented = false;     // the patch is a presented one, not training's
};

// One chart's data: a few named series over "images seen", and parameter-change markers.
struct ChartSeries {
    QString name;
    QColor color;
    bool right_axis = false;
    QList<QPointF> points;
    bool dashed = false;    // a pinned reference run, drawn beside the live curves
    bool in_legend = true;  // a reference run's curves share one legend entry
    friend bool operator==(const ChartSeries&, const ChartSeries&) = default;
};
struct ChartMarker {
    double x = 0.0;
    QString label;
    friend bool operator==(const ChartMarker&, const ChartMarker&) = default;
};
struct ChartData {
    std::vector<ChartSeries> series;
    std::vector<ChartMarker> markers;
    // How far the x axis reaches at least (the training's progress), so that a curve of few
    // points (evaluations) shows the marks of changes made since its last point; 0: its points.
    double x_extent = 0.0;
    friend bool operator==(const ChartData&, const ChartData&) = default;
};

}  // namespace stdp::gui
