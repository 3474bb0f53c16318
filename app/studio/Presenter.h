#pragma once
// Runs the frozen network on one image away from the GUI thread (a photograph can take seconds)
// for the Draw and present panel. Answers to an older request or an older network are dropped.

#include <QFutureWatcher>
#include <QObject>
#include <memory>

#include "Snapshot.h"
#include "analysis/Evaluator.h"

namespace stdp::studio {

class Presenter : public QObject {
    Q_OBJECT
  public:
    explicit Presenter(QObject* parent = nullptr);
    ~Presenter() override;

    // Presents `image` to the network of `snapshot` (weights, thresholds, settings), frozen, with
    // the evaluation's seed: the same spikes as `stdp-cli eval` on this image alone.
    void present(const Image& image, const SnapshotPtr& snapshot);
    bool busy() const { return watcher_.isRunning(); }
    // The seed of the spikes present() uses: a live presentation with it shows the same spikes.
    static std::uint64_t seedFor(const Settings& settings) { return settings.structure.seed; }

  signals:
    void responded(std::shared_ptr<const stdp::ImageResponse> response,
                   std::shared_ptr<const stdp::gui::FieldsSnapshot> fields);
    void failed(const QString& message);

  private:
    struct Result {
        std::shared_ptr<const ImageResponse> response;
        QString error;
    };
    QFutureWatcher<Result> watcher_;
    std::shared_ptr<const gui::FieldsSnapshot> fields_;
    std::uint64_t request_ = 0;
    std::uint64_t running_request_ = 0;
};

}  // namespace stdp::studio
