#include "navigator.h"

#include "completion.h"

namespace stagecraft::gui {

std::optional<Target> definitionAt(const QString &file, const QString &text, int line, int column,
                                   const ci::ResolvedConfig *config)
{
    using completion::Symbol;
    const Symbol symbol = completion::symbolAt(text, line, column);
    switch (symbol.kind) {
    case Symbol::Kind::Job:
        if (config) {
            for (const ci::Job &job : config->jobs) {
                if (job.name != symbol.name)
                    continue;
                const yaml::Location at = job.key.location();
                if (at.isValid())
                    return Target{at.file, at.line, at.column};
            }
        }
        if (const auto p = completion::findTopLevelKey(text, symbol.name))
            return Target{file, p->line, p->column};
        return std::nullopt;
    case Symbol::Kind::Anchor:
        if (const auto p = completion::findAnchor(text, symbol.name))
            return Target{file, p->line, p->column};
        return std::nullopt;
    case Symbol::Kind::LocalFile: {
        QString path = symbol.name;
        while (path.startsWith(u'/'))
            path.remove(0, 1);
        return Target{path, 1, 1};
    }
    case Symbol::Kind::None:
    case Symbol::Kind::Keyword:
    case Symbol::Kind::Variable:
        break;
    }
    return std::nullopt;
}

} // namespace stagecraft::gui
