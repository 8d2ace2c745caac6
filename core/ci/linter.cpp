#include "linter.h"

#include "validator.h"

namespace stagecraft::ci {

LintResult lint(const ResolveOptions &options)
{
    LintResult result;
    result.config = Resolver::resolve(options);
    result.diagnostics = result.config.diagnostics;
    result.diagnostics += Validator::validate(result.config);
    diag::sortDiagnostics(result.diagnostics);
    return result;
}

} // namespace stagecraft::ci
