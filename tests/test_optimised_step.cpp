// The optimised step against the plain model, a whole patch of steps against one step at a time,
// and the spike encoder's bit masks against its index lists.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "foundation/Random.h"
#include "foundation/Settings.h"
#include "model/ModelSpecification.h"
#include "model/Presets.h"
#include "model/RepresentationLayer.h"
#include "model/SpikeEncoder.h"

using namespace stdp;

// The optimised step against the plain model (ModelSpecification.h: scalar loops, std::exp):
// the same spikes, thresholds and weights within float rounding, for K that are and are not
// multiples of the vector width, with learning and threshold adaptation on. (Every mechanism,
// width, spike form and instruction set: tests/test_specification.cpp.)
class OptimisedStep : public ::testing::TestWithParam<int> {};

TEST_P(OptimisedStep, MatchesThePlainModel) {
    const int units = GetParam();
    for (int variant = 0; variant < 2; ++variant) {
        StructureSettings st;
        st.patch_size = 3;
        st.units = units;
        st.theta0 = 0.2;
        st.seed = 40 + units;
        DynamicsSettings d;
        d.mu = 0.01;
        d.rho = 1e-3;
        if (variant == 1) {  // the improved mechanisms
            d.tau_m = 4.0;
            d.reset = false;
            d.distance_bias = 1.0;
            d.mu_d_ratio = 1.0;
        }
        RepresentationLayer layer(st, d);
        const WeightMatrix w0 = layer.weights();
        model::ReferenceLayer ref(d, layer.inputs(), units,
                                  {w0.data(), static_cast<std::size_t>(w0.size())},
                                  layer.thresholds());
        Rng rng(units);
        std::vector<std::int32_t> spikes;
        int mismatches = 0;
        for (int t = 0; t < 3000; ++t) {
            spikes.clear();
            for (int i = 0; i < 9; ++i)
                if (rng.uniform() < 0.35)
                    spikes.push_back(i);
            const auto expected = ref.step(spikes);
            layer.step(spikes);
            const auto ref_weights = Eigen::Map<const WeightMatrix>(ref.weights().data(), 9, units);
            const auto fired = layer.fired();
            if (!std::equal(fired.begin(), fired.end(), expected.begin(), expected.end())) {
                // Float vs double softmax may disagree only at a tie with theta: resync.
                if (mismatches == 0) {
                    std::printf("first mismatch t=%d units=%d variant=%d: got", t, units, variant);
                    for (int j : fired)
                        std::printf(" %d", j);
                    std::printf(" expected");
                    for (int j : expected)
                        std::printf(" %d", j);
                    std::printf("\n");
                }
                ++mismatches;
                const WeightMatrix w = layer.weights();
                std::copy(w.data(), w.data() + w.size(), ref.weights().begin());
                ref.thresholds()[0] = layer.thresholds()[0];
                for (int j = 0; j < units; ++j)
                    ref.potentials()[j] = layer.potentials()[j];
                continue;
            }
            ASSERT_NEAR(layer.thresholds()[0], ref.thresholds()[0], 1e-5) << t;
            ASSERT_LT((layer.weights() - ref_weights).cwiseAbs().maxCoeff(), 1e-5f) << t;
        }
        EXPECT_LE(mismatches, 3) << "units " << units << " variant " << variant;
    }
}

INSTANTIATE_TEST_SUITE_P(Widths, OptimisedStep, ::testing::Values(1, 3, 8, 13, 32, 40, 67));

// steps() runs a whole patch with the step chosen once; it must be the same steps, bit for bit,
// as step() one by one, whatever variant of the step it picks (plain or not, fixed width or not).
TEST(PatchSteps, SameBitsAsOneStepAtATime) {
    // Also as bit masks (stepsMasked), with and without an observer: the same steps again.
    struct Case {
        const char* name;
        int units;
        bool improved;
    };
    struct CountingObserver : StepObserver {
        std::uint64_t inputs = 0;
        void onStep(const RepresentationLayer&, std::span<const std::int32_t> spikes) override {
            inputs += spikes.size();
        }
    };
    for (const Case c : {Case{"plain K=32", 32, false}, Case{"plain K=13", 13, false},
                         Case{"plain K=64", 64, false}, Case{"improved K=32", 32, true},
                         Case{"improved K=40", 40, true}}) {
        Settings s = presetSettings(c.improved ? "improved-mnist" : "paper-mnist");
        s.structure.units = c.units;
        RepresentationLayer one(s.structure, s.dynamics);
        RepresentationLayer batch(s.structure, s.dynamics);
        RepresentationLayer masked(s.structure, s.dynamics);
        RepresentationLayer observed(s.structure, s.dynamics);
        CountingObserver observer;
        std::uint64_t inputs = 0;
        Rng rng(3);
        constexpr int kSteps = 40;
        for (int patch = 0; patch < 50; ++patch) {
            std::vector<std::int32_t> indices;
            std::vector<std::int32_t> offsets{0};
            std::vector<std::uint64_t> masks(kSteps, 0);
            for (int t = 0; t < kSteps; ++t) {
                for (int i = 0; i < one.inputs(); ++i)
                    if (rng.uniform() < 0.3) {
                        indices.push_back(i);
                        masks[t] |= std::uint64_t{1} << i;
                    }
                offsets.push_back(static_cast<std::int32_t>(indices.size()));
            }
            inputs += indices.size();
            one.beginPatch();
            std::uint64_t fired = 0;
            for (int t = 0; t < kSteps; ++t)
                fired += static_cast<std::uint64_t>(
                    one.step({indices.data() + offsets[t],
                              static_cast<std::size_t>(offsets[t + 1] - offsets[t])}));
            // In two calls, as a session that was paused mid-patch would make them.
            batch.beginPatch();
            ASSERT_EQ(
                batch.steps(indices, offsets, 0, 17) + batch.steps(indices, offsets, 17, kSteps),
                fired)
                << c.name << " patch " << patch;
            masked.beginPatch();
            ASSERT_EQ(masked.stepsMasked(masks, 0, 23) + masked.stepsMasked(masks, 23, kSteps),
                      fired)
                << c.name << " patch " << patch;
            observed.beginPatch();
            ASSERT_EQ(observed.stepsMasked(masks, 0, kSteps, &observer), fired)
                << c.name << " patch " << patch;
        }
        for (const RepresentationLayer* other : {&batch, &masked, &observed}) {
            EXPECT_EQ(one.weights(), other->weights()) << c.name;
            EXPECT_EQ(one.thresholds(), other->thresholds()) << c.name;
            EXPECT_EQ(one.tick(), other->tick()) << c.name;
            // A run keeps the potentials and softmax of its last step only (the steps before
            // it are seen by observers alone): they must be the last single step's.
            const auto u = one.potentials();
            const auto v = other->potentials();
            EXPECT_TRUE(std::equal(u.begin(), u.end(), v.begin(), v.end())) << c.name;
            EXPECT_EQ(one.softmax(), other->softmax()) << c.name;
            const auto f = one.firedPotentials();
            const auto g = other->firedPotentials();
            EXPECT_TRUE(std::equal(f.begin(), f.end(), g.begin(), g.end())) << c.name;
        }
        EXPECT_EQ(observer.inputs, inputs) << c.name << ": the observer saw every input spike";
    }
}

TEST(PatchSteps, MasksNeedAtMost64Inputs) {
    Settings s = presetSettings("paper-mnist");
    s.structure.patch_size = 9;  // 81 inputs
    RepresentationLayer layer(s.structure, s.dynamics);
    const std::vector<std::uint64_t> masks(4, 1);
    EXPECT_THROW(layer.stepsMasked(masks, 0, 4), std::logic_error);
}

// A random image whose values cover [-1, 1] (ON/OFF) or [0, 1].
static Image randomImage(int rows, int cols, bool signed_values, Rng& rng) {
    Image im{rows, cols, std::vector<float>(static_cast<std::size_t>(rows) * cols)};
    for (float& v : im.pixels)
        v = static_cast<float>(signed_values ? rng.uniform(-1.0, 1.0) : rng.uniform());
    return im;
}

TEST(SpikeEncoder, MasksHoldTheSameSpikesAsIndexLists) {
    struct Case {
        const char* name;
        int size;  // square image
        int p;
        bool onoff;
    };
    // 5x5: the paper's MNIST path; 4x4 ON/OFF: two channels; 8x8: a full 64-bit mask; a 70-pixel
    // image: rows of two words, patches straddling them.
    for (const Case c : {Case{"5x5", 28, 5, false}, Case{"4x4 on/off", 28, 4, true},
                         Case{"8x8", 28, 8, false}, Case{"6x6 on 70x70", 70, 6, false}}) {
        Rng rng(11);
        const Image im = randomImage(c.size, c.size, c.onoff, rng);
        SpikeImage spikes;
        spikes.encode(im, c.onoff, 40, c.p / 2, rng);
        const int positions = patchPositions(c.size, c.p, c.p / 2);
        PatchSpikes lists;
        PatchSpikes masks;
        std::size_t total = 0;
        for (int r = 0; r < positions; r += 3) {
            for (int col = 0; col < positions; ++col) {
                spikes.cutPatch({r, col}, c.p, lists);
                spikes.cutPatchMasks({r, col}, c.p, masks);
                ASSERT_TRUE(masks.masked);
                ASSERT_EQ(masks.inputs, lists.inputs);
                ASSERT_EQ(masks.total(), lists.total()) << c.name;
                for (int t = 0; t < lists.steps; ++t) {
                    std::uint64_t expected = 0;
                    for (std::int32_t i : lists.at(t))
                        expected |= std::uint64_t{1} << i;
                    ASSERT_EQ(masks.masks[t], expected) << c.name << " at " << r << "," << col;
                }
                masks.toIndexLists();
                ASSERT_FALSE(masks.masked);
                for (int t = 0; t < lists.steps; ++t)
                    ASSERT_TRUE(std::ranges::equal(masks.at(t), lists.at(t))) << c.name;
                total += lists.total();
            }
        }
        EXPECT_GT(total, 0u) << c.name << ": the patches held spikes";
    }
}

TEST(SpikeEncoder, MasksRefuseMoreThan64Inputs) {
    Rng rng(1);
    SpikeImage spikes;
    spikes.encode(randomImage(28, 28, true, rng), true, 4, 3, rng);
    PatchSpikes out;
    EXPECT_THROW(spikes.cutPatchMasks({0, 0}, 6, out), std::logic_error);  // 2 x 36 inputs
    EXPECT_NO_THROW(spikes.cutPatchMasks({0, 0}, 5, out));                 // 2 x 25
}

// The session skips empty patches by nonemptyPatchColumns: each bit must say whether the patch
// there holds a spike. Sparse images (a few lit pixels, 3 steps), so that empty and non-empty
// patches mix, also at the borders.
TEST(SpikeEncoder, NonEmptyColumnsAreThePatchesWithSpikes) {
    struct Case {
        const char* name;
        int size;
        int p;
        bool onoff;
    };
    for (const Case c :
         {Case{"5x5", 28, 5, false}, Case{"4x4 on/off", 28, 4, true}, Case{"8x8", 28, 8, false},
          Case{"6x6 on 60x60 (two words)", 60, 6, false}}) {
        Rng rng(5);
        Image im{c.size, c.size, std::vector<float>(static_cast<std::size_t>(c.size) * c.size)};
        for (int k = 0; k < 6; ++k)
            im.pixels[rng.below(im.pixels.size())] = c.onoff && k % 2 ? -1.0f : 1.0f;
        SpikeImage spikes;
        spikes.encode(im, c.onoff, 3, c.p / 2, rng);
        const int positions = patchPositions(c.size, c.p, c.p / 2);
        ASSERT_LE(positions, 64);
        PatchSpikes cut;
        int empty = 0;
        int nonempty = 0;
        for (int r = 0; r < positions; ++r) {
            const std::uint64_t columns = spikes.nonemptyPatchColumns(r, c.p, positions);
            EXPECT_EQ(columns >> positions, 0u) << c.name << ": no bits past the last column";
            for (int col = 0; col < positions; ++col) {
                spikes.cutPatch({r, col}, c.p, cut);
                const bool has_spikes = cut.total() > 0;
                ASSERT_EQ((columns >> col & 1) != 0, has_spikes)
                    << c.name << " at " << r << "," << col;
                ASSERT_EQ(spikes.anySpike({r, col}, c.p), has_spikes);
                (has_spikes ? nonempty : empty) += 1;
            }
        }
        EXPECT_GT(empty, 0) << c.name;
        EXPECT_GT(nonempty, 0) << c.name;
    }
    SpikeImage wide;
    Rng rng(1);
    wide.encode(Image{70, 70, std::vector<float>(70 * 70, 0.5f)}, false, 2, 0, rng);
    EXPECT_THROW((void)wide.nonemptyPatchColumns(0, 5, 66), std::logic_error);
}
