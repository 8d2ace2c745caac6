// The workspace functions live in snapshot.cpp, artifacts.cpp, cache.cpp and tar.cpp.
#include "exec/workspace.h"
