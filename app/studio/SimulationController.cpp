#include "SimulationController.h"

#include <QMetaObject>
#include <QPointer>

namespace stdp::studio {

SimulationController::SimulationController(QObject* parent)
    : QObject(parent),
      worker_(new SimulationWorker),
      reassembly_(std::make_shared<LastReassembly>()),
      analysis_(new AnalysisWorker(reassembly_)),
      insistent_(new AnalysisWorker(reassembly_)) {
    qRegisterMetaType<SnapshotPtr>();
    qRegisterMetaType<std::shared_ptr<const gui::ReconstructionSnapshot>>();
    qRegisterMetaType<ReconstructionMetrics>();
    qRegisterMetaType<std::vector<LiveChange>>();
    worker_->moveToThread(&thread_);
    analysis_->moveToThread(&analysis_thread_);
    insistent_->moveToThread(&insistent_thread_);
    // Each worker is deleted in its own thread as that thread ends (its timers live there).
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(&analysis_thread_, &QThread::finished, analysis_, &QObject::deleteLater);
    connect(&insistent_thread_, &QThread::finished, insistent_, &QObject::deleteLater);
    thread_.setObjectName(QStringLiteral("simulation"));
    analysis_thread_.setObjectName(QStringLiteral("analysis"));
    insistent_thread_.setObjectName(QStringLiteral("evaluation"));
    // The snapshot itself crosses in the worker's mailbox, and the applied live changes in its
    // queue, under locks ThreadSanitizer sees.
    connect(
        worker_, &SimulationWorker::snapshotWaiting, this,
        [this] { onSnapshot(worker_->takeSnapshot()); }, Qt::QueuedConnection);
    connect(
        worker_, &SimulationWorker::problemsWaiting, this,
        [this] {
            for (SimulationWorker::Problem& p : worker_->takeProblems()) {
                if (p.kept)
                    settings_.dynamics = *p.kept;  // an unchecked edit: back to what the layer uses
                emit failed(QString::fromStdString(p.message));
            }
        },
        Qt::QueuedConnection);
    connect(
        worker_, &SimulationWorker::liveChangesWaiting, this,
        [this] {
            for (const SimulationWorker::AppliedChanges& applied : worker_->takeAppliedChanges())
                if (applied.generation == generation_)
                    emit liveChangesApplied(applied.changes);
        },
        Qt::QueuedConnection);
    connect(
        worker_, &SimulationWorker::learnedFromPresentation, this,
        [this](quint64 step, quint64 generation) {
            if (generation == generation_)
                emit learnedFromPresentation(step);
        },
        Qt::QueuedConnection);
    connectAnalysis(analysis_);
    connectAnalysis(insistent_);
    // QThread's priorities mean nothing under Linux's default scheduler: the thread lowers its
    // own nice value as it starts, so an evaluation takes what the simulation leaves.
    connect(
        &analysis_thread_, &QThread::started, this, [] { setCurrentThreadNice(kAnalysisNice); },
        Qt::DirectConnection);
    clock_.start();
    thread_.start();
    analysis_thread_.start(QThread::LowPriority);
    insistent_thread_.start();
}

void SimulationController::connectAnalysis(AnalysisWorker* worker) {
    // The results cross in the worker's queues, under a lock ThreadSanitizer sees.
    connect(
        worker, &AnalysisWorker::reconstructionsWaiting, this,
        [this, worker] {
            for (AnalysisWorker::Reconstruction& r : worker->takeReconstructions())
                if (r.generation == generation_)
                    emit reconstructionReady(std::move(r.snapshot));
        },
        Qt::QueuedConnection);
    connect(
        worker, &AnalysisWorker::evaluationsWaiting, this,
        [this, worker] {
            for (const AnalysisWorker::Evaluation& e : worker->takeEvaluations())
                onEvaluation(e);
        },
        Qt::QueuedConnection);
}

void SimulationController::onEvaluation(const AnalysisWorker::Evaluation& e) {
    if (e.generation != generation_)
        return;
    if (e.checkpoint)
        ++checkpoint_results_;
    history_.addMetrics(e.metrics, e.images);
    emit historyChanged();
    // A late result of an earlier state (the other evaluation thread) joins the curve but is not
    // the network's latest figure.
    if (metrics_ && e.images < metrics_images_)
        return;
    metrics_ = e.metrics;
    metrics_images_ = e.images;
    emit metricsReady(e.metrics);
}

SimulationController::~SimulationController() {
    // Stop the running slice at its next check, then let both event loops end.
    worker_->requestPause();
    analysis_->cancel();
    insistent_->cancel();
    thread_.requestInterruption();
    analysis_thread_.requestInterruption();
    insistent_thread_.requestInterruption();
    thread_.quit();
    analysis_thread_.quit();
    insistent_thread_.quit();
    thread_.wait();
    analysis_thread_.wait();
    insistent_thread_.wait();
}

template <typename F>
void SimulationController::toWorker(F&& f) {
    worker_->post(std::forward<F>(f));
}

bool SimulationController::configure(const Settings& settings, const DataChoice& data,
                                     std::optional<InitialState> initial, QString* error) {
    try {
        // A probe in this thread: a bad setting or data set is reported here and changes nothing.
        TrainingSession probe(settings, data.train);
        if (initial) {
            const auto d = settings.structure.inputs();
            if (initial->weights.rows() != d || initial->weights.cols() != settings.structure.units)
                throw UserError("the weights do not match the settings (D x K)");
            probe.layer().setWeights(initial->weights);
            probe.layer().setThresholds(initial->thresholds);
        }
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    settings_ = settings;
    data_ = data;
    ++generation_;
    running_ = false;
    latest_.reset();
    metrics_.reset();
    history_.clear();
    checkpoints_.clear();
    checkpoint_results_ = checkpoint_evaluations_;  // the waiting ones are cancelled below
    analysis_->cancel();
    insistent_->cancel();
    worker_->requestPause();
    eval_requested_ = true;
    setEvaluationDeferred(false);
    last_image_ = nullptr;
    last_insistent_image_ms_ = -EvaluationSchedule::kBusyIntervalMs;
    const std::uint64_t generation = generation_;
    auto train = data.train;
    toWorker([w = worker_, settings, train, initial, generation] {
        w->configure(settings, train, initial, generation);
    });
    emit networkReplaced();
    emit historyChanged();
    return true;
}

void SimulationController::play(std::uint64_t stop_at_images) {
    running_ = true;
    evaluate_when_stopped_ = true;
    toWorker([w = worker_, stop_at_images] { w->play(stop_at_images); });
}

void SimulationController::pause() {
    running_ = false;
    worker_->requestPause();  // the running slice stops at once
    toWorker([w = worker_] { w->pause(); });
}

void SimulationController::step(StepUnit unit) {
    running_ = false;
    evaluate_when_stopped_ = false;
    worker_->requestPause();
    toWorker([w = worker_, unit] { w->step(unit); });
}

void SimulationController::reset() {
    ++generation_;
    latest_.reset();
    metrics_.reset();
    history_.clear();
    checkpoints_.clear();
    checkpoint_results_ = checkpoint_evaluations_;  // the waiting ones are cancelled below
    analysis_->cancel();
    insistent_->cancel();
    eval_requested_ = true;  // the learning curves start from the initial network
    setEvaluationDeferred(false);
    last_insistent_image_ms_ = -EvaluationSchedule::kBusyIntervalMs;
    const std::uint64_t generation = generation_;
    toWorker([w = worker_, generation] { w->reset(generation); });
    emit networkReplaced();
    emit historyChanged();
}

void SimulationController::setSpeed(double steps_per_second) {
    speed_ = steps_per_second;
    toWorker([w = worker_, steps_per_second] { w->setSpeed(steps_per_second); });
}

void SimulationController::replay(const std::vector<LiveChange>& changes,
                                  std::uint64_t stop_at_step) {
    toWorker([w = worker_, changes, stop_at_step] { w->replay(changes, stop_at_step); });
}

void SimulationController::present(const Presentation& presentation) {
    toWorker([w = worker_, presentation] { w->present(presentation); });
}

void SimulationController::endPresentation() {
    toWorker([w = worker_] { w->endPresentation(); });
}

void SimulationController::setStepTracing(bool on) {
    toWorker([w = worker_, on] { w->setStepTracing(on); });
}

void SimulationController::applyEdit(const LiveEdit& edit) {
    if (edit.changes.empty())
        return;
    settings_.dynamics = edit.dynamics;
    const SettingChange& first = edit.changes.front();
    QString label = QStringLiteral("%1=%2").arg(
        QString::fromStdString(first.name),
        QString::fromStdString(numberText(first.name, first.new_value)));
    if (edit.changes.size() > 1)
        label += tr(" +%1 more").arg(edit.changes.size() - 1);
    history_.addMarker(latest_ ? latest_->images_progress : 0.0, label);
    toWorker([w = worker_, dynamics = edit.dynamics] { w->setDynamics(dynamics); });
    emit historyChanged();
}

void SimulationController::setThreshold(double theta) {
    history_.addMarker(latest_ ? latest_->images_progress : 0.0, QStringLiteral("θ=%1").arg(theta));
    toWorker([w = worker_, theta] { w->setThreshold(theta); });
    emit historyChanged();
}

void SimulationController::setLoop(bool loop) {
    toWorker([w = worker_, loop] { w->setLoop(loop); });
}

void SimulationController::acknowledge(quint64 token) {
    toWorker([w = worker_, token] { w->acknowledge(token); });
}

void SimulationController::setEvaluationDeferred(bool deferred) {
    if (deferred == eval_deferred_)
        return;
    eval_deferred_ = deferred;
    emit evaluationDeferredChanged(deferred);
}

void SimulationController::requestEvaluation() {
    eval_requested_ = true;
    if (latest_)
        scheduleAnalysis(latest_, true);
}

void SimulationController::onSnapshot(SnapshotPtr snapshot) {
    if (!snapshot || snapshot->generation != generation_)
        return;  // a replaced network
    latest_ = snapshot;
    running_ = snapshot->running;
    history_.addSnapshot(*snapshot);
    scheduleAnalysis(snapshot, !snapshot->running);
    emit snapshotReady(snapshot);
    emit historyChanged();
}

void SimulationController::scheduleAnalysis(const SnapshotPtr& snapshot, bool force) {
    if (!analysis_enabled_ || !data_.train)
        return;
    const qint64 now = clock_.elapsed();
    if (!force && now - last_patch_ms_ < kPatchReconMs && !eval_requested_)
        return;
    last_patch_ms_ = now;
    AnalysisRequest r;
    r.snapshot = snapshot;
    r.train = data_.train;
    r.validation = data_.validation;
    const bool new_image = snapshot->image.get() != last_image_;
    if ((new_image || !snapshot->running) && (force || now - last_image_ms_ >= kImageReconMs)) {
        r.image = true;
        last_image_ms_ = now;
        last_image_ = snapshot->image.get();  // compared only, never read
    }
    if (now - last_load_ms_ >= kLoadSampleMs) {
        eval_schedule_.setOtherLoad(other_load_ ? other_load_() : -1.0);
        last_load_ms_ = now;
    }
    const bool learned = snapshot->counters.steps != last_eval_steps_;
    // A deferred evaluation runs as soon as the network pauses: the simulation's core is free.
    const bool catch_up = eval_deferred_ && !snapshot->running;
    // A run that stopped (the data ended, its stop count, Pause) is evaluated with the weights it
    // stopped with: a fast run outpaces the periodic evaluations (one per 30 s on a busy machine),
    // and the curve would end hundreds of images before the end, its RMSE not the one of the
    // network shown. Once per stop: a stopped network learns nothing more, and single steps
    // (a held key) never ask for one.
    const bool stopped = evaluate_when_stopped_ && learned && !snapshot->running;
    if (eval_requested_ || catch_up || stopped ||
        (learned && snapshot->running && eval_schedule_.due(now))) {
        r.eval = true;
        eval_requested_ = false;
        eval_schedule_.started(now);
        last_eval_steps_ = snapshot->counters.steps;
        ++evaluations_started_;
        checkpoints_.evaluated(snapshot->images_progress);
    }
    if (learned && snapshot->running)
        checkpoints_.offer(snapshot);
    setEvaluationDeferred(snapshot->running && learned && eval_schedule_.deferred(now));
    // Paused, the other programs still take the core the simulation left.
    const bool insistent_eval = r.eval && eval_schedule_.insistent();
    // A photograph's reassembly is seconds of work that a busy machine leaves the background
    // thread no time for: the first one of a network, each one while paused, and at most one per
    // busy interval while learning run beside the simulation, as the evaluations do.
    const bool insistent_image = r.image && snapshot->image && snapshot->has_patch &&
                                 eval_schedule_.insistent() &&
                                 (!snapshot->running || now - last_insistent_image_ms_ >=
                                                            EvaluationSchedule::kBusyIntervalMs);
    if (insistent_eval || insistent_image) {
        AnalysisRequest e;
        e.snapshot = r.snapshot;
        e.train = r.train;
        e.validation = r.validation;
        e.patch = insistent_image;
        e.image = insistent_image;
        e.eval = insistent_eval;
        insistent_->submit(std::move(e));
        if (insistent_eval)
            ++insistent_evaluations_;
        if (insistent_image) {
            ++insistent_reassemblies_;
            last_insistent_image_ms_ = now;
            r.image = false;
        }
        r.eval = false;
    }
    analysis_->submit(std::move(r));
    // After the final network's evaluation, which goes first.
    if (!snapshot->running && checkpoints_.kept() > 0)
        evaluateCheckpoints();
}

void SimulationController::evaluateCheckpoints() {
    std::vector<SnapshotPtr> states = checkpoints_.takeUnevaluated();
    // A busy machine has no core to spare for them (EvaluationSchedule): the curve keeps the
    // points it has.
    if (states.empty() || eval_schedule_.busy() || !data_.validation)
        return;
    std::vector<AnalysisRequest> requests;
    requests.reserve(states.size());
    for (SnapshotPtr& state : states) {
        AnalysisRequest r;
        r.snapshot = std::move(state);
        r.train = data_.train;
        r.validation = data_.validation;
        requests.push_back(std::move(r));
    }
    checkpoint_evaluations_ += static_cast<int>(requests.size());
    analysis_->submitCheckpoints(std::move(requests));
}

}  // namespace stdp::studio
