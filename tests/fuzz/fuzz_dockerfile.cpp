// libFuzzer target: the Dockerfile parser and linter (no ShellCheck) on arbitrary bytes.
// Build by hand: see the comment at the end of this file.

#include "dockerfile/linter.h"
#include "dockerfile/parser.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace stagecraft;
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const dockerfile::Dockerfile df =
        dockerfile::Parser::parse(bytes, QStringLiteral("Dockerfile"));
    const diag::Diagnostics found = dockerfile::Linter::lint(df);
    // Every range must stay inside the text: positions are what editors jump to.
    for (const diag::Diagnostic &d : found) {
        if (d.range.start.line < 1 || d.range.start.column < 1 ||
            d.range.start.line > std::max(1, df.lineCount) + 1)
            __builtin_trap();
    }
    (void)dockerfile::Linter::shellScripts(df);
    return 0;
}

// clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address -fPIC -Icore \
//   $(pkg-config --cflags Qt6Core) tests/fuzz/fuzz_dockerfile.cpp core/dockerfile/*.cpp \
//   core/diag/diagnostic.cpp $(pkg-config --libs Qt6Core) -o build/fuzz_dockerfile
// ./build/fuzz_dockerfile -max_total_time=60 ../shared/corpus/dockerfiles
