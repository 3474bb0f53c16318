#include "foundation/SettingsDetail.h"

#include <cmath>

namespace stdp {

namespace detail {

bool inRange(const SettingInfo& i, double v) {
    if (!std::isfinite(v))
        return false;
    if (i.min_open ? v <= i.min : v < i.min)
        return false;
    if (i.max_open ? v >= i.max : v > i.max)
        return false;
    return true;
}

void validateRelations(const Settings& s) {
    if (s.structure.init_low > s.structure.init_high)
        throw UserError("settings 'init_low' and 'init_high': need init_low <= init_high (got " +
                        formatReal(s.structure.init_low) + " > " +
                        formatReal(s.structure.init_high) + ")");
    if (s.dynamics.mu * (1.0 + s.dynamics.lambda) > 1.0)
        throw UserError(
            "settings 'mu', 'lambda': need mu * (1 + lambda) <= 1, or LTP would "
            "overshoot the weights");
    if (s.dynamics.mu * s.dynamics.mu_d_ratio * (1.0 + s.dynamics.lambda) > 1.0)
        throw UserError(
            "settings 'mu', 'mu_d_ratio', 'lambda': need mu * mu_d_ratio * (1 + "
            "lambda) <= 1, or LTD would flip the sign of the weights");
    if (s.dynamics.theta_floor >= 1.0)
        throw UserError("setting 'theta_floor': must be below 1");
    if (s.dynamics.residualLearning() && !s.dynamics.amplitudeCoding())
        throw UserError(
            "settings 'learning_rule', 'spike_quantum': the residual rule needs amplitude coding "
            "(spike_quantum > 0), whose additive read-out defines the residual");
    if (s.dynamics.recruit_hurdle > 0.0 && !s.dynamics.amplitudeCoding())
        throw UserError(
            "settings 'recruit_hurdle', 'spike_quantum': the recruitment hurdle needs amplitude "
            "coding (spike_quantum > 0), whose potentials start a patch below zero");
    if (s.dynamics.decoder_hurdle > 0.0 && !s.dynamics.amplitudeCoding())
        throw UserError(
            "settings 'decoder_hurdle', 'spike_quantum': adding the hurdle back needs amplitude "
            "coding (spike_quantum > 0), whose additive read-out it corrects");
    if (s.dynamics.hurdle_inhibition > 0.0 && !s.dynamics.amplitudeCoding())
        throw UserError(
            "settings 'hurdle_inhibition', 'spike_quantum': inhibition by the hurdle needs "
            "amplitude coding (spike_quantum > 0), whose potentials start a patch below zero");
    if (s.dynamics.onoff_opponency > 0.0 && (!s.dynamics.amplitudeCoding() || !s.structure.onoff))
        throw UserError(
            "settings 'onoff_opponency', 'spike_quantum', 'onoff': the opponency of a pixel's ON "
            "and OFF synapses needs amplitude coding (spike_quantum > 0) and ON/OFF inputs "
            "(onoff = true)");
}

}  // namespace detail

using detail::badValue;
using detail::Entry;
using detail::findEntry;
using detail::formatReal;
using detail::inRange;
using detail::rangeText;
using detail::table;
using detail::validateRelations;

void validate(const Settings& s) {
    for (const auto& e : table()) {
        const SettingInfo& i = e.info;
        if (i.kind == SettingKind::Seed || i.kind == SettingKind::Bool)
            continue;
        const double v = e.access.get(s);
        if (i.kind == SettingKind::Choice) {
            if (v < 0 || v > i.max || v != std::floor(v))
                badValue(i, formatReal(v));
            continue;
        }
        if (!inRange(i, v))
            badValue(i, formatReal(v));
    }
    validateRelations(s);
}

ValueCheck checkValue(const Settings& current, const std::string& name, double value) {
    ValueCheck r;
    const Entry* e = findEntry(name);
    if (!e || !e->access.get) {
        r.refusal = "'" + name + "' cannot be set as a number";
        return r;
    }
    const SettingInfo& i = e->info;
    if (!std::isfinite(value)) {
        r.refusal = i.name + " must be a finite number";
        return r;
    }
    double v = value;
    if (i.kind == SettingKind::Bool)
        v = v != 0.0 ? 1.0 : 0.0;
    if (i.kind == SettingKind::Int || i.kind == SettingKind::Choice) {
        const double whole = std::round(v);
        if (whole != v)
            r.note = "rounded to " + formatReal(whole) + " (a whole number)";
        v = whole;
    }
    // A closed bound is a value that works: clamp to it. An open bound (temperature > 0) has no
    // nearest allowed value to offer: refuse.
    if (v < i.min || (i.min_open && v <= i.min)) {
        if (i.min_open) {
            r.refusal = i.name + " must be above " + formatReal(i.min) + " (" + rangeText(i) + ")";
            return r;
        }
        v = i.min;
        r.note = "clamped to " + formatReal(v) + ", the smallest allowed";
    }
    if (v > i.max || (i.max_open && v >= i.max)) {
        if (i.max_open) {
            r.refusal = i.name + " must be below " + formatReal(i.max) + " (" + rangeText(i) + ")";
            return r;
        }
        v = i.max;
        r.note = "clamped to " + formatReal(v) + ", the largest allowed";
    }
    Settings changed = current;
    e->access.set(changed, v);
    try {
        validateRelations(changed);
    } catch (const UserError& err) {
        r.refusal = err.what();
        r.cross_setting = true;
        return r;
    }
    r.accepted = true;
    r.value = v;
    r.settings = changed;
    return r;
}

}  // namespace stdp
