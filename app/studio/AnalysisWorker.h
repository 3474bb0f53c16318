#pragma once
// Off the GUI thread and off the simulation thread: reconstructions and protocol-A evaluation of
// a frozen copy of the layer. Requests are coalesced: only the newest is worked on.

#include <QObject>
#include <atomic>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

#include "HandOffQueue.h"
#include "Snapshot.h"
#include "analysis/Metrics.h"

namespace stdp::studio {

// The newest reassembled image of a network, shared by the two analysis threads: whichever
// made it (the background thread, or the evaluation thread on a busy machine), the other's patch
// reconstructions show it beside their patch. Any thread.
class LastReassembly {
  public:
    struct Entry {
        std::uint64_t generation = 0;
        std::uint64_t steps = 0;  // the network's steps when it was asked for (newer wins)
        std::size_t index = 0;
        bool in_data = true;
        std::shared_ptr<const Image> image;
        std::shared_ptr<const Image> recon;
        int stride = 1;
    };
    // Kept unless an entry of the same network from a later step is already there.
    void store(Entry entry);
    Entry load() const;

  private:
    mutable std::mutex mutex_;
    Entry entry_;
};

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
    // `shared`: where the last reassembled image is kept (null: this worker's own).
    explicit AnalysisWorker(std::shared_ptr<LastReassembly> shared = nullptr);

    // Any thread. Replaces a request that has not started; image/eval wishes accumulate.
    void submit(AnalysisRequest request);
    // Any thread. Evaluations of earlier states of the network (CurveCheckpoints), each done,
    // oldest first, when no submit()ted request waits: none replaces another.
    void submitCheckpoints(std::vector<AnalysisRequest> requests);
    // Any thread: abandon a running evaluation and the waiting checkpoints (shutdown, reset).
    void cancel();
    // Checkpoint evaluations not started yet (tests).
    std::size_t checkpointsWaiting();

    // Evaluations abandoned because their network was replaced (tests).
    int staleEvaluationsCancelled() const { return stale_cancelled_.load(); }

    struct Reconstruction {
        std::shared_ptr<const gui::ReconstructionSnapshot> snapshot;
        std::uint64_t generation = 0;
    };
    struct Evaluation {
        ReconstructionMetrics metrics;
        double images = 0.0;  // the images the evaluated network had seen
        std::uint64_t generation = 0;
        bool checkpoint = false;  // of submitCheckpoints
    };
    // Any thread (the controller's, on the notices below): the results waiting, oldest first.
    std::vector<Reconstruction> takeReconstructions() { return reconstructions_.takeAll(); }
    std::vector<Evaluation> takeEvaluations() { return evaluations_.takeAll(); }

  signals:
    // Results wait in the queues below (see HandOffQueue: why not as arguments).
    void reconstructionsWaiting();
    void evaluationsWaiting();
    // submit()'s notice to the worker's own thread; connected when the worker is made, so the
    // notice carries no slot object of the submitting thread.
    void requestWaiting();

  private:
    void process();
    void servePending();
    void reconstruct(const AnalysisRequest& r, const RepresentationLayer& layer);
    // `patch` beside the last reassembled image of the same network, if there is one.
    std::shared_ptr<gui::ReconstructionSnapshot> withLastImage(
        const gui::ReconstructionSnapshot& patch, const Snapshot& s) const;
    void send(std::shared_ptr<const gui::ReconstructionSnapshot> reconstruction,
              std::uint64_t generation);

    std::mutex mutex_;
    std::optional<AnalysisRequest> pending_;
    std::deque<AnalysisRequest> checkpoints_;  // after pending_, oldest first
    bool scheduled_ = false;
    std::atomic<bool> cancel_{false};
    std::atomic<int> stale_cancelled_{0};
    // The newest network a request was submitted for: an evaluation of an older one (a network
    // since reset or replaced) stops at its next progress check instead of running to the end.
    std::atomic<std::uint64_t> newest_generation_{0};
    // The last reassembled image is shown until the next one is ready.
    std::shared_ptr<LastReassembly> last_image_;
    // Every evaluation, not the latest: each is a point of the learning curves (History), and
    // the two analysis workers' evaluations may finish out of order.
    HandOffQueue<Evaluation> evaluations_;
    // Every reconstruction, although the view shows only the newest: the patch sent before its
    // reassembly and the one after it both reach the controller, as each of its requests is
    // answered. Short however slow the GUI: it asks for each one (scheduleAnalysis), so a GUI that
    // falls behind asks for fewer.
    HandOffQueue<Reconstruction> reconstructions_;
};

}  // namespace stdp::studio
