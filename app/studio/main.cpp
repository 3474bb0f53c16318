// stdp-studio: watch a layer of spiking neurons learn receptive fields with event-based STDP.
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QIcon>
#include <QScreen>
#include <QSettings>
#include <QTimer>
#include <cstdio>

#include "DataSource.h"
#include "MainWindow.h"
#include "WindowSize.h"
#include "foundation/TerminalText.h"

namespace {
constexpr const char* kDefaultPreset = "paper-mnist";
// Learning speed with every view live, and what the views cost the GUI thread.
void printStats(const stdp::studio::MainWindow& window, const QElapsedTimer& clock) {
    const auto& st = window.frameStats();
    const auto snap = window.controller()->latest();
    if (!snap)
        return;
    const double seconds = static_cast<double>(clock.elapsed()) / 1000.0;
    std::printf(
        "learning: %llu images, %llu steps in %.2f s = %.1f images/s, %.0f steps/s "
        "(all views live; %.2f s until the screenshot)\n",
        static_cast<unsigned long long>(st.run_images),
        static_cast<unsigned long long>(st.run_steps), st.run_seconds,
        st.run_seconds > 0 ? static_cast<double>(st.run_images) / st.run_seconds : 0.0,
        st.run_seconds > 0 ? static_cast<double>(st.run_steps) / st.run_seconds : 0.0, seconds);
    std::printf("frames %d, mean %.2f ms, max %.2f ms; chart redraws %d, mean %.2f ms\n", st.frames,
                st.frames ? st.frame_ms_total / st.frames : 0.0, st.frame_ms_max, st.chart_redraws,
                st.chart_redraws ? st.chart_ms_total / st.chart_redraws : 0.0);
    if (st.run_seconds <= 0)
        return;
    // CPU per thread over the run, in cores (CPU seconds per second of the run).
    std::printf("cpu during the run (cores): process %.2f;",
                st.process_cpu_seconds / st.run_seconds);
    for (const auto& t : st.thread_cpu)
        if (t.seconds / st.run_seconds >= 0.005)
            std::printf(" %s %.2f (nice %d);", t.name.c_str(), t.seconds / st.run_seconds, t.nice);
    if (st.other_cores >= 0)
        std::printf(" other programs %.2f of %d cores", st.other_cores,
                    stdp::studio::MachineLoadMeter::cores());
    std::printf("\n");
    std::printf(
        "snapshots built %.1f/s (%.3f ms each on the simulation thread); evaluations started "
        "%d%s\n",
        static_cast<double>(st.snapshots_built) / st.run_seconds,
        st.snapshots_built ? st.snapshot_build_ms / static_cast<double>(st.snapshots_built) : 0.0,
        st.evaluations, st.evaluation_deferred ? " (deferred: machine busy)" : "");
    using stdp::studio::quantile;
    std::printf(
        "responsiveness: GUI event wait median %.2f ms, p95 %.2f, max %.2f (%zu probes); "
        "command to views median %.1f ms, p95 %.1f, max %.1f (%zu)\n",
        quantile(st.event_delay_ms, 0.5), quantile(st.event_delay_ms, 0.95),
        quantile(st.event_delay_ms, 1.0), st.event_delay_ms.size(),
        quantile(st.command_latency_ms, 0.5), quantile(st.command_latency_ms, 0.95),
        quantile(st.command_latency_ms, 1.0), st.command_latency_ms.size());
}
}  // namespace

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("STDPStudio"));
    QApplication::setApplicationName(QStringLiteral("stdp-studio"));
    QApplication::setApplicationVersion(QStringLiteral(STDP_VERSION));
    // The installed desktop entry names the themed icon; the window also carries its own copy.
    QApplication::setDesktopFileName(QStringLiteral("stdp-studio"));
    QIcon icon;
    for (const char* size : {"32", "64", "256"})
        icon.addFile(QStringLiteral(":/icons/stdp-studio-%1.png").arg(QLatin1String(size)));
    QApplication::setWindowIcon(icon);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Watch a layer of spiking neurons learn with event-based STDP."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Render the window to FILE and exit."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption run_images(QStringLiteral("run-images"),
                                        QStringLiteral("With --screenshot: images to learn first."),
                                        QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption preset(QStringLiteral("preset"),
                                    QStringLiteral("Preset to start from (default paper-mnist)."),
                                    QStringLiteral("NAME"));
    const QCommandLineOption data(
        QStringLiteral("data"),
        QStringLiteral("Data SPEC: builtin:mnist, builtin:natural, idx:PATH, images:DIR "
                       "(default: the preset's built-in set)."),
        QStringLiteral("SPEC"));
    const QCommandLineOption set(QStringLiteral("set"),
                                 QStringLiteral("Change a setting of the preset (repeatable), "
                                                "e.g. --set units=256."),
                                 QStringLiteral("KEY=VALUE"));
    const QCommandLineOption stats(
        QStringLiteral("stats"), QStringLiteral("With --screenshot: print speed and frame times."));
    const QCommandLineOption view(
        QStringLiteral("view"),
        QStringLiteral("Bring a panel to the front (repeatable), e.g. step (inside one time "
                       "step), curves, threshold, weights, parameters, about."),
        QStringLiteral("NAME"));
    const QCommandLineOption experiment(
        QStringLiteral("experiment"),
        QStringLiteral("Open an experiment file (File > Export experiment; as stdp-cli train "
                       "--config): Play replays its live changes and stops where it stopped."),
        QStringLiteral("FILE"));
    parser.addOptions({screenshot, run_images, preset, data, set, stats, view, experiment});
    parser.addPositionalArgument(QStringLiteral("bundle"),
                                 QStringLiteral("A model bundle folder to open (as File > Open)."),
                                 QStringLiteral("[BUNDLE]"));
    parser.process(app);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        std::fprintf(stderr, "stdp-studio: one bundle at a time, not %lld\n",
                     static_cast<long long>(positional.size()));
        return 2;
    }

    stdp::studio::MainWindow window;
    const bool shooting = parser.isSet(screenshot);
    // The last session's preset and data come back, unless the command line says otherwise (a
    // screenshot is made from the defaults, so that it does not depend on the last session).
    const QSettings remembered;
    const bool remember = !shooting && !parser.isSet(preset) && !parser.isSet(data);
    QString preset_name =
        parser.isSet(preset) ? parser.value(preset) : QString::fromLatin1(kDefaultPreset);
    QString spec = parser.isSet(data)
                       ? parser.value(data)
                       : stdp::studio::dataForPresetName(
                             preset_name, QString::fromLatin1(stdp::studio::kBuiltinSpec));
    if (remember) {
        preset_name = remembered.value(QStringLiteral("preset"), preset_name).toString();
        spec = remembered.value(QStringLiteral("data"), spec).toString();
    }
    QString error = window.start(preset_name, spec, parser.values(set));
    if (!error.isEmpty() && remember) {
        // The remembered images may be gone: the defaults always work.
        std::fprintf(stderr, "stdp-studio: %s; starting from the defaults\n",
                     stdp::terminalSafe(error.toStdString()).c_str());
        error = window.start(QString::fromLatin1(kDefaultPreset),
                             QString::fromLatin1(stdp::studio::kBuiltinSpec), parser.values(set));
    }
    if (!error.isEmpty()) {
        std::fprintf(stderr, "stdp-studio: %s\n", stdp::terminalSafe(error.toStdString()).c_str());
        if (shooting || parser.isSet(preset) || parser.isSet(data))
            return 2;
    }
    if (!positional.isEmpty()) {
        if (const QString why = window.openBundle(positional.first()); !why.isEmpty()) {
            std::fprintf(stderr, "stdp-studio: %s\n",
                         stdp::terminalSafe(why.toStdString()).c_str());
            return 2;
        }
    }
    if (parser.isSet(experiment)) {
        const stdp::studio::Outcome out =
            window.session()->openExperiment(parser.value(experiment));
        if (!out.done()) {
            std::fprintf(stderr, "stdp-studio: %s\n",
                         stdp::terminalSafe(out.error.toStdString()).c_str());
            return 2;
        }
    }
    for (const QString& name : parser.values(view)) {
        if (!window.showPanel(name)) {
            std::fprintf(stderr, "stdp-studio: --view: no panel '%s' (panels: %s)\n",
                         stdp::terminalSafe(name.toStdString()).c_str(),
                         qPrintable(window.panelNames().join(QStringLiteral(", "))));
            return 2;
        }
    }
    if (shooting) {
        bool ok = false;
        const qulonglong images = parser.value(run_images).toULongLong(&ok);
        if (!ok) {
            std::fprintf(stderr, "stdp-studio: --run-images needs a number\n");
            return 2;
        }
        window.resizeForScreenshot(stdp::studio::kScreenshotSize);
        window.show();
        int status = 0;
        QElapsedTimer clock;
        clock.start();
        QObject::connect(&window, &stdp::studio::MainWindow::screenshotDone, &app,
                         [&](bool done, const QString& message) {
                             std::fprintf(done ? stdout : stderr, "%s\n", qPrintable(message));
                             if (parser.isSet(stats))
                                 printStats(window, clock);
                             status = done ? 0 : 1;
                             // exit(), not quit(): quit() closes the window first, and a window
                             // that learned asks whether to save it (nobody would answer).
                             QCoreApplication::exit(status);
                         });
        window.screenshotAfter(images, parser.value(screenshot));
        app.exec();
        return status;
    }
    window.show();
    return app.exec();
}
