#pragma once
// The studio's use-cases without a window: start, use data, use a preset, open/save a bundle,
// import filters, reset. It knows whether the network learned since it was last saved or opened
// ("modified") and asks, through injected handlers, before discarding such a network; tests
// drive it directly and answer the questions themselves.

#include <QObject>
#include <QString>
#include <QStringList>
#include <functional>

#include "SimulationController.h"

namespace stdp::studio {

// What a use-case did. Cancelled: the user declined a question and nothing changed.
struct Outcome {
    enum class Kind { Done, Cancelled, Refused };
    Kind kind = Kind::Done;
    QString error;  // Refused: the reason, for the user

    bool done() const { return kind == Kind::Done; }
    static Outcome cancelled() { return {Kind::Cancelled, {}}; }
    static Outcome refused(const QString& why) { return {Kind::Refused, why}; }
};

// The answer to "the network learned since it was saved: discard it?".
enum class UnsavedChoice { Save, Discard, Cancel };

class StudioSession : public QObject {
    Q_OBJECT
  public:
    // Yes/no questions ("switch to the natural preset?"). Default: no.
    using Confirm = std::function<bool(const QString& question)>;
    // Asked before a modified network is replaced. Default: discard (no user to ask).
    using AskUnsaved = std::function<UnsavedChoice(const QString& question)>;
    // Where to save when there is no bundle yet (a dialog); empty = cancelled.
    using ChooseSaveFolder = std::function<QString()>;

    explicit StudioSession(SimulationController* controller, QObject* parent = nullptr);

    void setConfirm(Confirm confirm) { confirm_ = std::move(confirm); }
    void setAskUnsaved(AskUnsaved ask) { ask_unsaved_ = std::move(ask); }
    void setChooseSaveFolder(ChooseSaveFolder choose) { choose_folder_ = std::move(choose); }

    // A fresh network from a preset (`assignments` as `stdp-cli --set KEY=VALUE`) and data SPEC.
    // Never asks: it is the program's start (or a test's).
    Outcome start(const QString& preset, const QString& data_spec,
                  const QStringList& assignments = {});
    // The use-cases below ask before discarding a modified network, and change nothing on a
    // refusal. useData keeps the settings; a photo folder under a digit preset offers to switch
    // to the matching natural preset instead.
    Outcome useData(const QString& spec);
    Outcome usePreset(const QString& preset);
    Outcome openBundle(const QString& dir);
    // Replaces the weights with a D x K .npy (as `stdp-cli export` and bundles write them).
    Outcome importFilters(const QString& npy_path);
    Outcome reset();
    // Saves to `dir` and remembers it as the bundle to save in place.
    Outcome saveAs(const QString& dir);
    // In place to the bundle last opened or saved; else asks for a folder.
    Outcome save();
    // Before quitting: true when nothing would be lost (saved, discarded, or not modified).
    bool mayClose();

    // The run as an experiment anyone can rerun (settings, data, live changes at their steps)
    // up to the newest step; refused for a network that did not start from its seed.
    Outcome exportExperiment(const QString& path);
    // The `stdp-cli train` command that starts this run; `note` says what it cannot carry.
    QString trainCommand(QString* note) const;
    // Opens an experiment file: its settings and data, a fresh network from its seed; Play
    // then replays its live changes at their steps and stops where the recorded run stopped.
    Outcome openExperiment(const QString& path);

    bool isModified() const { return modified_; }
    QString bundleDir() const { return bundle_dir_; }
    QString preset() const { return preset_; }
    // The settings of the network that are not its preset's (empty: the preset as it is, or no
    // known preset).
    QStringList presetDepartures() const;
    // For the title: the bundle's folder name, else "preset · data".
    QString documentName() const;

  signals:
    // The title or the modified mark changed.
    void documentChanged();
    // A note for the status bar (a fallback that was taken, a file that was written).
    void note(const QString& message);

  private:
    bool mayDiscard(const QString& why);
    Outcome configure(const Settings& settings, const QString& data_spec);
    void onSnapshot(const SnapshotPtr& s);
    void markClean(std::uint64_t generation, std::uint64_t steps);
    void setBundle(const QString& dir);
    void updateModified();

    SimulationController* controller_;
    class ExperimentRecorder* recorder_;
    Confirm confirm_;
    AskUnsaved ask_unsaved_;
    ChooseSaveFolder choose_folder_;
    QString preset_;
    QString bundle_dir_;
    // The network as it was last saved or opened: generation and steps learned.
    std::uint64_t clean_generation_ = 0;
    std::uint64_t clean_steps_ = 0;
    bool modified_ = false;
};

}  // namespace stdp::studio
