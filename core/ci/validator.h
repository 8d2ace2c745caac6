#pragma once

#include "config.h"

namespace stagecraft::ci {

/// Checks a resolved configuration the way GitLab's lint does (keywords, types, values,
/// cross-job references) and returns diagnostics with GitLab's wording where it has one.
class Validator
{
public:
    static diag::Diagnostics validate(const ResolvedConfig &config);
};

} // namespace stagecraft::ci
