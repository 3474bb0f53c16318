#pragma once
// Off the GUI thread and off the simulation thread: reconstructions and protocol-A evaluation of
// a frozen copy of the layer. Requests are coalesced: only the newest is worked on.

#include <QObject>
#include <atomic>
#include <mutex>
#include <optional>

#include "Snapshot.h"
#include "analysis/Metrics.h"

namespace stdp::studio {

struct AnalysisRequest {
    SnapshotPtr snapshot;
    std::shared_ptr<const ImageSet> train;
    std::shared_ptr<const ImageSet> validation;
    bool image = false;  // also reassemble the current image
    bool eval = false;   // also evaluate on the validation set
    bool patch = true;   // reconstruct the current patch (false: an evaluation alone)
};

class AnalysisWorker : public QObject {
    Q_OBJECT
  public:
    // Any thread. Replaces a request that has not started; image/eval wishes accumulate.
    void submit(AnalysisRequest request);
    // Any thread: abandon a running evaluation (shutdown, reset).
    void cancel() { cancel_.store(true); }

    // Evaluations abandoned because their network was replaced (tests).
    int staleEvaluationsCancelled() const { return stale_cancelled_.load(); }

  signals:
    void reconstructionReady(std::shared_ptr<const stdp::gui::ReconstructionSnapshot> snapshot,
                             quint64 generation);
    void metricsReady(const stdp::ReconstructionMetrics& metrics, double images,
                      quint64 generation);

  private:
    void process();
    void servePending();
    void reconstruct(const AnalysisRequest& r, const RepresentationLayer& layer);
    // `patch` beside the last reassembled image of the same network, if there is one.
    std::shared_ptr<gui::ReconstructionSnapshot> withLastImage(
        const gui::ReconstructionSnapshot& patch, const Snapshot& s) const;

    std::mutex mutex_;
    std::optional<AnalysisRequest> pending_;
    bool scheduled_ = false;
    std::atomic<bool> cancel_{false};
    std::atomic<int> stale_cancelled_{0};
    // The newest network a request was submitted for: an evaluation of an older one (a network
    // since reset or replaced) stops at its next progress check instead of running to the end.
    std::atomic<std::uint64_t> newest_generation_{0};
    // The last reassembled image is shown until the next one is ready.
    std::uint64_t image_generation_ = 0;
    std::size_t image_index_ = 0;
    bool image_in_data_ = true;
    std::shared_ptr<const Image> image_;
    Image image_recon_;
    int image_stride_ = 1;
};

}  // namespace stdp::studio
