#include "FieldCensusRunner.h"

#include <QLocale>
#include <cmath>
#include <mutex>
#include <optional>

#include "ThreadCpuMeter.h"
#include "model/FieldGrey.h"

namespace stdp::studio {

namespace {
constexpr int kCensusNice = 19;  // as the evaluations: the simulation keeps its core
}  // namespace

// Lives in the runner's thread: fits the newest fields handed over, skipping any that were
// replaced while a census ran.
class CensusWorker : public QObject {
    Q_OBJECT
  public:
    explicit CensusWorker(FieldCensusRunner* runner) : runner_(runner) {
        // Connected here, on the thread that makes the worker: the notice carries no slot object
        // of the submitting thread (see HandOffQueue).
        connect(this, &CensusWorker::requestWaiting, this, &CensusWorker::process,
                Qt::QueuedConnection);
    }

    void submit(SnapshotPtr snapshot) {
        std::lock_guard lock(mutex_);
        pending_ = std::move(snapshot);
        if (!scheduled_) {
            scheduled_ = true;
            emit requestWaiting();  // under the lock, as HandOffQueue::push
        }
    }

  signals:
    void requestWaiting();

  private:
    void process() {
        SnapshotPtr s;
        {
            std::lock_guard lock(mutex_);
            scheduled_ = false;
            s = std::move(pending_);
            pending_.reset();
        }
        if (!s || !s->fields)
            return;
        try {
            const gui::FieldsSnapshot& f = *s->fields;
            auto out = std::make_shared<CensusResult>();
            out->patch_size = f.patch_size;
            out->generation = s->generation;
            out->fields = s->fields;
            out->steps = s->counters.steps;
            out->images = s->images_offset + s->counters.images;
            out->patches = s->counters.patches;
            out->computed_in = QThread::currentThread();
            // One thread: the other core runs the simulation.
            out->census =
                fieldCensus(pixelFilters(f.weights, f.patch_size, f.onoff), f.patch_size, {}, 1);
            // To the runner's thread in its queue; the runner outlives this thread.
            runner_->results_.push(CensusPtr(std::move(out)),
                                   [runner = runner_] { emit runner->censusesWaiting(); });
        } catch (const std::exception&) {
            // Fields the census rejects (too small): the line keeps its last value.
        }
    }

    FieldCensusRunner* runner_;
    std::mutex mutex_;
    SnapshotPtr pending_;
    bool scheduled_ = false;
};

FieldCensusRunner::FieldCensusRunner(QObject* parent)
    : QObject(parent),
      worker_(new CensusWorker(this)),
      insistent_worker_(new CensusWorker(this)),
      schedule_(QThread::idealThreadCount(), kIntervalMs, kBusyIntervalMs) {
    qRegisterMetaType<CensusPtr>();
    connect(
        this, &FieldCensusRunner::censusesWaiting, this,
        [this] {
            for (const CensusPtr& census : results_.takeAll())
                received(census);
        },
        Qt::QueuedConnection);
    worker_->moveToThread(&thread_);
    insistent_worker_->moveToThread(&insistent_thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(&insistent_thread_, &QThread::finished, insistent_worker_, &QObject::deleteLater);
    thread_.setObjectName(QStringLiteral("census"));
    insistent_thread_.setObjectName(QStringLiteral("census-busy"));
    // Under Linux's default scheduler only the nice value makes a thread yield: the fits take
    // what the simulation and the evaluations leave.
    connect(
        &thread_, &QThread::started, this, [] { setCurrentThreadNice(kCensusNice); },
        Qt::DirectConnection);
    clock_.start();
    thread_.start(QThread::LowestPriority);
    insistent_thread_.start();
}

FieldCensusRunner::~FieldCensusRunner() {
    thread_.quit();
    insistent_thread_.quit();
    thread_.wait();
    insistent_thread_.wait();
}

void FieldCensusRunner::received(const CensusPtr& census) {
    if (census->generation != generation_)
        return;  // a replaced network
    if (latest_ && census->steps < latest_->steps)
        return;  // a late one of older fields (the other thread)
    latest_ = census;
    emit censusReady(latest_);
}

void FieldCensusRunner::offerAt(const SnapshotPtr& snapshot, qint64 now) {
    if (!snapshot || !snapshot->fields || snapshot->generation != generation_)
        return;
    const gui::FieldsSnapshot& f = *snapshot->fields;
    if (!applies(f.patch_size, f.onoff) || snapshot->counters.steps == last_steps_)
        return;
    if (other_load_)
        schedule_.setOtherLoad(other_load_());
    const bool first = !asked_for_generation_;
    if (!first && snapshot->running && !schedule_.due(now)) {
        deferred_ = schedule_.deferred(now);
        return;
    }
    deferred_ = false;
    asked_for_generation_ = true;
    schedule_.started(now);
    last_steps_ = snapshot->counters.steps;
    if (schedule_.insistent()) {
        ++insistent_censuses_;
        insistent_worker_->submit(snapshot);
    } else {
        worker_->submit(snapshot);
    }
}

void FieldCensusRunner::networkReplaced(std::uint64_t generation) {
    generation_ = generation;
    latest_.reset();
    last_steps_ = ~std::uint64_t{0};
    asked_for_generation_ = false;
}

QString FieldCensusRunner::summary(const FieldCensus& c, bool legend, bool compact) {
    // Each entry's words stay together (a wrapped line never splits "border lines 0").
    const auto name = [legend](FieldShape shape, QString text) {
        text.replace(QLatin1Char(' '), QChar::Nbsp);
        if (!legend)
            return text;
        return QStringLiteral("<span style=\"color:%1\">■</span>&nbsp;%2")
            .arg(shapeColour(shape).name(), text.toHtmlEscaped());
    };
    const int n = c.fields();
    const int gabor = c.count(FieldShape::Gabor);
    const double share = n > 0 ? 100.0 * gabor / n : 0.0;
    const auto entry = [&](FieldShape shape, const QString& full, const QString& brief) {
        return name(shape, (compact ? brief : full).arg(c.count(shape)));
    };
    const QStringList entries{
        name(FieldShape::Gabor, (compact ? tr("Gabor %1/%2 (%3 %)") : tr("Gabor %1 of %2 (%3 %)"))
                                    .arg(gabor)
                                    .arg(n)
                                    .arg(share, 0, 'f', 0)),
        entry(FieldShape::Blob, tr("blobs %1"), tr("blobs %1")),
        entry(FieldShape::BorderLine, tr("border lines %1"), tr("border %1")),
        entry(FieldShape::GlobalGrating, tr("global gratings %1"), tr("gratings %1")),
        entry(FieldShape::Flat, tr("flat %1"), tr("flat %1")),
        entry(FieldShape::PoorFit, tr("poor fit %1"), tr("poor %1")),
        entry(FieldShape::Duplicate, tr("duplicates %1"), tr("dup. %1"))};
    // In the legend the coloured marks already separate the entries.
    return entries.join(compact && legend ? QStringLiteral(" ") : QStringLiteral(" · "));
}

QString FieldCensusRunner::ageText(const CensusResult& c, bool compact) {
    const QLocale locale;
    if (compact)
        return tr("at image %1").arg(locale.toString(static_cast<qulonglong>(c.images)));
    return tr("at image %1 · patch %2")
        .arg(locale.toString(static_cast<qulonglong>(c.images)),
             locale.toString(static_cast<qulonglong>(c.patches)));
}

bool FieldCensusRunner::stale(const CensusResult& c, const Snapshot& now) {
    if (now.generation != c.generation || now.counters.patches <= c.patches)
        return false;
    const std::uint64_t since = now.counters.patches - c.patches;
    const double learned = static_cast<double>(now.patches_offset + c.patches);
    return since > kStalePatches && static_cast<double>(since) > kStaleShare * learned;
}

QColor FieldCensusRunner::shapeColour(FieldShape shape) {
    // Okabe-Ito: told apart with the common colour-vision deficiencies.
    switch (shape) {
        case FieldShape::Gabor:
            return {0, 158, 115};
        case FieldShape::Blob:
            return {230, 159, 0};
        case FieldShape::BorderLine:
            return {204, 121, 167};
        case FieldShape::GlobalGrating:
            return {86, 180, 233};
        case FieldShape::Flat:
            return {160, 160, 160};
        case FieldShape::PoorFit:
            return {40, 40, 40};
        case FieldShape::Duplicate:
            return {213, 94, 0};
    }
    return {};
}

QVector<gui::FieldTag> FieldCensusRunner::tags(const FieldCensus& c) {
    QVector<gui::FieldTag> out;
    out.reserve(c.fields());
    for (const FieldShape shape : c.shapes)
        out.push_back({shapeColour(shape), QString::fromUtf8(fieldShapeName(shape))});
    return out;
}

QStringList FieldCensusRunner::notes(const FieldCensus& c) {
    QStringList out;
    for (int j = 0; j < c.fields(); ++j) {
        const auto at = static_cast<std::size_t>(j);
        const FieldShape shape = c.shapes[at];
        const GaborParams& g = c.fits[at].params;
        // The class and R² first: a narrow inspector cuts the end of the line.
        QString line = tr("census: %1").arg(QString::fromUtf8(fieldShapeName(shape)));
        if (shape == FieldShape::Duplicate)
            line += tr(" of neuron %1").arg(c.duplicate_of[at]);
        else if (shape != FieldShape::Flat)
            // The bars run perpendicular to the fitted wave vector.
            // The flank: the opposite lobe across the bars, which the census asks for. f is the
            // carrier the census judges (an edge's fitted f may sit near 0).
            line += tr(", R² %1, f %2 c/px, flank %3 %, bars %4°, at (%5, %6)")
                        .arg(c.fits[at].r2, 0, 'f', 2)
                        .arg(gaborCarrierFrequency(g), 0, 'f', 3)
                        .arg(100.0 * gaborOppositeLobe(g), 0, 'f', 0)
                        .arg(std::fmod(g.theta * 180.0 / 3.14159265358979 + 90.0, 180.0), 0, 'f', 0)
                        .arg(g.x0, 0, 'f', 1)
                        .arg(g.y0, 0, 'f', 1);
        out << line;
    }
    return out;
}

QString FieldCensusRunner::csv() const {
    // The carrier is the frequency the census judges by (the peak of the fitted profile's
    // spectrum); the fitted f is the model's parameter, which for an edge may sit near 0 while
    // its carrier does not. Both are written, each under a name that says which it is.
    QString out = QStringLiteral(
        "neuron,class,duplicate_of,r2,carrier_cycles_per_px,fitted_f_cycles_per_px,theta_rad,x0,"
        "y0,sigma_x,sigma_y\n");
    if (!latest_)
        return out + QStringLiteral("# ") + notApplicableText() + QLatin1Char('\n');
    const FieldCensus& c = latest_->census;
    for (int j = 0; j < c.fields(); ++j) {
        const auto at = static_cast<std::size_t>(j);
        const GaborParams& g = c.fits[at].params;
        out += QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8,%9,%10,%11\n")
                   .arg(j)
                   .arg(QString::fromUtf8(fieldShapeName(c.shapes[at])))
                   .arg(c.duplicate_of[at])
                   .arg(c.fits[at].r2, 0, 'g', 6)
                   .arg(gaborCarrierFrequency(g), 0, 'g', 6)
                   .arg(g.frequency, 0, 'g', 6)
                   .arg(g.theta, 0, 'g', 6)
                   .arg(g.x0, 0, 'g', 6)
                   .arg(g.y0, 0, 'g', 6)
                   .arg(g.sigma_x, 0, 'g', 6)
                   .arg(g.sigma_y, 0, 'g', 6);
    }
    return out + QStringLiteral("# %1 at step %2; %3\n")
                     .arg(summary(c))
                     .arg(latest_->steps)
                     .arg(criterionText());
}

QString FieldCensusRunner::notApplicableText() {
    return tr("Gabor census: for photographs (patches of 8 px or more)");
}

QString FieldCensusRunner::criterionText() {
    return QString::fromStdString(gaborCriterionText());
}

}  // namespace stdp::studio

#include "FieldCensusRunner.moc"
