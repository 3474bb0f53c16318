#include "SimulationWorker.h"

#include <QThread>
#include <QTimer>
#include <algorithm>
#include <cmath>

namespace stdp::studio {

namespace {
constexpr qint64 kSliceMs = 8;                // longest run between two looks at the event queue
constexpr std::uint64_t kStepsPerCheck = 16;  // steps between two looks at the clock
constexpr qint64 kFrameMs = 33;               // at most ~30 snapshots per second
constexpr std::uint64_t kThetaSampleSteps = 2000;  // theta chart resolution (~1/7 MNIST image)
constexpr std::size_t kMaxPendingSamples = 4096;   // bound if no snapshot is taken for long
constexpr qint64 kRateWindowMs = 250;              // images/s is measured over about this long
constexpr double kRateSmoothing = 0.5;             // weight of the newest rate measurement
constexpr int kSlowTickMs = 10;            // timer period in slowed-down mode above 100 steps/s
constexpr double kMaxCreditSeconds = 0.1;  // a late tick catches up at most this much
constexpr std::uint64_t kCheckpointSteps = 5000;
constexpr std::size_t kCheckpoints = 6;  // recent wins cover up to 6 x 5000 steps
}  // namespace

// ---- RasterRecorder ---------------------------------------------------------------------------

void RasterRecorder::resize(int window, int units) {
    window_ = window;
    units_ = units;
    fired_.assign(static_cast<std::size_t>(window) * static_cast<std::size_t>(units), 0);
    fired_count_.assign(static_cast<std::size_t>(window), 0);
    patch_start_.assign(static_cast<std::size_t>(window), 0);
    clear();
}

void RasterRecorder::clear() {
    head_ = 0;
    count_ = 0;
}

void RasterRecorder::onStep(const RepresentationLayer& layer, std::span<const std::int32_t>) {
    if (window_ == 0)
        return;
    const auto slot = static_cast<std::size_t>(head_);
    const auto fired = layer.fired();
    const std::size_t n = std::min(fired.size(), static_cast<std::size_t>(units_));
    std::copy_n(fired.begin(), n, fired_.begin() + static_cast<std::ptrdiff_t>(slot * units_));
    fired_count_[slot] = static_cast<std::int32_t>(n);
    patch_start_[slot] = layer.stepInPatch() == 1 ? 1 : 0;
    head_ = (head_ + 1) % window_;
    count_ = std::min(count_ + 1, window_);
}

void RasterRecorder::fill(gui::RasterSnapshot& out) const {
    out.window = window_;
    out.out_offsets.assign(1, 0);
    out.out_offsets.reserve(static_cast<std::size_t>(count_) + 1);
    out.out_indices.clear();
    out.patch_start.clear();
    out.patch_start.reserve(static_cast<std::size_t>(count_));
    const int first = (head_ - count_ + window_) % std::max(1, window_);
    for (int k = 0; k < count_; ++k) {
        const auto slot = static_cast<std::size_t>((first + k) % window_);
        const auto begin = fired_.begin() + static_cast<std::ptrdiff_t>(slot * units_);
        out.out_indices.insert(out.out_indices.end(), begin, begin + fired_count_[slot]);
        out.out_offsets.push_back(static_cast<std::int32_t>(out.out_indices.size()));
        out.patch_start.push_back(patch_start_[slot]);
    }
}

// ---- SimulationWorker -------------------------------------------------------------------------

SimulationWorker::SimulationWorker() : timer_(new QTimer(this)) {
    timer_->setSingleShot(true);
    connect(timer_, &QTimer::timeout, this, &SimulationWorker::tick);
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
            session->setImagesOffset(initial->images_seen);
        }
    } catch (const std::exception& e) {
        // The old session stays: nothing changes on a bad file or value.
        emit failed(QString::fromStdString(e.what()));
        return;
    }
    session_ = std::move(session);
    images_offset_ = initial ? initial->images_seen : 0;
    running_ = false;
    timer_->stop();
    restart(generation);
}

void SimulationWorker::reset(std::uint64_t generation) {
    if (session_) {
        session_->reset();
        images_offset_ = 0;
        session_->setImagesOffset(0);
    }
    restart(generation);
}

void SimulationWorker::restart(std::uint64_t generation) {
    generation_ = generation;
    progress_ = 0.0;
    theta_trace_.clear();
    theta_sampled_steps_ = 0;
    if (!session_)
        return;
    raster_.resize(kRasterWindow, session_->layer().units());
    checkpoints_.assign(
        1, {0, std::vector<std::uint64_t>(static_cast<std::size_t>(session_->layer().units()), 0)});
    rate_ms_ = clock_.elapsed();
    rate_images_ = 0;
    rate_steps_ = 0;
    // Reset during Play: the "since Play" average must start from the new network's zero
    // counters (the old play_steps_ made the difference wrap around: 8.6e16 steps/s).
    play_ms_ = rate_ms_;
    play_progress_ = 0.0;
    play_steps_ = 0;
    rate_spikes_ = 0;
    rate_spikes_steps_ = 0;
    images_per_second_ = 0.0;
    steps_per_second_ = 0.0;
    spikes_per_step_ = 0.0;
    emitSnapshot(true);
}

void SimulationWorker::play(std::uint64_t stop_at_images) {
    stop_at_images_ = stop_at_images;
    loopIfFinished();
    if (!session_ || session_->finished()) {
        emitSnapshot(true);
        return;
    }
    pause_requested_.store(false);
    running_ = true;
    last_tick_ms_ = clock_.elapsed();
    step_credit_ = 0.0;
    rate_ms_ = clock_.elapsed();
    rate_images_ = session_->counters().images;
    rate_steps_ = session_->counters().steps;
    play_ms_ = clock_.elapsed();
    play_progress_ = progress_;
    play_steps_ = session_->counters().steps;
    scheduleNext();
    emitSnapshot(true);
}

void SimulationWorker::pause() {
    running_ = false;
    pause_requested_.store(false);
    timer_->stop();
    emitSnapshot(true);
}

void SimulationWorker::step(StepUnit unit) {
    running_ = false;
    timer_->stop();
    if (session_) {
        loopIfFinished();
        session_->advance(unit, 1, &raster_);
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

void SimulationWorker::setSpeed(double steps_per_second) {
    speed_ = std::max(0.0, steps_per_second);
    step_credit_ = 0.0;
    last_tick_ms_ = clock_.elapsed();
    if (running_)
        scheduleNext();
}

void SimulationWorker::setDynamics(const DynamicsSettings& dynamics) {
    if (!session_)
        return;
    try {
        Settings s = session_->settings();
        s.dynamics = dynamics;
        validate(s);
    } catch (const UserError& e) {
        emit failed(QString::fromStdString(e.what()));
        return;
    }
    session_->setDynamics(dynamics);
    if (!running_)
        emitSnapshot(true);
}

void SimulationWorker::setThreshold(double theta) {
    if (!session_)
        return;
    std::vector<float> t = session_->layer().thresholds();
    std::fill(t.begin(), t.end(), static_cast<float>(theta));
    session_->layer().setThresholds(t);
    if (!running_)
        emitSnapshot(true);
}

void SimulationWorker::shutdown() {
    running_ = false;
    timer_->stop();
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
    if (session_->finished())
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
            session_->advance(StepUnit::Step, steps, &raster_);
            sampleThreshold();
        }
        if (stop_at_images_ > 0 && session_->counters().images >= stop_at_images_)
            running_ = false;
        return;
    }
    // As fast as possible, but only for a few milliseconds: then the event loop takes commands.
    const qint64 end = now + kSliceMs;
    while (clock_.elapsed() < end) {
        if (pause_requested_.load() || thread->isInterruptionRequested()) {
            running_ = false;
            return;
        }
        const bool more = session_->advance(StepUnit::Step, kStepsPerCheck, &raster_);
        sampleThreshold();
        if (!more)
            return;
        if (stop_at_images_ > 0 && session_->counters().images >= stop_at_images_) {
            running_ = false;
            return;
        }
    }
}

void SimulationWorker::emitSnapshot(bool force) {
    if (!session_)
        return;
    const qint64 now = clock_.elapsed();
    if (!force && now - last_emit_ms_ < kFrameMs)
        return;
    last_emit_ms_ = now;
    emit snapshotReady(buildSnapshot());
}

void SimulationWorker::checkpointWins() {
    const std::uint64_t steps = session_->counters().steps;
    if (steps - checkpoints_.back().steps < kCheckpointSteps)
        return;
    const auto wins = session_->layer().winCounts();
    checkpoints_.push_back({steps, std::vector<std::uint64_t>(wins.begin(), wins.end())});
    if (checkpoints_.size() > kCheckpoints)
        checkpoints_.erase(checkpoints_.begin());
}

double SimulationWorker::imagesProgress() const {
    // Progress within the current image, so the charts' time axis moves smoothly.
    const TrainingSession& session = *session_;
    const Settings& settings = session.settings();
    double fraction = 0.0;
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
    auto snap = std::make_shared<Snapshot>();
    const TrainingSession& session = *session_;
    const RepresentationLayer& layer = session.layer();
    const Settings& settings = session.settings();
    const int p = settings.structure.patch_size;
    snap->generation = generation_;
    snap->counters = session.counters();
    snap->images_offset = images_offset_;
    snap->running = running_;
    snap->finished = session.finished();
    snap->settings = settings;

    // Never let the time axis run backwards (between two patches the fraction is unknown).
    progress_ = std::max(progress_, imagesProgress());
    snap->images_progress = progress_;
    snap->theta_trace = std::move(theta_trace_);
    theta_trace_.clear();

    // Rates.
    const qint64 now = clock_.elapsed();
    if (running_ && now - rate_ms_ >= kRateWindowMs) {
        const double dt = static_cast<double>(now - rate_ms_) / 1000.0;
        const double ips = static_cast<double>(snap->counters.images - rate_images_) / dt;
        const double sps = static_cast<double>(snap->counters.steps - rate_steps_) / dt;
        images_per_second_ = images_per_second_ > 0.0
                                 ? kRateSmoothing * ips + (1 - kRateSmoothing) * images_per_second_
                                 : ips;
        steps_per_second_ = steps_per_second_ > 0.0
                                ? kRateSmoothing * sps + (1 - kRateSmoothing) * steps_per_second_
                                : sps;
        rate_ms_ = now;
        rate_images_ = snap->counters.images;
        rate_steps_ = snap->counters.steps;
    }
    if (running_ && images_per_second_ == 0.0 && now > play_ms_) {
        // No full measuring window yet: the average since Play.
        const double dt = static_cast<double>(now - play_ms_) / 1000.0;
        images_per_second_ = (progress_ - play_progress_) / dt;
        steps_per_second_ = static_cast<double>(snap->counters.steps - play_steps_) / dt;
    }
    snap->images_per_second = images_per_second_;
    snap->steps_per_second = steps_per_second_;
    if (snap->counters.steps > rate_spikes_steps_) {
        spikes_per_step_ = static_cast<double>(snap->counters.spikes - rate_spikes_) /
                           static_cast<double>(snap->counters.steps - rate_spikes_steps_);
        rate_spikes_ = snap->counters.spikes;
        rate_spikes_steps_ = snap->counters.steps;
    }
    snap->spikes_per_step = spikes_per_step_;

    const auto& theta = layer.thresholds();
    if (!theta.empty()) {
        const auto [lo, hi] = std::minmax_element(theta.begin(), theta.end());
        snap->theta_min = *lo;
        snap->theta_max = *hi;
        snap->theta_mean = layer.meanThreshold();
    }

    // Fields and firing statistics.
    checkpointWins();
    auto fields = std::make_shared<gui::FieldsSnapshot>();
    fields->weights = layer.weights();
    fields->patch_size = p;
    fields->onoff = settings.structure.onoff;
    fields->thresholds = theta;
    const auto wins = layer.winCounts();
    fields->wins.assign(wins.begin(), wins.end());
    const WinCheckpoint& oldest = checkpoints_.front();
    fields->recent_steps = snap->counters.steps - oldest.steps;
    fields->recent_wins.resize(fields->wins.size());
    for (std::size_t j = 0; j < fields->wins.size(); ++j)
        fields->recent_wins[j] = fields->wins[j] - (j < oldest.wins.size() ? oldest.wins[j] : 0);

    auto raster = std::make_shared<gui::RasterSnapshot>();
    raster->inputs = layer.inputs();
    raster->units = layer.units();
    raster_.fill(*raster);
    fields->raster_spikes.assign(static_cast<std::size_t>(layer.units()), 0);
    for (auto j : raster->out_indices)
        ++fields->raster_spikes[static_cast<std::size_t>(j)];

    if (snap->counters.steps > 0) {
        PatchSpikes patch = session.currentPatch();
        patch.toIndexLists();  // the views and the reconstruction read index lists
        raster->patch_steps = patch.steps;
        raster->current_step = session.hasPatch() ? layer.stepInPatch() : patch.steps;
        raster->input_offsets = patch.offsets;
        raster->input_indices = patch.indices;

        const PatchOrigin& origin = session.currentOrigin();
        snap->has_patch = true;
        snap->image_index = origin.image;
        snap->patch_row = origin.position.row - session.padding();
        snap->patch_col = origin.position.col - session.padding();
        snap->patch_spikes = patch;
        patchPixels(session.data().images[origin.image], origin.position, p, session.padding(),
                    snap->patch_pixels);
    }
    snap->fields = std::move(fields);
    snap->raster = std::move(raster);
    return snap;
}

}  // namespace stdp::studio
