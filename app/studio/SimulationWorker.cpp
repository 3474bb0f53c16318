#include "SimulationWorker.h"

#include <QThread>
#include <QTimer>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace stdp::studio {

namespace {
// The shortest text that reads back to the same double (an experiment file replays it exactly).
std::string shortestText(double v) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
    return {buffer, result.ptr};
}

constexpr qint64 kSliceMs = 8;                // longest run between two looks at the event queue
constexpr std::uint64_t kStepsPerCheck = 16;  // steps between two looks at the clock
// Unwatched, a look at the clock per 16 steps cost ~5 % of the step: these runs look less often
// (still well under a millisecond at K = 1024).
constexpr std::uint64_t kUnwatchedStepsPerCheck = 256;
constexpr qint64 kFrameMs = 33;                    // at most ~30 snapshots per second
constexpr std::uint64_t kThetaSampleSteps = 2000;  // theta chart resolution (~1/7 MNIST image)
constexpr std::size_t kMaxPendingSamples = 4096;   // bound if no snapshot is taken for long
constexpr int kSlowTickMs = 10;            // timer period in slowed-down mode above 100 steps/s
constexpr double kMaxCreditSeconds = 0.1;  // a late tick catches up at most this much
// The inspector's history chart changes once per image: a new copy for it this often at most.
constexpr qint64 kNeuronHistoryMs = 500;
}  // namespace

SimulationWorker::SimulationWorker() : timer_(new QTimer(this)) {
    timer_->setSingleShot(true);
    connect(timer_, &QTimer::timeout, this, &SimulationWorker::tick);
    // Queued even when posted from this thread: a command never runs inside its sender.
    connect(this, &SimulationWorker::commandsWaiting, this, &SimulationWorker::runCommands,
            Qt::QueuedConnection);
    clock_.start();
}

SimulationWorker::~SimulationWorker() = default;

void SimulationWorker::configure(const Settings& settings, std::shared_ptr<const ImageSet> data,
                                 std::optional<InitialState> initial, std::uint64_t generation) {
    std::unique_ptr<TrainingSession> session;
    try {
        session = std::make_unique<TrainingSession>(settings, std::move(data));
        if (initial) {
            session->layer().setWeights(initial->weights);
            session->layer().setThresholds(initial->thresholds);
            session->setPatchesOffset(initial->patches_seen);
        }
    } catch (const std::exception& e) {
        // The old session stays: nothing changes on a bad file or value.
        report(e.what());
        return;
    }
    session_ = std::move(session);
    images_offset_ = initial ? initial->images_seen : 0;
    patches_offset_ = initial ? initial->patches_seen : 0;
    running_ = false;
    timer_->stop();
    restart(generation);
}

void SimulationWorker::reset(std::uint64_t generation) {
    if (session_) {
        session_->reset();
        images_offset_ = 0;
        patches_offset_ = 0;
        session_->setPatchesOffset(0);
    }
    restart(generation);
}

void SimulationWorker::restart(std::uint64_t generation) {
    generation_ = generation;
    replay_.clear();
    replay_next_ = 0;
    stop_at_step_ = 0;
    progress_ = 0.0;
    theta_trace_.clear();
    theta_sampled_steps_ = 0;
    tracer_.clear();
    if (!session_)
        return;
    raster_.resize(kRasterWindow, session_->layer().units());
    raster_gap_ = false;
    tracer_.setKeep(kTraceHistory);
    tracer_.setPatchGeometry(session_->settings().structure.patch_size,
                             session_->settings().structure.onoff);
    snapshots_.restart(session_->layer().units());
    neuron_history_.restart(session_->layer(), images_offset_ + session_->counters().images);
    published_history_ = neuron_history_.history();
    rates_.restart(clock_.elapsed(), session_->counters(), progress_);
    emitSnapshot(true);
}

void SimulationWorker::play(std::uint64_t stop_at_images) {
    stop_at_images_ = stop_at_images;
    loopIfFinished();
    if (!session_ || done()) {
        emitSnapshot(true);
        return;
    }
    pause_requested_.store(false);
    running_ = true;
    last_tick_ms_ = clock_.elapsed();
    step_credit_ = 0.0;
    rates_.play(clock_.elapsed(), session_->counters(), progress_);
    scheduleNext();
    emitSnapshot(true);
}

void SimulationWorker::stopRunning() {
    if (running_ && session_)
        watchRasterWindow();  // a fast run stops with its raster full, as it would have shown
    running_ = false;
    timer_->stop();
}

void SimulationWorker::pause() {
    stopRunning();
    pause_requested_.store(false);
    emitSnapshot(true);
}

void SimulationWorker::step(StepUnit unit) {
    stopRunning();
    if (session_) {
        loopIfFinished();
        advance(unit, 1, tracing_);
    }
    emitSnapshot(true);
}

void SimulationWorker::setLoop(bool loop) {
    loop_ = loop;
}

void SimulationWorker::loopIfFinished() {
    if (loop_ && session_ && session_->finished())
        session_->addEpoch();
}

bool SimulationWorker::advance(StepUnit unit, std::uint64_t count, bool trace_every_step) {
    StepObserver* observer = &raster_;
    if (raster_gap_) {
        raster_.clear();  // the ring holds only steps that follow each other
        raster_gap_ = false;
    }
    if (trace_every_step) {
        if (!tracer_.primedFor(session_->layer()))
            tracer_.prime(session_->layer());
        observer = &raster_and_tracer_;
    }
    if (unit != StepUnit::Step || (replay_next_ >= replay_.size() && stop_at_step_ == 0))
        return session_->advance(unit, count, observer);
    // A replay: runs end where a change is due (it takes effect before that step) or the
    // recorded run ended.
    bool more = true;
    while (count > 0 && more) {
        applyDueChanges();
        const std::uint64_t until = stepsUntilNextChange();
        if (until == 0) {
            running_ = false;  // the end of the recorded run
            return true;
        }
        const std::uint64_t run = std::min(count, until);
        const std::uint64_t before = session_->counters().steps;
        more = session_->advance(StepUnit::Step, run, observer);
        count -= run;
        if (!more && stop_at_step_ > session_->counters().steps &&
            session_->counters().steps > before) {
            session_->addEpoch();  // the recorded run looped over the data: so does its replay
            more = true;
        }
    }
    applyDueChanges();
    if (stepsUntilNextChange() == 0)
        running_ = false;
    return more;
}

// Up to `count` steps; in the image an image-count stop ends on, one at a time, so that the run
// stops at that image's last step rather than up to a chunk's worth into the next image (where
// the patch shown would be the next image's first, often black, and the counts one image on).
bool SimulationWorker::advanceToStop(std::uint64_t count, bool trace_every_step) {
    if (stop_at_images_ == 0 || session_->counters().images + 1 < stop_at_images_)
        return advance(StepUnit::Step, count, trace_every_step);
    bool more = true;
    for (std::uint64_t i = 0; i < count && more && session_->counters().images < stop_at_images_;
         ++i)
        more = advance(StepUnit::Step, 1, trace_every_step);
    return more;
}

bool SimulationWorker::advanceUnwatched(std::uint64_t count) {
    raster_gap_ = true;
    return session_->advance(StepUnit::Step, count, nullptr);
}

bool SimulationWorker::mustWatchEveryStep() const {
    // Near a stop that falls on an exact step the raster cannot be caught up afterwards: the end
    // of the data (the last image), the image count Play was asked to stop at, a replay's
    // changes and end, a presented input.
    if (replay_next_ < replay_.size() || stop_at_step_ > 0 ||
        session_->presentationProgress().active)
        return true;
    const std::uint64_t images = session_->counters().images;
    if (stop_at_images_ > 0 && images + 1 >= stop_at_images_)
        return true;
    const std::uint64_t total =
        session_->data().size() * static_cast<std::uint64_t>(session_->settings().data.epochs);
    return !loop_ && images + 1 >= total;
}

void SimulationWorker::watchRasterWindow() {
    // The raster shows the output spikes of the last kRasterWindow steps: the run before was not
    // watched, so these are.
    if (!raster_gap_)
        return;
    advance(StepUnit::Step, static_cast<std::uint64_t>(kRasterWindow), false);
}

void SimulationWorker::traceOneStep() {
    if (!tracing_)
        return;
    const qint64 now = clock_.elapsed();
    if (now - last_trace_ms_ < kFrameMs || done())
        return;
    last_trace_ms_ = now;
    advance(StepUnit::Step, 1, true);
}

void SimulationWorker::setStepTracing(bool on) {
    tracing_ = on;
    if (!on)
        tracer_.clear();
}

void SimulationWorker::setSpeed(double steps_per_second) {
    if (running_ && session_ && steps_per_second > kMaxSpeed)
        watchRasterWindow();  // slow motion goes on from a full raster
    speed_ = std::max(0.0, steps_per_second);
    step_credit_ = 0.0;
    last_tick_ms_ = clock_.elapsed();
    // The rate readout measures the new speed from now, not a blend with the old one.
    if (session_)
        rates_.restart(clock_.elapsed(), session_->counters(), progress_);
    if (running_)
        scheduleNext();
}

void SimulationWorker::setDynamics(const DynamicsSettings& dynamics) {
    if (!session_)
        return;
    const Settings before = session_->settings();
    try {
        session_->setDynamics(dynamics);  // the layer refuses what breaks core's rules
    } catch (const UserError& e) {
        report(e.what(), session_->settings().dynamics);
        return;
    }
    reportApplied(before, session_->settings());
    if (!running_)
        emitSnapshot(true);
}

void SimulationWorker::reportApplied(const Settings& before, const Settings& after) {
    std::vector<LiveChange> changes;
    for (const SettingInfo& info : settingInfos()) {
        if (!info.live)
            continue;
        const std::string value = settingValue(after, info.name);
        if (value != settingValue(before, info.name))
            changes.push_back(
                {session_->counters().steps, session_->counters().images, info.name, value});
    }
    if (!changes.empty())
        sendApplied(std::move(changes));
}

void SimulationWorker::sendApplied(std::vector<LiveChange> changes) {
    applied_changes_.push({std::move(changes), generation_}, [this] { emit liveChangesWaiting(); });
}

void SimulationWorker::post(std::function<void()> command) {
    commands_.push(std::move(command), [this] { emit commandsWaiting(); });
}

void SimulationWorker::runCommands() {
    for (const std::function<void()>& command : commands_.takeAll())
        command();
}

void SimulationWorker::report(std::string message, std::optional<DynamicsSettings> kept) {
    problems_.push({std::move(message), std::move(kept)}, [this] { emit problemsWaiting(); });
}

void SimulationWorker::replay(std::vector<LiveChange> changes, std::uint64_t stop_at_step) {
    replay_ = std::move(changes);
    replay_next_ = 0;
    stop_at_step_ = stop_at_step;
    if (session_)
        applyDueChanges();
}

void SimulationWorker::applyDueChanges() {
    while (replay_next_ < replay_.size() &&
           replay_[replay_next_].step <= session_->counters().steps) {
        const LiveChange& change = replay_[replay_next_++];
        Settings live = session_->settings();
        const Settings before = live;
        try {
            applyChange(*session_, live, change);
        } catch (const UserError& e) {
            report(e.what());
            continue;
        }
        if (change.setting == kThetaNow)
            sendApplied({change});
        else
            reportApplied(before, session_->settings());
    }
}

std::uint64_t SimulationWorker::stepsUntilNextChange() const {
    const std::uint64_t now = session_->counters().steps;
    std::uint64_t until = std::numeric_limits<std::uint64_t>::max();
    if (replay_next_ < replay_.size())
        until = replay_[replay_next_].step - std::min(now, replay_[replay_next_].step);
    if (stop_at_step_ > 0)
        until = std::min(until, stop_at_step_ - std::min(now, stop_at_step_));
    return until;
}

void SimulationWorker::setThreshold(double theta) {
    if (!session_)
        return;
    std::vector<float> t = session_->layer().thresholds();
    std::fill(t.begin(), t.end(), static_cast<float>(theta));
    session_->setThresholds(t);
    sendApplied({LiveChange{session_->counters().steps, session_->counters().images, kThetaNow,
                            shortestText(theta)}});
    if (tracer_.primedFor(session_->layer()))
        tracer_.prime(session_->layer());  // the next step starts from the new theta
    if (!running_)
        emitSnapshot(true);
}

bool SimulationWorker::done() const {
    return session_->finished() && !session_->presentationProgress().active;
}

void SimulationWorker::present(Presentation presentation) {
    if (!session_)
        return;
    if (running_)
        watchRasterWindow();  // the presentation's steps follow the run's last ones
    try {
        session_->present(std::move(presentation));
    } catch (const UserError& e) {
        report(e.what());
        return;
    }
    if (session_->presentationProgress().learn)
        emit learnedFromPresentation(session_->counters().steps, generation_);
    if (tracer_.primedFor(session_->layer()))
        tracer_.prime(session_->layer());
    emitSnapshot(true);
}

void SimulationWorker::endPresentation() {
    if (!session_)
        return;
    session_->endPresentation();
    tracer_.clear();  // its history showed the presentation's layer
    emitSnapshot(true);
}

void SimulationWorker::scheduleNext() {
    if (!running_)
        return;
    int interval = 0;
    if (speed_ > kMaxSpeed) {
        const double period_ms = 1000.0 / speed_;
        interval = period_ms > kSlowTickMs ? static_cast<int>(period_ms) : kSlowTickMs;
    }
    timer_->start(interval);
}

void SimulationWorker::tick() {
    if (!running_ || !session_)
        return;
    runSlice();
    loopIfFinished();
    if (done())
        running_ = false;
    emitSnapshot(!running_);
    scheduleNext();
}

void SimulationWorker::runSlice() {
    QThread* thread = QThread::currentThread();
    const qint64 now = clock_.elapsed();
    if (speed_ > kMaxSpeed) {
        // Slowed down: as many steps as the elapsed time allows at this speed.
        step_credit_ += speed_ * static_cast<double>(now - last_tick_ms_) / 1000.0;
        step_credit_ = std::min(step_credit_, std::max(1.0, speed_ * kMaxCreditSeconds));
        last_tick_ms_ = now;
        const auto steps = static_cast<std::uint64_t>(step_credit_);
        step_credit_ -= static_cast<double>(steps);
        if (steps > 0) {
            const bool every = tracing_ && speed_ <= kTraceEveryStepSpeed;
            advanceToStop(steps, every);
            if (!every)
                traceOneStep();
            sampleThreshold();
        }
        if (stop_at_images_ > 0 && session_->counters().images >= stop_at_images_)
            running_ = false;
        return;
    }
    // As fast as possible, but only for a few milliseconds: then the event loop takes commands.
    // Only the steps the next snapshot's raster shows are watched (a watched step costs a fifth
    // more): the last kRasterWindow of a slice that ends with a snapshot, of a run that pauses,
    // and every step near an exact stop.
    const qint64 end = now + kSliceMs;
    const bool frame_due = end - last_emit_ms_ >= kFrameMs;
    while (clock_.elapsed() < end) {
        if (thread->isInterruptionRequested()) {
            running_ = false;
            return;
        }
        if (pause_requested_.load()) {
            watchRasterWindow();
            running_ = false;
            return;
        }
        const bool more = mustWatchEveryStep() ? advanceToStop(kStepsPerCheck, false)
                                               : advanceUnwatched(kUnwatchedStepsPerCheck);
        traceOneStep();
        sampleThreshold();
        if (!more)
            return;
        if (stop_at_images_ > 0 && session_->counters().images >= stop_at_images_) {
            running_ = false;
            return;
        }
    }
    if (frame_due)
        watchRasterWindow();
}

void SimulationWorker::emitSnapshot(bool force) {
    if (!session_)
        return;
    const qint64 now = clock_.elapsed();
    // A frame waits for the slice that watches the raster's steps (a slice that ran late would
    // otherwise show the spikes of the frame before beside the current patch).
    if (!force && (now - last_emit_ms_ < kFrameMs || raster_gap_))
        return;
    last_emit_ms_ = now;
    QElapsedTimer build_clock;
    build_clock.start();
    carryUntaken();
    SnapshotPtr snapshot = buildSnapshot();
    ++load_.snapshots_built;
    load_.build_ms += static_cast<double>(build_clock.nsecsElapsed()) / 1e6;
    mailbox_.put(std::move(snapshot), [this] { emit snapshotWaiting(); });
}

void SimulationWorker::carryUntaken() {
    const SnapshotPtr untaken = mailbox_.reclaim();
    if (!untaken || untaken->generation != generation_)
        return;  // taken, or of a network since replaced: nothing of it belongs to this one
    // Oldest first; bounded as the worker's own queues are, should the GUI take nothing for long.
    std::vector<ThresholdSample> samples = untaken->theta_trace;
    samples.insert(samples.end(), theta_trace_.begin(), theta_trace_.end());
    if (samples.size() > kMaxPendingSamples)
        samples.resize(kMaxPendingSamples);
    theta_trace_ = std::move(samples);
    untaken_traces_ = untaken->step_traces;
    if (untaken_traces_.size() > kTraceHistory)
        untaken_traces_.erase(untaken_traces_.begin(),
                              untaken_traces_.end() - static_cast<std::ptrdiff_t>(kTraceHistory));
}

void SimulationWorker::acknowledge(quint64 token) {
    load_.acknowledged = token;
}

double SimulationWorker::imagesProgress() const {
    // Progress within the current image, so the charts' time axis moves smoothly.
    const TrainingSession& session = *session_;
    const Settings& settings = session.settings();
    double fraction = 0.0;
    if (session.currentOrigin().presented)
        return progress_;  // a presentation is not training: the time axis waits
    if (session.hasPatch() && settings.data.sampling == PatchSampling::AllOverlapping) {
        const int p = settings.structure.patch_size;
        const Image& im = session.data().images[session.currentOrigin().image];
        const int cols = patchPositions(im.cols, p, session.padding());
        const int rows = patchPositions(im.rows, p, session.padding());
        const PatchPosition at = session.currentOrigin().position;
        fraction = double(at.row * cols + at.col) / std::max(1, rows * cols);
    } else if (settings.data.sampling == PatchSampling::Random) {
        const auto per_image =
            static_cast<std::uint64_t>(std::max(1, settings.data.patches_per_image));
        fraction = static_cast<double>(session.counters().patches % per_image) /
                   static_cast<double>(per_image);
    }
    return static_cast<double>(images_offset_ + session.counters().images) + fraction;
}

void SimulationWorker::sampleThreshold() {
    neuron_history_.sample(session_->layer(), images_offset_ + session_->counters().images);
    const std::uint64_t steps = session_->counters().steps;
    if (steps - theta_sampled_steps_ < kThetaSampleSteps ||
        theta_trace_.size() >= kMaxPendingSamples)
        return;
    theta_sampled_steps_ = steps;
    const auto& theta = session_->layer().thresholds();
    const auto [lo, hi] = std::minmax_element(theta.begin(), theta.end());
    theta_trace_.push_back({imagesProgress(), session_->layer().meanThreshold(), *lo, *hi});
}

SnapshotPtr SimulationWorker::buildSnapshot() {
    // Never let the time axis run backwards (between two patches the fraction is unknown).
    progress_ = std::max(progress_, imagesProgress());
    SnapshotBuilder::Run run;
    run.generation = generation_;
    run.images_offset = images_offset_;
    run.patches_offset = patches_offset_;
    run.running = running_;
    run.images_progress = progress_;
    run.rates = rates_.measure(clock_.elapsed(), session_->counters(), progress_, running_);
    std::vector<ThresholdSample> trace;
    trace.swap(theta_trace_);
    neuron_history_.sample(session_->layer(), images_offset_ + session_->counters().images);
    const qint64 now = clock_.elapsed();
    if (!running_ || now - last_history_ms_ >= kNeuronHistoryMs) {
        published_history_ = neuron_history_.history();
        last_history_ms_ = now;
    }
    run.neuron_history = published_history_;
    run.load = load_;
    std::vector<StepTracePtr> traces = std::move(untaken_traces_);
    untaken_traces_.clear();
    std::vector<StepTracePtr> newest = tracer_.take();
    traces.insert(traces.end(), newest.begin(), newest.end());
    return snapshots_.build(*session_, run, std::move(trace), raster_, std::move(traces));
}

}  // namespace stdp::studio
