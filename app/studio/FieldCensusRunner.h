#pragma once
// The Gabor census of the current fields (analysis/GaborFit.h), off the GUI thread and off the
// simulation thread. The fits cost milliseconds per field, so a census runs only for photograph
// networks (ON/OFF inputs or patches of 8 px or more), at most once every few seconds while
// learning, on its own low-priority thread; only the newest request is worked on and results of
// a replaced network are dropped. On a busy machine (EvaluationSchedule::insistent) the fits run
// on a second thread at the program's own priority instead: at nice 19 they waited minutes.

#include <QElapsedTimer>
#include <QObject>
#include <QThread>
#include <functional>
#include <memory>

#include "CsvSource.h"
#include "EvaluationSchedule.h"
#include "HandOffQueue.h"
#include "ReceptiveFieldMosaic.h"
#include "Snapshot.h"
#include "analysis/GaborFit.h"

namespace stdp::studio {

struct CensusResult {
    FieldCensus census;
    int patch_size = 0;
    std::uint64_t generation = 0;
    std::shared_ptr<const gui::FieldsSnapshot> fields;  // the fields counted
    std::uint64_t steps = 0;                            // of the snapshot they are from
    std::uint64_t images = 0;   // images seen then, a loaded bundle's included (as the status)
    std::uint64_t patches = 0;  // patches this session had presented then
    const QThread* computed_in = nullptr;  // the thread the fits ran in (tests)
};
using CensusPtr = std::shared_ptr<const CensusResult>;

class CensusWorker;

// Also a CSV source (Export ▸ Chart data as CSV): one row per field, the criterion last.
class FieldCensusRunner : public QObject, public gui::CsvSource {
    Q_OBJECT
  public:
    static constexpr qint64 kIntervalMs = 5000;  // while learning; paused: at once
    // While other programs keep the machine busy the fits wait as long as the evaluations do.
    static constexpr qint64 kBusyIntervalMs = EvaluationSchedule::kBusyIntervalMs;

    explicit FieldCensusRunner(QObject* parent = nullptr);
    ~FieldCensusRunner() override;

    // Digits' 5 x 5 fields hold too few pixels for a Gabor to mean anything.
    static bool applies(int patch_size, bool onoff) { return onoff || patch_size >= 8; }
    // "Gabor 23 of 64 (36 %) · blobs 5 · border lines 3 · ..."; with `legend`, rich text with
    // each class's mark colour before its name; `compact`: "Gabor 23/64 (36 %) blobs 5 border 3
    // ..." for a narrow window.
    static QString summary(const FieldCensus& census, bool legend = false, bool compact = false);
    static QColor shapeColour(FieldShape shape);
    // The mosaic's marks and the inspector's line, one per field.
    static QVector<gui::FieldTag> tags(const FieldCensus& census);
    static QStringList notes(const FieldCensus& census);
    static QString notApplicableText();
    // When the counted fields were taken: "at image 120 · patch 84,000" ("at image 120").
    static QString ageText(const CensusResult& census, bool compact = false);
    // The network has learned so much since the census that its counts may no longer hold:
    // kStalePatches patches, or a kStaleShare more than it had learned by the census.
    static constexpr std::uint64_t kStalePatches = 5000;
    static constexpr double kStaleShare = 0.25;
    static bool stale(const CensusResult& census, const Snapshot& now);
    static QString criterionText();

    // GUI thread, every snapshot: asks for a census when one is due.
    void offer(const SnapshotPtr& snapshot) { offerAt(snapshot, clock_.elapsed()); }
    // The same at a given time in milliseconds (tests).
    void offerAt(const SnapshotPtr& snapshot, qint64 now_ms);
    // A new network: forget the last result; its census comes with its first snapshot.
    void networkReplaced(std::uint64_t generation);
    CensusPtr latest() const { return latest_; }
    // Cores other programs keep busy (SimulationController::otherLoad), read at each offer.
    void setOtherLoadProbe(std::function<double()> probe) { other_load_ = std::move(probe); }
    // A census a quiet machine would have run by now waits for the busy interval.
    bool deferred() const { return deferred_; }
    // Censuses sent to the thread at the program's own priority (a busy machine).
    int insistentCensuses() const { return insistent_censuses_; }

    QString csvName() const override { return QStringLiteral("gabor-census"); }
    QString csv() const override;

  signals:
    void censusReady(stdp::studio::CensusPtr census);
    // The census threads' results wait in results_ (see HandOffQueue: why not as arguments).
    void censusesWaiting();

  private:
    friend class CensusWorker;
    void received(const CensusPtr& census);  // in this object's thread
    HandOffQueue<CensusPtr> results_;

    QThread thread_;
    QThread insistent_thread_;
    CensusWorker* worker_;
    CensusWorker* insistent_worker_;
    int insistent_censuses_ = 0;
    CensusPtr latest_;
    std::uint64_t generation_ = 0;
    std::uint64_t last_steps_ = ~std::uint64_t{0};
    bool asked_for_generation_ = false;
    QElapsedTimer clock_;
    EvaluationSchedule schedule_;
    std::function<double()> other_load_;
    bool deferred_ = false;
};

}  // namespace stdp::studio

Q_DECLARE_METATYPE(stdp::studio::CensusPtr)
