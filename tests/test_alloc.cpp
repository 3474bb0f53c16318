// The training loop allocates nothing: every global operator new of this executable is
// counted, and the count must not move while the layer steps or the session trains, once the
// first image has sized the buffers.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>
#include <vector>

#include "data/Dataset.h"
#include "foundation/Random.h"
#include "model/Presets.h"
#include "model/RepresentationLayer.h"
#include "model/TrainingSession.h"

namespace {
std::atomic<long> g_allocations{0};

void* countedAlloc(std::size_t size, std::size_t alignment) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    const std::size_t rounded = (size + alignment - 1) / alignment * alignment;
    void* p = alignment <= alignof(std::max_align_t)
                  ? std::malloc(size == 0 ? 1 : size)
                  : std::aligned_alloc(alignment, rounded == 0 ? alignment : rounded);
    if (p == nullptr)
        throw std::bad_alloc();
    return p;
}
}  // namespace

void* operator new(std::size_t size) {
    return countedAlloc(size, alignof(std::max_align_t));
}
void* operator new(std::size_t size, std::align_val_t alignment) {
    return countedAlloc(size, static_cast<std::size_t>(alignment));
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t /*size*/) noexcept {
    std::free(p);
}
void operator delete(void* p, std::align_val_t /*alignment*/) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t /*size*/, std::align_val_t /*alignment*/) noexcept {
    std::free(p);
}

using namespace stdp;

namespace {

long allocations() {
    return g_allocations.load(std::memory_order_relaxed);
}

// Random input spikes, drawn before counting starts.
std::vector<std::vector<std::int32_t>> randomSteps(int inputs, int steps, double rate) {
    Rng rng(7);
    std::vector<std::vector<std::int32_t>> all(static_cast<std::size_t>(steps));
    for (auto& step : all)
        for (int i = 0; i < inputs; ++i)
            if (rng.uniform() < rate)
                step.push_back(i);
    return all;
}

struct Variant {
    const char* name;
    void (*apply)(Settings&);
};

}  // namespace

TEST(Allocation, LayerStepAllocatesNothing) {
    // Every branch of the step: fixed and general widths, the improved mechanisms (leaky
    // membrane, distance bias), traces, a windowed STDP, per-neuron thresholds, refractoriness,
    // a positive lower clip (eager STDP), amplitude coding (its Gram matrix of the fields) with
    // and without a trace.
    const Variant variants[] = {
        {"paper-mnist K=32", [](Settings&) {}},
        {"K=13", [](Settings& s) { s.structure.units = 13; }},
        {"K=256", [](Settings& s) { s.structure.units = 256; }},
        {"improved-mnist", [](Settings& s) { s = presetSettings("improved-mnist"); }},
        {"trace", [](Settings& s) { s.dynamics.trace_tau = 3.0; }},
        {"window", [](Settings& s) { s.dynamics.epsilon = 2; }},
        {"per-neuron theta",
         [](Settings& s) { s.structure.theta_mode = ThresholdMode::PerNeuron; }},
        {"refractory", [](Settings& s) { s.dynamics.refractory = 2; }},
        {"lower clip", [](Settings& s) { s.dynamics.w_clip_min = 0.01; }},
        {"coop-mnist", [](Settings& s) { s = presetSettings("coop-mnist"); }},
        {"coop-mnist-sparse", [](Settings& s) { s = presetSettings("coop-mnist-sparse"); }},
        {"amplitude, trace, refractory",
         [](Settings& s) {
             s = presetSettings("coop-mnist");
             s.dynamics.trace_tau = 2.0;
             s.dynamics.refractory = 1;
         }},
    };
    for (const Variant& v : variants) {
        Settings s = presetSettings("paper-mnist");
        v.apply(s);
        RepresentationLayer layer(s.structure, s.dynamics);
        const auto steps = randomSteps(layer.inputs(), 4000, 0.3);
        const long before = allocations();
        int fired = 0;
        for (std::size_t t = 0; t < steps.size(); ++t) {
            if (t % 40 == 0)
                layer.beginPatch();
            fired += layer.step(steps[t]);
        }
        EXPECT_EQ(allocations(), before) << v.name;
        EXPECT_GT(fired, 0) << v.name;  // the steps did fire and learn
    }
}

TEST(Allocation, TrainingAllocatesNothingAfterTheFirstImage) {
    for (const char* preset :
         {"paper-mnist", "improved-mnist", "coop-mnist", "coop-mnist-sparse"}) {
        const auto data =
            std::make_shared<const ImageSet>(loadDataSpec("builtin:mnist", {}, 0, 12));
        TrainingSession session(presetSettings(preset), data);
        ASSERT_EQ(session.trainImages(2), 2u);  // sizes the spike image and patch buffers
        const long before = allocations();
        EXPECT_EQ(session.trainImages(10), 10u);
        EXPECT_EQ(allocations(), before) << preset;
    }
}
