#include "validator.h"

namespace stagecraft::ci {

// Placeholder until the full validator lands.
diag::Diagnostics Validator::validate(const ResolvedConfig &config)
{
    Q_UNUSED(config);
    return {};
}

} // namespace stagecraft::ci
