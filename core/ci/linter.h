#pragma once

#include "resolver.h"

namespace stagecraft::ci {

struct LintResult
{
    ResolvedConfig config;
    diag::Diagnostics diagnostics; ///< resolver + validator findings, sorted
};

/// The whole check of one CI configuration: resolve, then validate.
LintResult lint(const ResolveOptions &options);

} // namespace stagecraft::ci
