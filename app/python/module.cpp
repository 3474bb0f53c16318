// `import stdp_studio`: the core from Python. Settings and presets (with provenance), data sets,
// a training session that steps by time step, patch or image and reports progress, protocol-A
// evaluation, the baselines, bundles, and weights and thresholds as NumPy arrays. A training run
// from Python is the same code, settings and seed as `stdp-cli train`, so it gives the same bits.
// Errors raise stdp_studio.Error (a ValueError) with the CLI's one-line message.

#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "analysis/Baselines.h"
#include "analysis/Evaluator.h"
#include "data/Dataset.h"
#include "foundation/Settings.h"
#include "io/Bundle.h"
#include "model/Presets.h"
#include "model/TrainingSession.h"

namespace py = pybind11;
using namespace stdp;

namespace {

py::dict metricsDict(const ReconstructionMetrics& m) {
    py::dict d;
    d["rmse"] = m.rmse;
    d["nmse"] = m.nmse;
    if (m.has_activity)
        d["activity"] = m.activity;
    d["treves_rolls"] = m.treves_rolls;
    d["active_per_patch"] = m.active_per_patch;
    d["dead_fraction"] = m.dead_fraction;
    d["silent_fraction"] = m.silent_fraction;
    d["patches"] = m.patches;
    d["units"] = m.units;
    return d;
}

py::dict settingsDict(const Settings& s) {
    py::dict d;
    for (const SettingInfo& info : settingInfos()) {
        const std::string text = settingValue(s, info.name);
        switch (info.kind) {
            case SettingKind::Int:
            case SettingKind::Seed:
                d[info.name.c_str()] = py::int_(py::str(text));
                break;
            case SettingKind::Real:
                d[info.name.c_str()] = numericValue(s, info.name);
                break;
            case SettingKind::Bool:
                d[info.name.c_str()] = text == "true";
                break;
            case SettingKind::Choice:
                d[info.name.c_str()] = text;
                break;
        }
    }
    return d;
}

// A Python value as `--set` reads it: booleans as true/false, numbers exactly.
std::string settingText(const py::handle& value) {
    if (py::isinstance<py::bool_>(value))
        return value.cast<bool>() ? "true" : "false";
    if (py::isinstance<py::float_>(value))
        return py::repr(value).cast<std::string>();  // the shortest text that reads back
    return py::str(value).cast<std::string>();
}

// W as a NumPy array (D x K, float32). The layer stores W scaled per neuron (the lazy LTD
// factor), so W is materialised: a copy, never a view that could go stale.
py::array_t<float> weightsArray(const WeightMatrix& w) {
    py::array_t<float> out({w.rows(), w.cols()});
    std::copy(w.data(), w.data() + w.size(), out.mutable_data());
    return out;
}

WeightMatrix weightsFrom(const py::array_t<float, py::array::c_style | py::array::forcecast>& a) {
    if (a.ndim() != 2)
        throw UserError("weights: a 2-D array (inputs x units) is needed, not " +
                        std::to_string(a.ndim()) + "-D");
    WeightMatrix w(a.shape(0), a.shape(1));
    std::copy(a.data(), a.data() + a.size(), w.data());
    return w;
}

StepUnit stepUnit(const std::string& unit) {
    if (unit == "step")
        return StepUnit::Step;
    if (unit == "patch")
        return StepUnit::Patch;
    if (unit == "image")
        return StepUnit::Image;
    throw UserError("unit: 'step', 'patch' or 'image', not '" + unit + "'");
}

// The images as one NumPy array (N x rows x cols) when they share a size, else a list.
py::object imagesArray(const ImageSet& set) {
    bool same = !set.images.empty();
    for (const Image& im : set.images)
        same = same && im.rows == set.images[0].rows && im.cols == set.images[0].cols;
    if (same) {
        const Image& first = set.images[0];
        py::array_t<float> out({static_cast<py::ssize_t>(set.size()),
                                static_cast<py::ssize_t>(first.rows),
                                static_cast<py::ssize_t>(first.cols)});
        float* dst = out.mutable_data();
        for (const Image& im : set.images)
            dst = std::copy(im.pixels.begin(), im.pixels.end(), dst);
        return out;
    }
    py::list out;
    for (const Image& im : set.images) {
        py::array_t<float> a({im.rows, im.cols});
        std::copy(im.pixels.begin(), im.pixels.end(), a.mutable_data());
        out.append(a);
    }
    return out;
}

// Keeps what each step saw and did, for comparing other implementations of the rule step by step
// (bench/compare_peers.sh): the inputs that spiked, the neurons that fired, theta after the step.
class StepRecorder : public StepObserver {
  public:
    StepRecorder(int inputs, int units) : inputs_(inputs), units_(units) {}
    void onStep(const RepresentationLayer& layer, std::span<const std::int32_t> spikes) override {
        const std::size_t row = theta_.size();
        inputs_seen_.resize((row + 1) * static_cast<std::size_t>(inputs_), 0);
        fired_.resize((row + 1) * static_cast<std::size_t>(units_), 0);
        for (std::int32_t i : spikes)
            inputs_seen_[row * inputs_ + i] = 1;
        for (std::int32_t j : layer.fired())
            fired_[row * units_ + j] = 1;
        theta_.push_back(layer.meanThreshold());
    }
    py::dict arrays() const {
        const auto steps = static_cast<py::ssize_t>(theta_.size());
        py::array_t<std::uint8_t> x({steps, static_cast<py::ssize_t>(inputs_)});
        py::array_t<std::uint8_t> z({steps, static_cast<py::ssize_t>(units_)});
        std::copy(inputs_seen_.begin(), inputs_seen_.end(), x.mutable_data());
        std::copy(fired_.begin(), fired_.end(), z.mutable_data());
        py::dict d;
        d["inputs"] = x;
        d["fired"] = z;
        d["theta"] = py::array_t<float>(steps, theta_.data());
        return d;
    }

  private:
    int inputs_;
    int units_;
    std::vector<std::uint8_t> inputs_seen_;  // steps x D
    std::vector<std::uint8_t> fired_;        // steps x K
    std::vector<float> theta_;
};

// A session owns its data, so the Python object can outlive the ImageSet it was made from.
struct PySession {
    PySession(const Settings& s, const std::shared_ptr<const ImageSet>& data) : session(s, data) {}
    TrainingSession session;
};

}  // namespace

PYBIND11_MODULE(stdp_studio, m) {
    m.doc() =
        "STDP Studio's core: event-based STDP (Tavanaei, Masquelier & Maida 2018) from Python";
    m.attr("__version__") = STDP_VERSION;
    static py::exception<UserError> error(m, "Error", PyExc_ValueError);
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p)
                std::rethrow_exception(p);
        } catch (const UserError& e) {
            PyErr_SetString(error.ptr(), e.what());
        }
    });

    py::class_<Settings>(m, "Settings", "Every setting of the model, typed and range-checked.")
        .def(py::init([](const std::string& preset) { return presetSettings(preset); }),
             py::arg("preset") = "paper-mnist", "The settings of a preset.")
        .def("__getitem__",
             [](const Settings& s, const std::string& name) -> py::object {
                 if (!findSetting(name))
                     throw UserError("unknown setting '" + name + "'");
                 const py::dict all = settingsDict(s);
                 return all[name.c_str()];  // an object, not an accessor into a temporary
             })
        .def("__setitem__",
             [](Settings& s, const std::string& name, const py::handle& value) {
                 Settings next = s;
                 applySetting(next, name, settingText(value));
                 validate(next);
                 s = next;  // nothing changes on a refused value
             })
        .def(
            "set",
            [](Settings& s, const std::string& assignment) {
                Settings next = s;
                applyAssignment(next, assignment);
                validate(next);
                s = next;
            },
            "KEY=VALUE, as stdp-cli's --set.")
        .def("to_dict", &settingsDict)
        .def(
            "text",
            [](const Settings& s, const std::string& name) { return settingValue(s, name); },
            "A value as model.json and --set write it.")
        .def_static("names",
                    [] {
                        std::vector<std::string> out;
                        for (const SettingInfo& info : settingInfos())
                            out.push_back(info.name);
                        return out;
                    })
        .def("__repr__", [](const Settings& s) {
            return "Settings(" + py::repr(settingsDict(s)).cast<std::string>() + ")";
        });

    m.def(
        "presets",
        [] {
            std::vector<std::string> out;
            for (const Preset& p : presets())
                out.push_back(p.name);
            return out;
        },
        "The names of the presets.");
    m.def(
        "describe_preset",
        [](const std::string& name) {
            const Preset& p = findPreset(name);
            py::dict d;
            d["name"] = p.name;
            d["description"] = p.description;
            d["data"] = p.default_data;
            py::list values;
            for (const PresetValue& v : describePreset(name)) {
                py::dict one;
                one["setting"] = v.key;
                one["value"] = v.value;
                one["provenance"] = provenanceName(v.source);
                values.append(one);
            }
            d["settings"] = values;
            return d;
        },
        py::arg("name"), "A preset: description, data, and every setting with its provenance.");

    py::class_<ImageSet, std::shared_ptr<ImageSet>>(m, "ImageSet", "Images of a data SPEC.")
        .def("__len__", &ImageSet::size)
        .def_readonly("source", &ImageSet::source)
        .def_readonly("signed", &ImageSet::signed_values)
        .def_readonly("labels", &ImageSet::labels)
        .def_property_readonly("images", &imagesArray, "A copy: N x rows x cols float32.");
    m.def(
        "load_data",
        [](const std::string& spec, const Settings& settings, std::size_t offset,
           std::optional<std::size_t> images) {
            return std::make_shared<ImageSet>(
                loadDataSpec(spec, settings.data, offset, images.value_or(0)));
        },
        py::arg("spec"), py::arg("settings"), py::arg("offset") = 0, py::arg("images") = py::none(),
        "builtin:mnist, builtin:natural, idx:PATH, npy:PATH, images:DIR ... (as stdp-cli --data).");

    py::class_<PySession>(m, "TrainingSession",
                          "Trains a layer on a data set, one time step, patch or image at a time.")
        .def(py::init([](const Settings& s, const std::shared_ptr<ImageSet>& data) {
                 return std::make_unique<PySession>(s, data);
             }),
             py::arg("settings"), py::arg("data"))
        .def(
            "step",
            [](PySession& p, const std::string& unit, std::uint64_t count) {
                py::gil_scoped_release free;
                return p.session.advance(stepUnit(unit), count);
            },
            py::arg("unit") = "step", py::arg("count") = 1,
            "Runs `count` steps, patches or images; False once the data are exhausted.")
        .def(
            "record",
            [](PySession& p, const std::string& unit, std::uint64_t count) {
                const RepresentationLayer& layer = p.session.layer();
                StepRecorder recorder(layer.inputs(), layer.units());
                {
                    py::gil_scoped_release free;
                    p.session.advance(stepUnit(unit), count, &recorder);
                }
                return recorder.arrays();
            },
            py::arg("unit") = "image", py::arg("count") = 1,
            "step() that also returns what each step saw and did: {'inputs': steps x D uint8 (1: "
            "the input spiked), 'fired': steps x K uint8, 'theta': steps float32 (after the step; "
            "the mean with per-neuron thresholds)}. Same bits as step().")
        .def(
            "train",
            [](PySession& p, std::optional<std::uint64_t> images,
               const std::function<py::object(std::uint64_t)>& progress) {
                const std::uint64_t total =
                    images.value_or(p.session.data().size() *
                                    static_cast<std::uint64_t>(p.session.settings().data.epochs));
                py::gil_scoped_release free;
                return p.session.trainImages(total, [&](std::uint64_t done) {
                    if (!progress)
                        return true;
                    py::gil_scoped_acquire hold;
                    const py::object answer = progress(done);
                    return answer.is_none() || answer.cast<bool>();
                });
            },
            py::arg("images") = py::none(), py::arg("progress") = nullptr,
            "Trains on `images` images (default: all epochs); progress(images_done) may return "
            "False to stop. Returns the images completed.")
        .def_property_readonly("settings", [](const PySession& p) { return p.session.settings(); })
        .def_property_readonly("counters",
                               [](const PySession& p) {
                                   const TrainingCounters& c = p.session.counters();
                                   py::dict d;
                                   d["images"] = c.images;
                                   d["patches"] = c.patches;
                                   d["steps"] = c.steps;
                                   d["spikes"] = c.spikes;
                                   return d;
                               })
        .def_property_readonly("finished", [](const PySession& p) { return p.session.finished(); })
        .def_property(
            "weights", [](const PySession& p) { return weightsArray(p.session.layer().weights()); },
            [](PySession& p,
               const py::array_t<float, py::array::c_style | py::array::forcecast>& a) {
                p.session.layer().setWeights(weightsFrom(a));
            },
            "W, inputs x units (a copy; assigning sets it).")
        .def_property(
            "thresholds",
            [](const PySession& p) {
                const auto& t = p.session.layer().thresholds();
                return py::array_t<float>(static_cast<py::ssize_t>(t.size()), t.data());
            },
            [](PySession& p, const std::vector<float>& t) { p.session.setThresholds(t); })
        .def(
            "set",
            [](PySession& p, const std::string& assignment) {
                Settings next = p.session.settings();
                applyAssignment(next, assignment);  // refuses an unknown key or a bad value
                const SettingInfo* info = findSetting(assignment.substr(0, assignment.find('=')));
                if (!info || !info->live)
                    throw UserError(assignment + ": not a live setting (it needs a new session)");
                validate(next);
                p.session.setDynamics(next.dynamics);
            },
            "A live change (KEY=VALUE), from the next step on.")
        .def(
            "evaluate",
            [](const PySession& p, const ImageSet& data, std::optional<std::uint64_t> seed) {
                EvalOptions o;
                o.seed = seed.value_or(p.session.settings().structure.seed);
                ReconstructionMetrics r;
                {
                    py::gil_scoped_release free;
                    r = evaluate(p.session.layer(), p.session.settings(), data, o);
                }
                return metricsDict(r);
            },
            py::arg("data"), py::arg("seed") = py::none(),
            "Protocol A on `data` (default seed: the model's, as stdp-cli eval).")
        .def(
            "save",
            [](const PySession& p, const std::string& dir, const std::string& preset) {
                ModelBundle b = bundleFromLayer(p.session.layer(), p.session.settings());
                b.images_seen = p.session.counters().images;
                b.patches_seen = p.session.counters().patches;
                b.data_source = p.session.data().source;
                b.preset = preset;
                b.created_by = std::string("stdp_studio (Python) ") + STDP_VERSION;
                saveBundle(dir, b);
            },
            py::arg("dir"), py::arg("preset") = "", "Writes a bundle folder, atomically.");

    py::class_<ModelBundle>(m, "Bundle", "A saved model: settings, weights, thresholds.")
        .def_readonly("settings", &ModelBundle::settings)
        .def_readonly("images_seen", &ModelBundle::images_seen)
        .def_readonly("data", &ModelBundle::data_source)
        .def_readonly("preset", &ModelBundle::preset)
        .def_readonly("created_by", &ModelBundle::created_by)
        .def_property_readonly("weights",
                               [](const ModelBundle& b) { return weightsArray(b.weights); })
        .def_property_readonly("thresholds",
                               [](const ModelBundle& b) {
                                   return py::array_t<float>(
                                       static_cast<py::ssize_t>(b.thresholds.size()),
                                       b.thresholds.data());
                               })
        .def(
            "evaluate",
            [](const ModelBundle& b, const ImageSet& data, std::optional<std::uint64_t> seed) {
                EvalOptions o;
                o.seed = seed.value_or(b.settings.structure.seed);
                const RepresentationLayer layer = layerFromBundle(b);
                ReconstructionMetrics r;
                {
                    py::gil_scoped_release free;
                    r = evaluate(layer, b.settings, data, o);
                }
                return metricsDict(r);
            },
            py::arg("data"), py::arg("seed") = py::none());
    m.def("load_bundle", &loadBundle, py::arg("dir"), "Reads a bundle folder (strictly).");

    m.def(
        "baseline",
        [](const std::string& method, const Settings& s, const ImageSet& train,
           const ImageSet& test, int units, int active) {
            BaselineOptions o;
            o.method = parseBaselineMethod(method);
            o.units = units;
            o.active = active;
            o.seed = s.structure.seed;
            ReconstructionMetrics r;
            {
                checkBaselineGeometry(s, train);
                checkBaselineGeometry(s, test);
                py::gil_scoped_release free;
                // The same patches as stdp-cli baseline.
                const PatchMatrix fit = baselineFitPatches(s, train, s.structure.seed);
                const PatchMatrix eval = toMatrix(protocolPatches(s, test, s.structure.seed));
                r = evaluateBaseline(fitBaseline(fit, o), eval);
            }
            return metricsDict(r);
        },
        py::arg("method"), py::arg("settings"), py::arg("train"), py::arg("test"),
        py::arg("units") = 32, py::arg("active") = 2,
        "kmeans, sparse-coding or pca on protocol A's patches, as stdp-cli baseline.");
}
