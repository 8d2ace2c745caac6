// libFuzzer target: arbitrary bytes as the main .gitlab-ci.yml of a project that has nothing else
// on disk, through the whole check (ci::lint = resolve + validate), plus the YAML layer on its
// own: Loader::load, then toYaml of every document and a second load of that text.
//
// Oracles: the sanitizers (address, undefined), libFuzzer's timeout and RSS limit, and, with
// STAGECRAFT_FUZZ_STRICT_ROUNDTRIP=1 in the environment, the emitter's promise that its output
// reads back to the same values (abort when it does not). The strict check is off by default so
// that the ctest run stays a crash/UB/hang hunt; docs/benchmarks.md says how to run it.

#include "ci/linter.h"
#include "yaml/emitter.h"
#include "yaml/loader.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace stagecraft;

namespace {

// Emitting a tree expands its aliases; above this size a round trip only measures memcpy.
constexpr qint64 MaxRoundTripNodes = 50'000;

bool strictRoundTrip()
{
    static const bool strict = qEnvironmentVariableIntValue("STAGECRAFT_FUZZ_STRICT_ROUNDTRIP") == 1;
    return strict;
}

[[noreturn]] void roundTripFailure(const char *what, const QByteArray &emitted)
{
    std::fprintf(stderr, "fuzz_ci: round trip: %s\n--- emitted YAML ---\n%s\n---\n", what,
                 emitted.constData());
    std::abort();
}

void roundTrip(const yaml::Node &root)
{
    if (!root.isDefined() || root.expandedSize() > MaxRoundTripNodes)
        return;
    const QByteArray emitted = yaml::toYaml(root);
    const yaml::LoadResult again = yaml::Loader::load(emitted, QStringLiteral("roundtrip.yml"));
    if (!strictRoundTrip())
        return;
    if (!again.ok)
        roundTripFailure("the emitted text does not load", emitted);
    const yaml::Node back = again.documents.isEmpty() ? yaml::Node() : again.documents.first().root;
    if (!back.equals(root))
        roundTripFailure("the emitted text loads to other values", emitted);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));

    // The whole check. The project folder does not exist, so local includes find nothing on
    // disk and no include cache is given: everything stays in memory and offline.
    ci::ResolveOptions options;
    options.projectRoot = QStringLiteral("/nonexistent/stagecraft-fuzz");
    options.overlay.insert(options.mainFile, bytes);
    const ci::LintResult result = ci::lint(options);
    (void)result;

    // The YAML layer directly.
    const yaml::LoadResult loaded = yaml::Loader::load(bytes, QStringLiteral(".gitlab-ci.yml"));
    if (loaded.ok) {
        for (const yaml::Document &doc : loaded.documents)
            roundTrip(doc.root);
    }
    return 0;
}
