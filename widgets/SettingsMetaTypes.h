#pragma once
// The settings types that travel in signals (panel → edits → controller → worker), declared once
// for every translation unit that sends or receives them.

#include <QMetaType>

#include "foundation/ChangeLog.h"
#include "foundation/Settings.h"

Q_DECLARE_METATYPE(stdp::DynamicsSettings)
Q_DECLARE_METATYPE(stdp::StructureSettings)
Q_DECLARE_METATYPE(stdp::LiveEdit)
Q_DECLARE_METATYPE(stdp::Settings)
