#include "StudioSession.h"

#include <QFileInfo>

#include "ExperimentRecorder.h"
#include "model/Experiment.h"

#include "Export.h"
#include "io/Bundle.h"
#include "model/Presets.h"

namespace stdp::studio {

namespace {
// The preset for photographs that goes with a digit preset (same mechanisms).
QString naturalPresetFor(const QString& preset) {
    if (preset.startsWith(QLatin1String("improved")))
        return QStringLiteral("improved-natural");
    if (preset.startsWith(QLatin1String("coop")))
        return QStringLiteral("coop-natural");
    return QStringLiteral("paper-natural");
}

// Whitened photographs need ON/OFF inputs, a structure only a preset for photographs has:
// rather than a message the window cannot act on, the question offers that preset.
QString offerNaturalPreset(const QString& preset, const QString& natural) {
    return QObject::tr(
               "These images are photographs (whitened, signed values): they need ON/OFF "
               "inputs, which the preset '%1' does not have. Switch to the preset '%2', "
               "made for photographs?")
        .arg(preset, natural);
}

QString shortDataName(const QString& spec) {
    const QString path = spec.section(QLatin1Char(':'), 1);
    if (spec.startsWith(QLatin1String("builtin:")) || path.isEmpty())
        return spec;
    return QFileInfo(path).fileName();
}
}  // namespace

StudioSession::StudioSession(SimulationController* controller, QObject* parent)
    : QObject(parent),
      controller_(controller),
      recorder_(new ExperimentRecorder(controller, this)) {
    confirm_ = [](const QString&) { return false; };
    ask_unsaved_ = [](const QString&) { return UnsavedChoice::Discard; };
    choose_folder_ = [] { return QString(); };
    connect(controller_, &SimulationController::snapshotReady, this, &StudioSession::onSnapshot);
}

Outcome StudioSession::start(const QString& preset, const QString& data_spec,
                             const QStringList& assignments) {
    Settings settings;
    try {
        settings = presetSettings(preset.toStdString());
        for (const QString& a : assignments)
            applyAssignment(settings, a.toStdString());
        validate(settings);
    } catch (const std::exception& e) {
        return Outcome::refused(QString::fromStdString(e.what()));
    }
    const Outcome out = configure(settings, data_spec);
    if (out.done()) {
        preset_ = preset;
        emit documentChanged();
    }
    return out;
}

Outcome StudioSession::configure(const Settings& settings, const QString& data_spec) {
    DataChoice choice;
    try {
        choice = loadDataChoice(data_spec, settings.data);
    } catch (const std::exception& e) {
        return Outcome::refused(QString::fromStdString(e.what()));
    }
    QString error;
    if (!controller_->configure(settings, choice, std::nullopt, &error))
        return Outcome::refused(error);
    setBundle({});
    markClean(controller_->generation(), 0);
    if (!choice.held_out)
        emit note(
            tr("Too few images to hold some out: the learning curves are measured on the "
               "training images."));
    return {};
}

Outcome StudioSession::useData(const QString& spec) {
    // Digit presets cannot learn from the whitened built-in photographs: bring their counterpart.
    if (const auto natural = presetForData(preset_.toStdString(), spec.trimmed().toStdString())) {
        if (!mayDiscard(tr("Switching to other images replaces the network.")))
            return Outcome::cancelled();
        return start(QString::fromStdString(*natural), spec);
    }
    const Settings settings = controller_->settings();
    bool needs_onoff = false;
    if (!settings.structure.onoff) {
        try {
            needs_onoff = loadDataSpec(spec.trimmed().toStdString(), settings.data).signed_values;
        } catch (const std::exception& e) {
            return Outcome::refused(QString::fromStdString(e.what()));
        }
    }
    if (needs_onoff) {
        const QString natural = naturalPresetFor(preset_);
        if (!confirm_(offerNaturalPreset(preset_, natural)))
            return Outcome::cancelled();
        if (!mayDiscard(tr("Switching to other images replaces the network.")))
            return Outcome::cancelled();
        return start(natural, spec, {});
    }
    if (!mayDiscard(tr("Switching to other images replaces the network.")))
        return Outcome::cancelled();
    const Outcome out = configure(settings, spec);
    if (out.done())
        emit documentChanged();
    return out;
}

Outcome StudioSession::usePreset(const QString& preset) {
    const QString spec = dataForPresetName(preset, controller_->data().spec);
    QString chosen = preset;
    // A digit preset over photographs of the user's own: asked before anything is discarded.
    const auto& images = controller_->data().train;
    if (spec == controller_->data().spec && images && images->signed_values) {
        bool onoff = true;
        try {
            onoff = presetSettings(preset.toStdString()).structure.onoff;
        } catch (const std::exception& e) {
            return Outcome::refused(QString::fromStdString(e.what()));
        }
        if (!onoff) {
            chosen = naturalPresetFor(preset);
            if (!confirm_(offerNaturalPreset(preset, chosen)))
                return Outcome::cancelled();
        }
    }
    if (!mayDiscard(tr("Switching to the preset '%1' re-initialises the network.").arg(chosen)))
        return Outcome::cancelled();
    return start(chosen, spec, {});
}

QStringList StudioSession::presetDepartures() const {
    QStringList out;
    try {
        for (const std::string& name :
             stdp::presetDepartures(controller_->settings(), preset_.toStdString()))
            out << QString::fromStdString(name);
    } catch (const UserError&) {
        // A bundle of a preset this version does not know: nothing to compare with.
    }
    return out;
}

Outcome StudioSession::openBundle(const QString& dir) {
    ModelBundle b;
    try {
        b = loadBundle(dir.toStdString());
    } catch (const std::exception& e) {
        return Outcome::refused(QString::fromStdString(e.what()));
    }
    if (!mayDiscard(tr("Opening '%1' replaces the network.").arg(QFileInfo(dir).fileName())))
        return Outcome::cancelled();
    DataChoice choice;
    const QString spec = QString::fromStdString(b.data_source);
    try {
        choice =
            loadDataChoice(spec.isEmpty() ? QLatin1String(kBuiltinSpec) : spec, b.settings.data);
    } catch (const std::exception&) {
        // The images it was trained on are gone: keep learning on the built-in digits.
        try {
            choice = loadDataChoice(QLatin1String(kBuiltinSpec), b.settings.data);
        } catch (const std::exception& e) {
            return Outcome::refused(QString::fromStdString(e.what()));
        }
        emit note(tr("'%1' is not available; using the built-in digits").arg(spec));
    }
    InitialState initial{b.weights, b.thresholds, b.images_seen, b.patches_seen};
    QString error;
    if (!controller_->configure(b.settings, choice, initial, &error))
        return Outcome::refused(error);
    recorder_->startFromState(
        tr("it started from the bundle '%1', not from its seed").arg(QFileInfo(dir).fileName()));
    preset_ = QString::fromStdString(b.preset);
    setBundle(dir);
    markClean(controller_->generation(), 0);
    return {};
}

Outcome StudioSession::importFilters(const QString& npy_path) {
    const Settings settings = controller_->settings();
    InitialState initial;
    try {
        initial.weights = readWeightsNpy(npy_path.toStdString(),
                                         static_cast<std::size_t>(settings.structure.inputs()),
                                         static_cast<std::size_t>(settings.structure.units));
    } catch (const std::exception& e) {
        return Outcome::refused(QString::fromStdString(e.what()));
    }
    if (!mayDiscard(tr("Importing filters replaces the weights of the network.")))
        return Outcome::cancelled();
    // The thresholds the network has now go with the imported fields (a bundle would bring its
    // own: open it instead).
    if (const SnapshotPtr s = controller_->latest(); s && s->fields)
        initial.thresholds = s->fields->thresholds;
    else
        initial.thresholds =
            RepresentationLayer(settings.structure, settings.dynamics).thresholds();
    QString error;
    if (!controller_->configure(settings, controller_->data(), initial, &error))
        return Outcome::refused(error);
    recorder_->startFromState(tr("it started from imported filters, not from its seed"));
    setBundle({});
    markClean(controller_->generation(), 0);
    emit note(tr("Imported %1 filters from %2").arg(settings.structure.units).arg(npy_path));
    return {};
}

Outcome StudioSession::reset() {
    if (!mayDiscard(tr("Reset re-initialises the weights and θ from the seed.")))
        return Outcome::cancelled();
    controller_->reset();
    // The network is no longer the bundle's: saving in place would overwrite it with another.
    setBundle({});
    markClean(controller_->generation(), 0);
    return {};
}

Outcome StudioSession::saveAs(const QString& dir) {
    const SnapshotPtr s = controller_->latest();
    if (!s)
        return Outcome::refused(tr("no network to save yet"));
    const QString error =
        saveSnapshotBundle(*s, dir, controller_->data().spec, preset_, controller_->lastMetrics());
    if (!error.isEmpty())
        return Outcome::refused(error);
    setBundle(dir);
    markClean(s->generation, s->counters.steps);
    emit note(tr("Saved the network to %1").arg(dir));
    return {};
}

Outcome StudioSession::save() {
    QString dir = bundle_dir_;
    if (dir.isEmpty())
        dir = choose_folder_();
    if (dir.isEmpty())
        return Outcome::cancelled();
    return saveAs(dir);
}

bool StudioSession::mayClose() {
    return mayDiscard(tr("Quitting closes the network."));
}

bool StudioSession::mayDiscard(const QString& why) {
    if (!modified_)
        return true;
    switch (ask_unsaved_(why + QLatin1Char(' ') +
                         tr("It learned since it was last saved. Save it first?"))) {
        case UnsavedChoice::Discard:
            return true;
        case UnsavedChoice::Save:
            return save().done();
        case UnsavedChoice::Cancel:
            break;
    }
    return false;
}

QString StudioSession::documentName() const {
    if (!bundle_dir_.isEmpty())
        return QFileInfo(bundle_dir_).fileName();
    if (preset_.isEmpty())
        return tr("untitled");
    return QStringLiteral("%1 · %2").arg(preset_, shortDataName(controller_->data().spec));
}

void StudioSession::onSnapshot(const SnapshotPtr& s) {
    (void)s;
    updateModified();
}

void StudioSession::markClean(std::uint64_t generation, std::uint64_t steps) {
    clean_generation_ = generation;
    clean_steps_ = steps;
    updateModified();
}

void StudioSession::setBundle(const QString& dir) {
    if (dir == bundle_dir_)
        return;
    bundle_dir_ = dir;
    emit documentChanged();
}

void StudioSession::updateModified() {
    const SnapshotPtr s = controller_->latest();
    bool modified = false;
    if (s) {
        // A network replaced behind the session's back (a structure change) counts from zero.
        modified = s->generation == clean_generation_ ? s->counters.steps != clean_steps_
                                                      : s->counters.steps > 0;
    }
    if (modified == modified_)
        return;
    modified_ = modified;
    emit documentChanged();
}

Outcome StudioSession::exportExperiment(const QString& path) {
    const SnapshotPtr s = controller_->latest();
    QString why;
    const std::optional<Experiment> e =
        recorder_->experiment(s ? s->counters.steps : 0, preset_, &why);
    if (!e)
        return Outcome::refused(tr("This run cannot be written as an experiment: %1.").arg(why));
    try {
        saveExperiment(path.toStdString(), *e);
    } catch (const std::exception& err) {
        return Outcome::refused(QString::fromStdString(err.what()));
    }
    emit note(tr("Experiment written to %1 (%2 live changes, %3 steps): stdp-cli train --config "
                 "replays it")
                  .arg(path)
                  .arg(e->changes.size())
                  .arg(e->steps));
    return {};
}

QString StudioSession::trainCommand(QString* note) const {
    const SnapshotPtr s = controller_->latest();
    QString why;
    const std::optional<Experiment> e =
        recorder_->experiment(s ? s->counters.steps : 0, preset_, &why);
    if (!e) {
        if (note)
            *note = tr("No command can rerun this run: %1.").arg(why);
        return {};
    }
    bool omitted = false;
    const QString command = QString::fromStdString(stdp::trainCommand(*e, "run", &omitted));
    if (note)
        *note = omitted ? tr("The command starts the same run; the live changes and where it "
                             "stopped are in File ▸ Export experiment (stdp-cli train --config).")
                        : QString();
    return command;
}

Outcome StudioSession::openExperiment(const QString& path) {
    Experiment e;
    try {
        e = loadExperiment(path.toStdString());
    } catch (const std::exception& err) {
        return Outcome::refused(QString::fromStdString(err.what()));
    }
    if (!mayDiscard(tr("Opening the experiment replaces the network.")))
        return Outcome::cancelled();
    const Outcome out = configure(e.settings, QString::fromStdString(e.data_spec));
    if (!out.done())
        return out;
    const std::uint64_t trained = controller_->data().train ? controller_->data().train->size() : 0;
    if (e.offset != 0 || (e.images != 0 && e.images != trained))
        emit note(tr("The studio trains on %1 images of %2; the experiment used %3 from image %4: "
                     "the replay will differ (stdp-cli train --config reproduces it exactly).")
                      .arg(trained)
                      .arg(QString::fromStdString(e.data_spec))
                      .arg(e.images)
                      .arg(e.offset));
    preset_ = QString::fromStdString(e.preset);
    controller_->replay(e.changes, e.steps);
    emit documentChanged();
    emit note(tr("Experiment %1 opened: Play replays its %2 live changes and stops after %3 steps.")
                  .arg(QFileInfo(path).fileName())
                  .arg(e.changes.size())
                  .arg(e.steps));
    return {};
}

}  // namespace stdp::studio
