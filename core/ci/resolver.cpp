#include "resolver.h"

#include "yaml/loader.h"

#include <QCoreApplication>
#include <QDir>

namespace stagecraft::ci {

const Job *ResolvedConfig::job(QStringView name) const
{
    for (const Job &j : jobs) {
        if (j.name == name)
            return &j;
    }
    return nullptr;
}

QStringList defaultStages()
{
    return {QStringLiteral("build"), QStringLiteral("test"), QStringLiteral("deploy")};
}

bool isGlobalKeyword(QStringView key)
{
    static const QStringList keywords = {
        QStringLiteral("image"),         QStringLiteral("services"),
        QStringLiteral("before_script"), QStringLiteral("after_script"),
        QStringLiteral("variables"),     QStringLiteral("cache"),
        QStringLiteral("default"),       QStringLiteral("stages"),
        QStringLiteral("include"),       QStringLiteral("workflow"),
        QStringLiteral("spec"),          QStringLiteral("types"),
        QStringLiteral("$schema")};
    for (const QString &k : keywords) {
        if (k == key)
            return true;
    }
    return false;
}

// Placeholder until the full resolver lands: reads the main file only.
ResolvedConfig Resolver::resolve(const ResolveOptions &options)
{
    ResolvedConfig config;
    config.mainFile = options.mainFile;
    const QString path = QDir(options.projectRoot).filePath(options.mainFile);
    yaml::LoadResult loaded = options.overlay.contains(options.mainFile)
                                  ? yaml::Loader::load(options.overlay.value(options.mainFile),
                                                       options.mainFile)
                                  : yaml::Loader::loadFile(path, options.mainFile);
    config.diagnostics += loaded.diagnostics;
    config.files << options.mainFile;
    if (!loaded.ok || loaded.documents.isEmpty())
        return config;
    config.root = loaded.documents.last().root;
    QStringList stages = defaultStages();
    if (const yaml::Node s = config.root.value(u"stages"); s.isSequence()) {
        stages.clear();
        config.stagesNode = s;
        for (const yaml::Node &item : s.items())
            stages << item.scalar();
    }
    stages.removeAll(QStringLiteral(".pre"));
    stages.removeAll(QStringLiteral(".post"));
    config.stages = QStringList{QStringLiteral(".pre")} + stages + QStringList{QStringLiteral(".post")};
    for (const yaml::MapEntry &entry : config.root.entries()) {
        const QString name = entry.key.scalar();
        if (isGlobalKeyword(name))
            continue;
        Job job;
        job.name = name;
        job.key = entry.key;
        job.node = entry.value;
        job.hidden = name.startsWith(u'.');
        config.jobs.append(job);
    }
    return config;
}

} // namespace stagecraft::ci
