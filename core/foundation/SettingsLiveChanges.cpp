#include "foundation/SettingsDetail.h"

namespace stdp {

using detail::table;

std::vector<SettingChange> liveDifferences(const DynamicsSettings& from,
                                           const DynamicsSettings& to) {
    Settings a, b;
    a.dynamics = from;
    b.dynamics = to;
    std::vector<SettingChange> out;
    for (const auto& e : table()) {
        if (e.info.group != SettingGroup::Dynamics)
            continue;
        const double x = e.access.get(a);
        const double y = e.access.get(b);
        if (x != y)
            out.push_back({e.info.name, x, y});
    }
    return out;
}

}  // namespace stdp
