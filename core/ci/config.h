#pragma once

#include "diag/diagnostic.h"
#include "yaml/node.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace stagecraft::ci {

/// One job of the resolved configuration. `node` is its effective map after `extends`,
/// `!reference` and anchors (not yet merged with `default:`, like GitLab's full configuration).
/// Every key and value node keeps the location it was written at: that is the provenance.
struct Job
{
    QString name;
    yaml::Node key;  ///< the job's key node in the file that defined it (for positions)
    yaml::Node node; ///< effective job map
    bool hidden = false; ///< name starts with '.'
};

/// What the resolver makes of a project: the merged configuration and what went wrong.
struct ResolvedConfig
{
    yaml::Node root;     ///< merged config: includes, extends, !reference, anchors resolved
    yaml::Node header;   ///< the `spec:` header document of the main file, if any
    QList<Job> jobs;     ///< all jobs (hidden ones too) in definition order
    QStringList stages;  ///< effective stages with .pre first and .post last
    yaml::Node stagesNode; ///< where `stages:` was written (undefined when defaulted)
    QStringList files;   ///< every file read, as displayed (relative to the project root)
    QString mainFile;    ///< display name of the main file
    diag::Diagnostics diagnostics;
    /// True when some include could not be read offline: checks that depend on content that
    /// may come from it (unknown stage, job, extends target) are info, not errors.
    bool incomplete = false;
    /// Job name -> index in `jobs` (filled by the resolver; job() falls back to a scan without it).
    QHash<QString, qsizetype> jobIndex;

    const Job *job(QStringView name) const;
};

/// GitLab's default stages (without .pre/.post).
QStringList defaultStages();

/// Top-level keys that are keywords, not jobs.
bool isGlobalKeyword(QStringView key);

} // namespace stagecraft::ci
