// libFuzzer target: arbitrary bytes as the main .gitlab-ci.yml of a project that has nothing else
// on disk, through the whole check (ci::lint = resolve + validate), plus the YAML layer on its
// own: Loader::load, then toYaml of every document and a second load of that text.
//
// Oracles: the sanitizers (address, undefined), libFuzzer's timeout and RSS limit, and the
// emitter's promise that its output reads back to the same values and types (abort when it does
// not). STAGECRAFT_FUZZ_STRICT_ROUNDTRIP=0 in the environment turns that last check off, to hunt
// only crashes, undefined behaviour and hangs.

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
    static const char *const name = "STAGECRAFT_FUZZ_STRICT_ROUNDTRIP";
    static const bool strict =
        !qEnvironmentVariableIsSet(name) || qEnvironmentVariableIntValue(name) != 0;
    return strict;
}

[[noreturn]] void roundTripFailure(const char *what, const QByteArray &emitted)
{
    std::fprintf(stderr, "fuzz_ci: round trip: %s\n--- emitted YAML ---\n%s\n---\n", what,
                 emitted.constData());
    std::abort();
}

/// Node::equals compares text, not types: a plain `true` and a quoted "true" are equal there.
/// Here scalars (keys too) must also keep their kind (string, boolean, integer, float, null).
bool sameValue(const yaml::Node &a, const yaml::Node &b)
{
    if (a.type() != b.type() || a.tag() != b.tag())
        return false;
    switch (a.type()) {
    case yaml::Node::Type::Undefined:
    case yaml::Node::Type::Null:
        return true;
    case yaml::Node::Type::Scalar:
        return a.scalar() == b.scalar() && a.kindName() == b.kindName();
    case yaml::Node::Type::Sequence:
        if (a.items().size() != b.items().size())
            return false;
        for (size_t i = 0; i < a.items().size(); ++i) {
            if (!sameValue(a.items()[i], b.items()[i]))
                return false;
        }
        return true;
    case yaml::Node::Type::Map:
        if (a.entries().size() != b.entries().size())
            return false;
        for (size_t i = 0; i < a.entries().size(); ++i) {
            if (!sameValue(a.entries()[i].key, b.entries()[i].key)
                || !sameValue(a.entries()[i].value, b.entries()[i].value))
                return false;
        }
        return true;
    }
    return false;
}

/// Map keys that are maps or sequences (`? [a, b]: x`): the block emitter has no way to write
/// them (known limitation; no CI configuration uses them), so the strict check skips them.
bool hasComplexKey(const yaml::Node &node)
{
    for (const yaml::Node &item : node.items()) {
        if (hasComplexKey(item))
            return true;
    }
    for (const yaml::MapEntry &entry : node.entries()) {
        if (entry.key.isMap() || entry.key.isSequence() || hasComplexKey(entry.value))
            return true;
    }
    return false;
}

void roundTrip(const yaml::Node &root)
{
    if (!root.isDefined() || root.expandedSize() > MaxRoundTripNodes)
        return;
    const QByteArray emitted = yaml::toYaml(root);
    const yaml::LoadResult again = yaml::Loader::load(emitted, QStringLiteral("roundtrip.yml"));
    if (!strictRoundTrip() || hasComplexKey(root))
        return;
    if (!again.ok)
        roundTripFailure("the emitted text does not load", emitted);
    const yaml::Node back = again.documents.isEmpty() ? yaml::Node() : again.documents.first().root;
    if (!back.equals(root) || !sameValue(back, root))
        roundTripFailure("the emitted text loads to other values or types", emitted);
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
