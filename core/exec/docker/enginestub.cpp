// Until the run engine (core/exec/engine.cpp) lands on main: the moc output of engine.h is in
// the library and refers to Engine's destructor. Removed when the engine is merged.
#include "exec/engine.h"

namespace stagecraft::exec {
struct Engine::Private
{
};
Engine::~Engine() = default;
} // namespace stagecraft::exec
