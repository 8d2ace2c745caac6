#include "linter.h"

#include "levenshtein.h"
#include "parser.h"
#include "shellcommand.h"

#include <QCoreApplication>
#include <QHash>
#include <QRegularExpression>

namespace stagecraft::dockerfile {

namespace {

using diag::Severity;

QString tr(const char *text)
{
    return QCoreApplication::translate("stagecraft::dockerfile", text);
}

struct RuleDef
{
    const char16_t *code;
    RuleSource source;
    Severity severity;
    bool on;
    const char *message; ///< hadolint's message; for BuildKit checks, the description
};

// Hadolint's "style" level has no counterpart in diag::Severity: it is shown as Info.
constexpr RuleDef kRules[] = {
    {u"DL1001", RuleSource::Hadolint, Severity::Info, false,
     QT_TRANSLATE_NOOP(
         "stagecraft::dockerfile",
         "Please refrain from using inline ignore pragmas `# hadolint ignore=DLxxxx`.")},
    {u"DL3000", RuleSource::Hadolint, Severity::Error, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "Use absolute WORKDIR")},
    {u"DL3001", RuleSource::Hadolint, Severity::Info, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "For some bash commands it makes no sense running them in a Docker "
                       "container like `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, "
                       "`kill`, `mount`, `ifconfig`")},
    {u"DL3002", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "Last USER should not be root")},
    {u"DL3003", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "Use WORKDIR to switch to a directory")},
    {u"DL3004", RuleSource::Hadolint, Severity::Error, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Do not use sudo as it leads to unpredictable behavior. Use a tool like "
                       "gosu to enforce root")},
    {u"DL3006", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "Always tag the version of an image explicitly")},
    {u"DL3007", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Using latest is prone to errors if the image will ever update. Pin the "
                       "version explicitly to a release tag")},
    {u"DL3008", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Pin versions in apt get install. Instead of `apt-get install <package>` "
                       "use `apt-get install <package>=<version>`")},
    {u"DL3009", RuleSource::Hadolint, Severity::Info, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Delete the apt-get lists after installing something.")},
    {u"DL3010", RuleSource::Hadolint, Severity::Info, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Use `ADD` for extracting archives into an image.")},
    {u"DL3011", RuleSource::Hadolint, Severity::Error, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "Valid UNIX ports range from 0 to 65535")},
    {u"DL3012", RuleSource::Hadolint, Severity::Error, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "Multiple `HEALTHCHECK` instructions.")},
    {u"DL3013", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Pin versions in pip. Instead of `pip install <package>` use `pip install "
                       "<package>==<version>` or `pip install --requirement <requirements file>`")},
    {u"DL3014", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Use the `-y` switch to avoid manual input `apt-get -y install <package>`")},
    {u"DL3015", RuleSource::Hadolint, Severity::Info, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Avoid additional packages by specifying `--no-install-recommends`")},
    {u"DL3016", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Pin versions in npm. Instead of `npm install <package>` use `npm install "
                       "<package>@<version>`")},
    {u"DL3018", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Pin versions in apk add. Instead of `apk add <package>` use `apk add "
                       "<package>=<version>`")},
    {u"DL3019", RuleSource::Hadolint, Severity::Info, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Use the `--no-cache` switch to avoid the need to use `--update` and "
                       "remove `/var/cache/apk/*` when done installing packages")},
    {u"DL3020", RuleSource::Hadolint, Severity::Error, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "Use COPY instead of ADD for files and folders")},
    {u"DL3021", RuleSource::Hadolint, Severity::Error, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "COPY with more than 2 arguments requires the last argument to end with /")},
    {u"DL3022", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "`COPY --from` should reference a previously defined `FROM` alias")},
    {u"DL3023", RuleSource::Hadolint, Severity::Error, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "`COPY --from` cannot reference its own `FROM` alias")},
    {u"DL3024", RuleSource::Hadolint, Severity::Error, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "`FROM` aliases (stage names) must be unique")},
    {u"DL3025", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Use arguments JSON notation for CMD and ENTRYPOINT arguments")},
    {u"DL3026", RuleSource::Hadolint, Severity::Error, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Use only an allowed registry in the `FROM image`")},
    {u"DL3027", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Do not use apt as it is meant to be a end-user tool, use apt-get or "
                       "apt-cache instead")},
    {u"DL3028", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Pin versions in gem install. Instead of `gem install <gem>` use `gem "
                       "install <gem>:<version>`")},
    {u"DL3029", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "Do not use --platform flag with FROM")},
    {u"DL3030", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Use the -y switch to avoid manual input `yum install -y <package`")},
    {u"DL3032", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "`yum clean all` missing after yum command.")},
    {u"DL3033", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Specify version with `yum install -y <package>-<version>`.")},
    {u"DL3034", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP(
         "stagecraft::dockerfile",
         "Non-interactive switch missing from `zypper` command: `zypper install -y`")},
    {u"DL3035", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "Do not use `zypper dist-upgrade`.")},
    {u"DL3036", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "`zypper clean` missing after zypper use.")},
    {u"DL3037", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Specify version with `zypper install -y <package>=<version>`.")},
    {u"DL3038", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Use the -y switch to avoid manual input `dnf install -y <package`")},
    {u"DL3040", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "`dnf clean all` missing after dnf command.")},
    {u"DL3041", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Specify version with `dnf install -y <package>-<version>`")},
    {u"DL3042", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Avoid use of cache directory with pip. Use `pip install --no-cache-dir "
                       "<package>`")},
    {u"DL3043", RuleSource::Hadolint, Severity::Error, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` "
                       "instruction.")},
    {u"DL3044", RuleSource::Hadolint, Severity::Error, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Do not refer to an environment variable within the same `ENV` statement "
                       "where it is defined.")},
    {u"DL3045", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "`COPY` to a relative destination without `WORKDIR` set.")},
    {u"DL3046", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "`useradd` without flag `-l` and high UID will result in excessively "
                       "large Image.")},
    {u"DL3047", RuleSource::Hadolint, Severity::Info, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Avoid use of wget without progress bar. Use `wget --progress=dot:giga "
                       "<url>`. Or consider using `-q` or `-nv` (shorthands for `--quiet` or "
                       "`--no-verbose`).")},
    {u"DL3048", RuleSource::Hadolint, Severity::Info, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "Invalid label key.")},
    {u"DL3049", RuleSource::Hadolint, Severity::Info, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "Label `<label>` is missing.")},
    {u"DL3050", RuleSource::Hadolint, Severity::Info, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "Superfluous label(s) present.")},
    {u"DL3051", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "Label `<label>` is empty.")},
    {u"DL3052", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "Label `<label>` is not a valid URL.")},
    {u"DL3053", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Label `<label>` is not a valid time format - must conform to RFC3339.")},
    {u"DL3054", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Label `<label>` is not a valid SPDX license identifier.")},
    {u"DL3055", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "Label `<label>` is not a valid git hash.")},
    {u"DL3056", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Label `<label>` does not conform to semantic versioning.")},
    {u"DL3057", RuleSource::Hadolint, Severity::Info, false,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "`HEALTHCHECK` instruction missing.")},
    {u"DL3058", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Label `<label>` is not a valid email format - must conform to RFC5322.")},
    {u"DL3059", RuleSource::Hadolint, Severity::Info, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Multiple consecutive `RUN` instructions. Consider consolidation.")},
    {u"DL3060", RuleSource::Hadolint, Severity::Info, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "`yarn cache clean` missing after `yarn install` was run.")},
    {u"DL3061", RuleSource::Hadolint, Severity::Error, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or "
                       "comment.")},
    {u"DL3062", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Pin versions in go install. Instead of `go install <package>` use `go "
                       "install <package>@<version>`")},
    {u"DL3063", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "Stage name should not be a reserved word")},
    {u"DL3064", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Potentially sensitive data should not be used in the `ARG` or `ENV` "
                       "commands")},
    {u"DL3065", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Setting FROM --platform to predefined $TARGETPLATFORM in is redundant as "
                       "this is the default behavior")},
    {u"DL3066", RuleSource::Hadolint, Severity::Info, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Non-numeric user-id may not be resolvable by host system")},
    {u"DL3067", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Do not copy an entire filesystem from another stage")},
    {u"DL4000", RuleSource::Hadolint, Severity::Error, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "MAINTAINER is deprecated")},
    {u"DL4001", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "Either use Wget or Curl but not both")},
    {u"DL4003", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Multiple `CMD` instructions found. If you list more than one `CMD` then "
                       "only the last `CMD` will take effect")},
    {u"DL4004", RuleSource::Hadolint, Severity::Error, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Multiple `ENTRYPOINT` instructions found. If you list more than one "
                       "`ENTRYPOINT` then only the last `ENTRYPOINT` will take effect")},
    {u"DL4005", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "Use SHELL to change the default shell")},
    {u"DL4006", RuleSource::Hadolint, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Set the SHELL option -o pipefail before RUN with a pipe in it. If you are "
                       "using /bin/sh in an alpine image or if your shell is symlinked to busybox "
                       "then consider explicitly setting your SHELL to /bin/ash, or disable this "
                       "check")},
    // BuildKit build checks: all warnings (errors with `# check=error=true`).
    {u"StageNameCasing", RuleSource::BuildKit, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "Stage names should be lowercase")},
    {u"FromAsCasing", RuleSource::BuildKit, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "The 'as' keyword should match the case of the 'from' keyword")},
    {u"NoEmptyContinuation", RuleSource::BuildKit, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Empty continuation lines will become errors in a future release")},
    {u"ConsistentInstructionCasing", RuleSource::BuildKit, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "All commands within the Dockerfile should use the same casing (either "
                       "upper or lower)")},
    {u"DuplicateStageName", RuleSource::BuildKit, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "Stage names should be unique")},
    {u"ReservedStageName", RuleSource::BuildKit, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Reserved words should not be used as stage names")},
    {u"JSONArgsRecommended", RuleSource::BuildKit, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended "
                       "behavior related to OS signals")},
    {u"MaintainerDeprecated", RuleSource::BuildKit, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "The MAINTAINER instruction is deprecated, use a label instead to define "
                       "an image author")},
    {u"UndefinedArgInFrom", RuleSource::BuildKit, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "FROM command must use declared ARGs")},
    {u"WorkdirRelativePath", RuleSource::BuildKit, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Relative workdir without an absolute workdir declared within the build "
                       "can have unexpected results if the base image changes")},
    {u"UndefinedVar", RuleSource::BuildKit, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "Variables should be defined before their use")},
    {u"MultipleInstructionsDisallowed", RuleSource::BuildKit, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Multiple instructions of the same type should not be used in the same "
                       "stage")},
    {u"LegacyKeyValueFormat", RuleSource::BuildKit, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Legacy key/value format with whitespace separator should not be used")},
    {u"RedundantTargetPlatform", RuleSource::BuildKit, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as "
                       "this is the default behavior")},
    {u"SecretsUsedInArgOrEnv", RuleSource::BuildKit, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Sensitive data should not be used in the ARG or ENV commands")},
    {u"InvalidDefaultArgInFrom", RuleSource::BuildKit, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Default value for global ARG results in an empty or invalid base image "
                       "name")},
    {u"FromPlatformFlagConstDisallowed", RuleSource::BuildKit, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "FROM --platform flag should not use a constant "
                                                 "value")},
    {u"CopyIgnoredFile", RuleSource::BuildKit, Severity::Warning, false,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Attempting to Copy file that is excluded by .dockerignore")},
    {u"InvalidDefinitionDescription", RuleSource::BuildKit, Severity::Warning, false,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "Comment for build stage or argument should follow the format: `# <arg/"
                       "stage name> <description>`. If this is not intended to be a description "
                       "comment, add an empty line or comment between the instruction and the "
                       "comment.")},
    {u"ExposeProtoCasing", RuleSource::BuildKit, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile", "Protocol in EXPOSE instruction should be "
                                                 "lowercase")},
    {u"ExposeInvalidFormat", RuleSource::BuildKit, Severity::Warning, true,
     QT_TRANSLATE_NOOP("stagecraft::dockerfile",
                       "IP address and host-port mapping should not be used in EXPOSE "
                       "instruction. This will become an error in a future release")},
};

const QStringList &predefinedArgs()
{
    static const QStringList names = {QStringLiteral("TARGETPLATFORM"),
                                      QStringLiteral("TARGETOS"),
                                      QStringLiteral("TARGETARCH"),
                                      QStringLiteral("TARGETVARIANT"),
                                      QStringLiteral("BUILDPLATFORM"),
                                      QStringLiteral("BUILDOS"),
                                      QStringLiteral("BUILDARCH"),
                                      QStringLiteral("BUILDVARIANT"),
                                      QStringLiteral("TARGETSTAGE"),
                                      QStringLiteral("HTTP_PROXY"),
                                      QStringLiteral("http_proxy"),
                                      QStringLiteral("HTTPS_PROXY"),
                                      QStringLiteral("https_proxy"),
                                      QStringLiteral("FTP_PROXY"),
                                      QStringLiteral("ftp_proxy"),
                                      QStringLiteral("NO_PROXY"),
                                      QStringLiteral("no_proxy"),
                                      QStringLiteral("ALL_PROXY"),
                                      QStringLiteral("all_proxy"),
                                      QStringLiteral("SOURCE_DATE_EPOCH"),
                                      QStringLiteral("BUILDKIT_SYNTAX"),
                                      QStringLiteral("BUILDKIT_INLINE_CACHE"),
                                      QStringLiteral("BUILDKIT_MULTI_PLATFORM"),
                                      QStringLiteral("BUILDKIT_SANDBOX_HOSTNAME"),
                                      QStringLiteral("BUILDKIT_CONTEXT_KEEP_GIT_DIR"),
                                      QStringLiteral("BUILDKIT_DOCKERFILE_CHECK"),
                                      QStringLiteral("BUILDKIT_CACHE_MOUNT_NS")};
    return names;
}

QString suggestion(const QString &name, const QStringList &candidates)
{
    QString best;
    int bestDistance = name.size() <= 3 ? 1 : 2;
    for (const QString &c : candidates) {
        if (c == name)
            continue;
        const int d = c.compare(name, Qt::CaseInsensitive) == 0 ? 0 : levenshtein(c, name);
        if (d <= bestDistance && (best.isEmpty() || d < bestDistance)) {
            best = c;
            bestDistance = d;
        }
    }
    return best;
}

bool isSecretName(const QString &name)
{
    static const QRegularExpression secret(
        QStringLiteral("(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|"
                       "secret|token)(?:_|$)"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression allow(QStringLiteral("(?:_|^)(?:public|file|version)(?:_|$)"),
                                          QRegularExpression::CaseInsensitiveOption);
    return secret.match(name).hasMatch() && !allow.match(name).hasMatch();
}

bool isArchive(QString path)
{
    path = unquote(path);
    static const QStringList ext = {
        QStringLiteral(".tar"),     QStringLiteral(".tar.gz"),   QStringLiteral(".tgz"),
        QStringLiteral(".tar.bz2"), QStringLiteral(".tbz2"),     QStringLiteral(".tar.xz"),
        QStringLiteral(".txz"),     QStringLiteral(".tar.zst"),  QStringLiteral(".tar.lz"),
        QStringLiteral(".tlz"),     QStringLiteral(".tar.lzma"), QStringLiteral(".tb2"),
        QStringLiteral(".tbz"),     QStringLiteral(".tz2"),      QStringLiteral(".gz"),
        QStringLiteral(".bz2"),     QStringLiteral(".xz"),       QStringLiteral(".zip"),
        QStringLiteral(".lzma"),    QStringLiteral(".Z")};
    for (const QString &e : ext) {
        if (path.endsWith(e))
            return true;
    }
    return false;
}

bool isUrl(const QString &s)
{
    return s.startsWith(u"http://") || s.startsWith(u"https://") || s.startsWith(u"git@") ||
           s.startsWith(u"git://") || s.startsWith(u"ssh://");
}

QString basename(QString path)
{
    path = unquote(path);
    const qsizetype cut = std::max(path.lastIndexOf(u'/'), path.lastIndexOf(u'\\'));
    return cut < 0 ? path : path.mid(cut + 1);
}

/// Windows images run RUN with `cmd /S /C` unless SHELL says otherwise: no POSIX shell rules.
bool isWindowsStage(const Dockerfile &df, int stage)
{
    for (int i = stage; i >= 0; i = df.stages.at(i).parent) {
        const QString base = df.stages.at(i).base.toLower();
        if (base.contains(u"windows") || base.contains(u"servercore") ||
            base.contains(u"nanoserver"))
            return true;
        if (df.stages.at(i).parent < 0)
            break;
    }
    return df.escape == u'`';
}

QStringList defaultShell(const Dockerfile &df, int stage)
{
    if (isWindowsStage(df, stage))
        return {QStringLiteral("cmd"), QStringLiteral("/S"), QStringLiteral("/C")};
    return {QStringLiteral("/bin/sh"), QStringLiteral("-c")};
}

bool isAbsolutePath(const QString &raw)
{
    const QString p = unquote(raw);
    if (p.startsWith(u'/') || p.startsWith(u'$') || p.startsWith(u'\\'))
        return true;
    // Windows: C:\ or C:/
    return p.size() >= 2 && p.at(0).isLetter() && p.at(1) == u':';
}

struct StageState
{
    QSet<QString> args;
    QSet<QString> env;
    bool envKnown = true; ///< the whole base chain is visible (scratch or stages rooted there)
    bool absoluteWorkdir = false;
    bool anyWorkdir = false;
    QStringList shell = {QStringLiteral("/bin/sh"), QStringLiteral("-c")};
    bool shellSet = false;
    QList<const Instruction *> cmds, entrypoints, healthchecks;
    const Instruction *lastUser = nullptr;
    QString lastUserValue;
    bool pipNoCache = false;
    QSet<QString> labels;
};

/// A piece of shell from a RUN: its text and where every character sits in the Dockerfile.
struct RunPart
{
    const SourceText *text = nullptr;
    QList<ShellCommand> commands;
};

bool isShellName(const QString &program)
{
    const QString b = basename(program);
    return b == u"sh" || b == u"bash" || b == u"ash" || b == u"dash" || b == u"ksh" ||
           b == u"zsh" || b == u"busybox";
}

/// The heredoc body is a script when the RUN line is only heredoc markers or a shell reading it.
bool heredocIsScript(const Instruction &ins, const Heredoc &doc)
{
    if (doc.body.text.startsWith(u"#!")) {
        const QString shebang = doc.body.text.section(u'\n', 0, 0);
        if (!(shebang.contains(u"sh") && !shebang.contains(u"python")))
            return false;
    }
    for (const Word &w : ins.words) {
        if (!w.text.contains(u"<<")) {
            return isShellName(w.text) && w.offset == ins.words.first().offset;
        }
    }
    return true;
}

QList<RunPart> runParts(const Instruction &ins)
{
    QList<RunPart> parts;
    if (ins.form != Form::Shell)
        return parts;
    parts.append(RunPart{&ins.args, ShellCommand::split(ins.args.text)});
    for (const Heredoc &doc : ins.heredocs) {
        if (heredocIsScript(ins, doc))
            parts.append(RunPart{&doc.body, ShellCommand::split(doc.body.text)});
    }
    return parts;
}

bool hasCacheMount(const Instruction &ins, QStringView target)
{
    for (const Flag &f : ins.flags) {
        if (f.name != u"mount")
            continue;
        if (!f.value.contains(u"type=cache"))
            continue;
        for (const QString &part : f.value.split(u',')) {
            const QString v = part.section(u'=', 1);
            const QString k = part.section(u'=', 0, 0);
            if ((k == u"target" || k == u"dst" || k == u"destination") && v.startsWith(target))
                return true;
        }
    }
    return false;
}

/// The subcommand of tools like apt-get (`apt-get -y install x` -> "install" at index 2).
qsizetype subcommandIndex(const ShellCommand &cmd, const QStringList &flagsWithValue = {})
{
    for (qsizetype i = 1; i < cmd.words.size(); ++i) {
        const QString &w = cmd.words.at(i).text;
        if (w.startsWith(u'-')) {
            if (flagsWithValue.contains(w))
                ++i;
            continue;
        }
        return i;
    }
    return -1;
}

/// Non-flag words after the subcommand.
QList<ShellWord> packagesAfter(const ShellCommand &cmd, qsizetype sub,
                               const QStringList &flagsWithValue)
{
    QList<ShellWord> out;
    for (qsizetype i = sub + 1; i < cmd.words.size(); ++i) {
        const QString &w = cmd.words.at(i).text;
        if (w.startsWith(u'-')) {
            if (flagsWithValue.contains(w))
                ++i;
            continue;
        }
        out.append(cmd.words.at(i));
    }
    return out;
}

class Context
{
public:
    Context(const Dockerfile &df, const LintOptions &options)
        : m_df(df)
        , m_options(options)
    {
        if (const Directive *check = df.directive(u"check"))
            parseCheckDirective(check->value);
        if (enabled(u"CopyIgnoredFile"))
            compileDockerignore();
    }

    diag::Diagnostics run()
    {
        m_out = m_df.diagnostics;
        globalChecks();
        m_states.resize(m_df.stages.size());
        int current = -1;
        for (qsizetype i = 0; i < m_df.instructions.size(); ++i) {
            const Instruction &ins = m_df.instructions.at(i);
            if (ins.stage != current && ins.stage >= 0) {
                current = ins.stage;
                enterStage(current);
            }
            m_previous = i > 0 ? &m_df.instructions.at(i - 1) : nullptr;
            instruction(ins, current, false);
            if (ins.trigger)
                instruction(*ins.trigger, current, true);
        }
        finalChecks();
        return m_out;
    }

private:
    // ---- infrastructure --------------------------------------------------------------------

    void parseCheckDirective(const QString &value)
    {
        for (const QString &part : value.split(u';', Qt::SkipEmptyParts)) {
            const QString key = part.section(u'=', 0, 0).trimmed().toLower();
            const QString v = part.section(u'=', 1).trimmed();
            if (key == u"skip") {
                for (const QString &r : v.split(u',', Qt::SkipEmptyParts))
                    m_checkSkip.insert(r.trimmed());
            } else if (key == u"error") {
                m_checkError = v.toLower() == u"true";
            } else if (key == u"experimental") {
                for (const QString &r : v.split(u',', Qt::SkipEmptyParts))
                    m_experimental.insert(r.trimmed());
            }
        }
    }

    bool enabled(QStringView code) const
    {
        const RuleInfo *info = Linter::rule(code);
        if (!info)
            return true;
        if (m_options.disabledRules.contains(code.toString()))
            return false;
        if (info->source == RuleSource::BuildKit) {
            if (!m_options.buildkitChecks)
                return false;
            if (m_checkSkip.contains(QStringLiteral("all")) || m_checkSkip.contains(info->code))
                return false;
            if (!info->enabledByDefault)
                return m_experimental.contains(QStringLiteral("all")) ||
                       m_experimental.contains(info->code) ||
                       m_options.enabledRules.contains(info->code);
            return true;
        }
        if (!m_options.hadolintRules)
            return false;
        return info->enabledByDefault || m_options.enabledRules.contains(info->code);
    }

    void report(QStringView code, Range range, const QString &message = {},
                const QString &hint = {})
    {
        if (!enabled(code))
            return;
        const RuleInfo *info = Linter::rule(code);
        diag::Diagnostic d;
        d.code = code.toString();
        d.severity = info ? info->severity : Severity::Warning;
        if (info && info->source == RuleSource::BuildKit && m_checkError)
            d.severity = Severity::Error;
        d.message = message.isEmpty() && info ? info->description : message;
        d.file = m_df.file;
        d.range = range;
        d.hint = hint;
        m_out.append(d);
    }

    // ---- whole-file checks ----------------------------------------------------------------

    void globalChecks()
    {
        // DL3061: the first instruction must be FROM or ARG.
        for (const Instruction &ins : m_df.instructions) {
            if (ins.name == u"ARG")
                continue;
            if (ins.name != u"FROM" && Parser::instructionNames().contains(ins.name))
                report(u"DL3061", ins.keywordRange);
            break;
        }
        // ConsistentInstructionCasing
        int upper = 0;
        int lower = 0;
        for (const Instruction &ins : m_df.instructions) {
            if (ins.keyword == ins.keyword.toUpper())
                ++upper;
            else if (ins.keyword == ins.keyword.toLower())
                ++lower;
        }
        const bool lowerMajority = lower > upper;
        for (const Instruction &ins : m_df.instructions) {
            const QString expected = lowerMajority ? ins.keyword.toLower() : ins.keyword.toUpper();
            if (ins.keyword != expected) {
                report(u"ConsistentInstructionCasing", ins.keywordRange,
                       tr("Command '%1' should match the case of the command majority (%2)")
                           .arg(ins.keyword, lowerMajority ? QStringLiteral("lowercase")
                                                           : QStringLiteral("uppercase")),
                       tr("write %1").arg(expected));
            }
        }
        // BuildKit warns once per instruction; the first empty line is where to look.
        int reportedUpTo = 0;
        for (int line : m_df.emptyContinuationLines) {
            if (line <= reportedUpTo)
                continue;
            reportedUpTo = line;
            for (const Instruction &ins : m_df.instructions) {
                if (ins.startLine < line && ins.endLine >= line)
                    reportedUpTo = ins.endLine;
            }
            report(u"NoEmptyContinuation", Range{Position{line, 1}, Position{line, 1}},
                   tr("Empty continuation line"), tr("remove the empty line"));
        }
        bool hasHealthcheck = false;
        for (const Instruction &ins : m_df.instructions)
            hasHealthcheck = hasHealthcheck || ins.name == u"HEALTHCHECK";
        if (!hasHealthcheck && !m_df.instructions.isEmpty())
            report(u"DL3057", m_df.instructions.first().keywordRange);
        for (const Comment &c : m_df.comments) {
            if (c.text.trimmed().startsWith(u"hadolint ignore="))
                report(u"DL1001", c.range);
        }
        // global ARGs
        for (const Instruction &ins : m_df.instructions) {
            if (ins.stage >= 0)
                break;
            if (ins.name == u"ARG") {
                for (const KeyValue &kv : ins.pairs)
                    m_globalArgs.insert(
                        kv.key, kv.hasValue ? expandVariables(kv.value, m_globalArgs, m_df.escape)
                                            : QString());
            }
        }
        // Stages used as the base of another stage (DL3009 looks at them as well as the last).
        for (const Stage &s : m_df.stages) {
            if (s.parent >= 0)
                m_usedAsBase.insert(s.parent);
        }
    }

    void enterStage(int index)
    {
        const Stage &stage = m_df.stages.at(index);
        StageState st;
        if (stage.parent >= 0) {
            const StageState &p = m_states.at(stage.parent);
            st.env = p.env;
            st.envKnown = p.envKnown;
            st.absoluteWorkdir = p.absoluteWorkdir;
            st.anyWorkdir = p.anyWorkdir;
            st.shell = p.shell;
            st.shellSet = p.shellSet;
            st.pipNoCache = p.pipNoCache;
            st.labels = p.labels;
        } else {
            st.envKnown = stage.base.toLower() == u"scratch";
            st.shell = defaultShell(m_df, index);
        }
        m_states[index] = st;
    }

    void finalChecks()
    {
        // MultipleInstructionsDisallowed / DL4003 / DL4004 / DL3012 per stage.
        for (const StageState &st : std::as_const(m_states)) {
            multiple(st.cmds, u"DL4003", QStringLiteral("CMD"));
            multiple(st.entrypoints, u"DL4004", QStringLiteral("ENTRYPOINT"));
            multiple(st.healthchecks, u"DL3012", QStringLiteral("HEALTHCHECK"));
        }
        // DL3049: a schema label missing in a stage (unless the stage only feeds COPY --from).
        if (!m_options.labelSchema.isEmpty()) {
            QStringList schema = m_options.labelSchema.keys();
            schema.sort();
            for (qsizetype i = 0; i < m_states.size(); ++i) {
                const Stage &stage = m_df.stages.at(i);
                if (!stage.name.isEmpty() && m_copiedFrom.contains(stage.name))
                    continue;
                const Range at = m_df.instructions.at(stage.fromInstruction).keywordRange;
                for (const QString &label : std::as_const(schema)) {
                    if (!m_states.at(i).labels.contains(label))
                        report(u"DL3049", at,
                               QString(Linter::rule(u"DL3049")->description)
                                   .replace(QStringLiteral("<label>"), label));
                }
            }
        }
        // DL3002: the last USER of the last stage is root.
        if (!m_states.isEmpty()) {
            const StageState &last = m_states.last();
            if (last.lastUser) {
                const QString user = last.lastUserValue.section(u':', 0, 0);
                if (user == u"root" || user == u"0")
                    report(u"DL3002", last.lastUser->args.range());
            }
        }
        // DL3009: apt lists not removed, in the final stage or a stage used as a base.
        for (const auto &[stage, range] : std::as_const(m_aptForgets)) {
            if (stage == int(m_df.stages.size()) - 1 || m_usedAsBase.contains(stage) || stage < 0)
                report(u"DL3009", range);
        }
    }

    void multiple(const QList<const Instruction *> &list, QStringView hadolintCode,
                  const QString &name)
    {
        for (qsizetype i = 0; i + 1 < list.size(); ++i) {
            report(u"MultipleInstructionsDisallowed", list.at(i)->keywordRange,
                   tr("Multiple %1 instructions should not be used in the same stage because "
                      "only the last one will be used")
                       .arg(name));
        }
        for (qsizetype i = 1; i < list.size(); ++i)
            report(hadolintCode, list.at(i)->keywordRange);
    }

    StageState *state(int stage) { return stage >= 0 ? &m_states[stage] : nullptr; }

    // ---- per instruction --------------------------------------------------------------------

    void instruction(const Instruction &ins, int stage, bool trigger)
    {
        const QString &n = ins.name;
        StageState *st = state(stage);
        if (trigger) {
            if (n == u"ONBUILD" || n == u"FROM" || n == u"MAINTAINER")
                report(u"DL3043", ins.keywordRange);
            if (n == u"RUN")
                runRules(ins, stage, st, true);
            return;
        }
        if (n == u"FROM")
            fromRules(ins, stage);
        else if (n == u"ARG")
            argRules(ins, st);
        else if (n == u"ENV")
            envRules(ins, st);
        else if (n == u"LABEL")
            labelRules(ins, st);
        else if (n == u"MAINTAINER") {
            report(u"DL4000", ins.range);
            report(u"MaintainerDeprecated", ins.range,
                   tr("Maintainer instruction is deprecated in favor of using label"),
                   tr("use LABEL org.opencontainers.image.authors=\"%1\"").arg(ins.args.text));
        } else if (n == u"RUN")
            runRules(ins, stage, st, false);
        else if (n == u"CMD" || n == u"ENTRYPOINT")
            cmdRules(ins, st);
        else if (n == u"HEALTHCHECK") {
            if (st)
                st->healthchecks.append(&ins);
        } else if (n == u"WORKDIR")
            workdirRules(ins, st);
        else if (n == u"COPY" || n == u"ADD")
            copyRules(ins, stage, st);
        else if (n == u"EXPOSE")
            exposeRules(ins, st);
        else if (n == u"USER")
            userRules(ins, st);
        else if (n == u"SHELL" && st && ins.form == Form::Json) {
            st->shell.clear();
            for (const Word &w : ins.words)
                st->shell.append(w.text);
            st->shellSet = true;
        } else if (n == u"VOLUME" || n == u"STOPSIGNAL") {
            if (ins.form == Form::Shell)
                undefinedVars(ins, ins.args, st);
        }
    }

    void fromRules(const Instruction &ins, int stage)
    {
        const Stage &s = m_df.stages.at(stage);
        const QString base = s.base;
        const QString baseLower = base.toLower();
        bool isStageRef = s.parent >= 0;
        // DL3006 / DL3007
        if (!base.isEmpty() && baseLower != u"scratch" && !isStageRef && !base.contains(u'$')) {
            const QString last = base.section(u'/', -1);
            if (!last.contains(u':') && !base.contains(u'@')) {
                report(u"DL3006", s.baseRange, {}, tr("pin a tag, e.g. %1:<version>").arg(base));
            } else if (last.section(u':', 1).section(u'@', 0, 0) == u"latest" &&
                       !base.contains(u'@')) {
                report(u"DL3007", s.baseRange);
            }
            untrustedRegistry(base, s.baseRange);
        }
        // --platform
        if (const Flag *p = ins.flag(u"platform")) {
            const QString v = p->value;
            if (v == u"$TARGETPLATFORM" || v == u"${TARGETPLATFORM}") {
                report(u"DL3065", p->range);
                report(u"RedundantTargetPlatform", p->range,
                       tr("Setting platform to predefined %1 in FROM is redundant as this is the "
                          "default behavior")
                           .arg(v),
                       tr("remove the --platform flag"));
            } else if (!v.contains(u'$') && !v.isEmpty()) {
                report(u"DL3029", p->range);
                const QString os = v.section(u'/', 0, 0).toLower();
                const QString arch = v.section(u'/', 1, 1).toLower();
                const bool named =
                    !s.name.isEmpty() && ((!os.isEmpty() && s.name.contains(os)) ||
                                          (!arch.isEmpty() && s.name.contains(arch)));
                if (!named)
                    report(u"FromPlatformFlagConstDisallowed", p->valueRange,
                           tr("FROM --platform flag should not use constant value \"%1\"").arg(v));
            }
            fromArgs(p->value, p->valueRange, false);
        }
        if (!s.base.isEmpty())
            fromArgs(s.base, s.baseRange, true);
        // stage names
        if (!s.name.isEmpty()) {
            if (m_stageNames.contains(s.name)) {
                report(u"DL3024", s.nameRange);
                report(u"DuplicateStageName", s.nameRange,
                       tr("Duplicate stage name \"%1\", stage names should be unique").arg(s.name));
            }
            m_stageNames.insert(s.name);
            if (s.nameAsWritten != s.name)
                report(u"StageNameCasing", s.nameRange,
                       tr("Stage name '%1' should be lowercase").arg(s.nameAsWritten),
                       tr("write %1").arg(s.name));
            if (s.name == u"scratch" || s.name == u"context")
                report(u"DL3063", s.nameRange);
            if (s.name == u"scratch" || s.name == u"context")
                report(u"ReservedStageName", s.nameRange,
                       tr("Stage name should not use the same name as reserved stage \"%1\"")
                           .arg(s.name));
            const Word &as = ins.words.at(1);
            const bool fromUpper = ins.keyword == ins.keyword.toUpper();
            const bool fromLower = ins.keyword == ins.keyword.toLower();
            if ((fromUpper && as.text != as.text.toUpper()) ||
                (fromLower && as.text != as.text.toLower())) {
                report(u"FromAsCasing", as.range,
                       tr("'%1' and '%2' keywords' casing do not match").arg(as.text, ins.keyword),
                       tr("write %1").arg(fromUpper ? as.text.toUpper() : as.text.toLower()));
            }
            definitionDescription(ins, {s.name});
        }
    }

    /// BuildKit looks at the last comment line right above FROM/ARG (experimental check).
    /// Docker's .dockerignore matching: patterns relative to the context, `**`, `!` exceptions,
    /// last match wins, a matched folder excludes what is inside.
    void compileDockerignore()
    {
        for (QString line : m_options.dockerignore) {
            line = line.trimmed();
            if (line.isEmpty() || line.startsWith(u'#'))
                continue;
            const bool exception = line.startsWith(u'!');
            if (exception)
                line = line.mid(1).trimmed();
            while (line.startsWith(u'/') || line.startsWith(u"./"))
                line = line.mid(line.startsWith(u'/') ? 1 : 2);
            QString re;
            for (qsizetype i = 0; i < line.size(); ++i) {
                const QChar c = line.at(i);
                if (c == u'*' && i + 1 < line.size() && line.at(i + 1) == u'*') {
                    re += QStringLiteral(".*");
                    ++i;
                    if (i + 1 < line.size() && line.at(i + 1) == u'/')
                        ++i, re += QStringLiteral("/?");
                } else if (c == u'*') {
                    re += QStringLiteral("[^/]*");
                } else if (c == u'?') {
                    re += QStringLiteral("[^/]");
                } else if (c == u'[') {
                    const qsizetype close = line.indexOf(u']', i);
                    if (close < 0) {
                        re += QStringLiteral("\\[");
                    } else {
                        QString cls = line.mid(i + 1, close - i - 1);
                        if (cls.startsWith(u'!'))
                            cls[0] = u'^';
                        re += u'[' + cls + u']';
                        i = close;
                    }
                } else {
                    re += QRegularExpression::escape(QString(c));
                }
            }
            m_ignore.append({QRegularExpression(u'^' + re + QStringLiteral("(/.*)?$")), exception});
        }
    }

    bool ignoredByDockerignore(QString path) const
    {
        while (path.startsWith(u'/') || path.startsWith(u"./"))
            path = path.mid(path.startsWith(u'/') ? 1 : 2);
        if (path.isEmpty() || path == u"." || path.contains(u'*') || path.contains(u'?'))
            return false;
        bool ignored = false;
        for (const auto &[pattern, exception] : m_ignore) {
            if (pattern.match(path).hasMatch())
                ignored = !exception;
        }
        return ignored;
    }

    /// DL3026: an image from a registry the project does not trust (FROM, COPY --from and
    /// RUN --mount from=, as hadolint 2.15 checks them).
    void untrustedRegistry(const QString &image, Range range)
    {
        if (m_options.trustedRegistries.isEmpty() || image.contains(u'$'))
            return;
        const QString first = image.section(u'/', 0, 0);
        const bool hasRegistry =
            image.contains(u'/') &&
            (first.contains(u'.') || first.contains(u':') || first == u"localhost");
        const QString registry = hasRegistry ? first : QStringLiteral("docker.io");
        if (!m_options.trustedRegistries.contains(registry))
            report(u"DL3026", range);
    }

    /// A `--from` value naming an image rather than a stage.
    bool isImageReference(const QString &value, int stage) const
    {
        const QString v = value.toLower();
        bool numeric = false;
        v.toInt(&numeric);
        if (numeric || v.isEmpty() || v.contains(u'$'))
            return false;
        for (int i = 0; i < stage && i < m_df.stages.size(); ++i) {
            if (m_df.stages.at(i).name == v)
                return false;
        }
        return v.contains(u':') || v.contains(u'/') || v.contains(u'@');
    }

    void definitionDescription(const Instruction &ins, const QStringList &keys)
    {
        if (keys.isEmpty())
            return;
        for (const Comment &c : m_df.comments) {
            if (c.range.start.line != ins.startLine - 1 || c.insideInstruction)
                continue;
            const QString first = c.text.trimmed().section(u' ', 0, 0);
            if (keys.contains(first))
                return;
            report(
                u"InvalidDefinitionDescription", c.range,
                tr("Comment for %1 should follow the format: `# %2 <description>`")
                    .arg(ins.name, keys.size() > 1 ? QStringLiteral("<arg_key>") : keys.first()));
        }
    }

    void fromArgs(const QString &text, Range range, bool isBase)
    {
        const auto refs = variableReferences(text, m_df.escape);
        if (refs.isEmpty())
            return;
        QStringList known = m_globalArgs.keys();
        for (const VariableReference &r : refs) {
            if (m_globalArgs.contains(r.name) || predefinedArgs().contains(r.name))
                continue;
            const QString guess = suggestion(r.name, known + predefinedArgs());
            report(u"UndefinedArgInFrom", range,
                   guess.isEmpty() ? tr("FROM argument '%1' is not declared").arg(r.name)
                                   : tr("FROM argument '%1' is not declared (did you mean %2?)")
                                         .arg(r.name, guess));
        }
        if (!isBase)
            return;
        // InvalidDefaultArgInFrom: expand with the defaults of global ARGs.
        bool dependsOnDefault = false;
        for (const VariableReference &r : refs)
            dependsOnDefault = dependsOnDefault || m_globalArgs.contains(r.name);
        QHash<QString, QString> values = m_globalArgs;
        for (const QString &name : predefinedArgs())
            values.insert(name, QStringLiteral("x"));
        const QString expanded = expandVariables(text, values, m_df.escape);
        static const QRegularExpression reference(QStringLiteral(
            "^[a-z0-9]+(?:[._-][a-z0-9]+|__)*(?::[0-9]+)?(?:/[a-z0-9]+(?:(?:[._]|__|-+)"
            "[a-z0-9]+)*)*(?::[\\w][\\w.-]{0,127})?(?:@[a-z0-9]+:[0-9a-fA-F]{32,})?$"));
        if (dependsOnDefault && !reference.match(expanded).hasMatch()) {
            report(u"InvalidDefaultArgInFrom", range,
                   tr("Default value for ARG %1 results in empty or invalid base image name")
                       .arg(text));
        }
    }

    void secrets(const Instruction &ins, const KeyValue &kv)
    {
        if (!isSecretName(kv.key))
            return;
        report(u"SecretsUsedInArgOrEnv", kv.keyRange,
               tr("Do not use ARG or ENV instructions for sensitive data (%1 \"%2\")")
                   .arg(ins.name, kv.key),
               tr("use a secret mount: RUN --mount=type=secret,id=%1").arg(kv.key.toLower()));
        report(u"DL3064", kv.keyRange);
    }

    QStringList declared(const StageState *st) const
    {
        QStringList out = m_globalArgs.keys();
        if (st) {
            out += QStringList(st->args.begin(), st->args.end());
            out += QStringList(st->env.begin(), st->env.end());
        }
        return out;
    }

    /// UndefinedVar for the references in `text`.
    void undefinedVars(const Instruction &ins, const SourceText &text, const StageState *st,
                       const QSet<QString> &also = {})
    {
        if (!st)
            return;
        const auto refs = variableReferences(text.text, m_df.escape);
        for (const VariableReference &r : refs) {
            if (!r.modifier.isEmpty() && r.modifier != u"#" && r.modifier != u"##" &&
                r.modifier != u"%" && r.modifier != u"%%" && r.modifier != u"/" &&
                r.modifier != u"//")
                continue; // a default or alternative is given
            if (st->args.contains(r.name) || st->env.contains(r.name) || also.contains(r.name) ||
                predefinedArgs().contains(r.name) || r.name == u"PATH")
                continue;
            const QString guess = suggestion(r.name, declared(st));
            if (!st->envKnown && guess.isEmpty())
                continue; // may come from the base image's environment, which we cannot see
            report(u"UndefinedVar", text.range(r.start, r.end),
                   guess.isEmpty() ? tr("Usage of undefined variable '$%1'").arg(r.name)
                                   : tr("Usage of undefined variable '$%1' (did you mean $%2?)")
                                         .arg(r.name, guess));
        }
        Q_UNUSED(ins)
    }

    void argRules(const Instruction &ins, StageState *st)
    {
        QStringList keys;
        for (const KeyValue &kv : ins.pairs) {
            secrets(ins, kv);
            if (st && kv.hasValue)
                undefinedVars(ins, ins.args.mid(kv.valueOffset, kv.value.size()), st);
            if (st)
                st->args.insert(kv.key);
            keys.append(kv.key);
        }
        definitionDescription(ins, keys);
    }

    void envRules(const Instruction &ins, StageState *st)
    {
        QSet<QString> sameStatement;
        bool legacyReported = false;
        for (const KeyValue &kv : ins.pairs) {
            if (kv.legacy && !legacyReported) {
                legacyReported = true;
                report(u"LegacyKeyValueFormat", ins.range,
                       tr("\"ENV key=value\" should be used instead of legacy \"ENV key value\" "
                          "format"),
                       tr("write ENV %1=%2").arg(kv.key, kv.value));
            }
            secrets(ins, kv);
            const auto refs = variableReferences(kv.value, m_df.escape);
            for (const VariableReference &r : refs) {
                if (sameStatement.contains(r.name) && !(st && st->env.contains(r.name)) &&
                    !(st && st->args.contains(r.name)))
                    report(u"DL3044",
                           ins.args.range(kv.valueOffset + r.start, kv.valueOffset + r.end));
            }
            sameStatement.insert(kv.key);
        }
        if (st) {
            // every value sees the environment from before the instruction
            undefinedVars(ins, ins.args, st);
            for (const KeyValue &kv : ins.pairs) {
                st->env.insert(kv.key);
                if (kv.key == u"PIP_NO_CACHE_DIR")
                    st->pipNoCache = QStringList{QStringLiteral("1"), QStringLiteral("true"),
                                                 QStringLiteral("on"), QStringLiteral("yes")}
                                         .contains(unquote(kv.value, m_df.escape).toLower());
            }
        }
    }

    void labelRules(const Instruction &ins, StageState *st)
    {
        bool legacyReported = false;
        static const QRegularExpression validKey(
            QStringLiteral("^[a-zA-Z0-9](?:[a-zA-Z0-9]|[.-](?=[a-zA-Z0-9]))*$"));
        for (const KeyValue &kv : ins.pairs) {
            if (kv.legacy && !legacyReported) {
                legacyReported = true;
                report(
                    u"LegacyKeyValueFormat", ins.range,
                    tr("\"LABEL key=value\" should be used instead of legacy \"LABEL key value\" "
                       "format"),
                    tr("write LABEL %1=%2").arg(kv.key, kv.value));
            }
            const QString key = unquote(kv.key, m_df.escape);
            const bool reserved = key.startsWith(u"com.docker.") || key.startsWith(u"io.docker.") ||
                                  key.startsWith(u"org.dockerproject.");
            if (!key.contains(u'$') && (reserved || !validKey.match(key).hasMatch()))
                report(u"DL3048", kv.keyRange);
            labelSchemaRules(ins, kv, key, st);
        }
        undefinedVars(ins, ins.args, st);
    }

    /// hadolint's label-schema rules (DL3050-DL3058); DL3049 is checked per stage at the end.
    void labelSchemaRules(const Instruction &ins, const KeyValue &kv, const QString &key,
                          StageState *st)
    {
        if (m_options.labelSchema.isEmpty())
            return;
        if (st)
            st->labels.insert(key);
        if (!m_options.labelSchema.contains(key)) {
            if (m_options.strictLabels)
                report(u"DL3050", kv.keyRange);
            return;
        }
        const QString value = unquote(kv.value, m_df.escape);
        const QString type = m_options.labelSchema.value(key);
        auto fail = [&](QStringView code) {
            report(
                code, kv.valueRange.start == kv.valueRange.end ? kv.range : kv.valueRange,
                QString(Linter::rule(code)->description).replace(QStringLiteral("<label>"), key));
        };
        if (value.isEmpty()) {
            fail(u"DL3051");
            return;
        }
        if (value.contains(u'$'))
            return;
        static const QRegularExpression url(
            QStringLiteral("^[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s/?#]+[^\\s]*$"));
        static const QRegularExpression rfc3339(QStringLiteral(
            "^\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})$"));
        static const QRegularExpression hash(QStringLiteral("^(?:[0-9a-f]{7}|[0-9a-f]{40})$"));
        static const QRegularExpression semver(
            QStringLiteral("^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-((?:0|[1-9]\\d*|\\d*["
                           "a-zA-Z-][0-9a-zA-Z-]*)"
                           "(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\\+([0-9a-zA-Z-"
                           "]+(?:\\.[0-9a-zA-Z-]+)*))?$"));
        static const QRegularExpression email(QStringLiteral(
            "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
            "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$"));
        if (type == u"url" && !url.match(value).hasMatch())
            fail(u"DL3052");
        else if (type == u"rfc3339" && !rfc3339.match(value).hasMatch())
            fail(u"DL3053");
        else if (type == u"spdx" && !isSpdxExpression(value))
            fail(u"DL3054");
        else if (type == u"hash" && !hash.match(value).hasMatch())
            fail(u"DL3055");
        else if (type == u"semver" && !semver.match(value).hasMatch())
            fail(u"DL3056");
        else if (type == u"email" && !email.match(value).hasMatch())
            fail(u"DL3058");
        Q_UNUSED(ins)
    }

    static bool isSpdxExpression(const QString &value)
    {
        // The most used identifiers of the SPDX list, plus LicenseRef-*, joined by AND/OR/WITH.
        static const QSet<QString> ids = {QStringLiteral("0BSD"),
                                          QStringLiteral("AGPL-3.0"),
                                          QStringLiteral("AGPL-3.0-only"),
                                          QStringLiteral("AGPL-3.0-or-later"),
                                          QStringLiteral("Apache-1.1"),
                                          QStringLiteral("Apache-2.0"),
                                          QStringLiteral("Artistic-2.0"),
                                          QStringLiteral("BSD-1-Clause"),
                                          QStringLiteral("BSD-2-Clause"),
                                          QStringLiteral("BSD-2-Clause-Patent"),
                                          QStringLiteral("BSD-3-Clause"),
                                          QStringLiteral("BSD-3-Clause-Clear"),
                                          QStringLiteral("BSD-4-Clause"),
                                          QStringLiteral("BSL-1.0"),
                                          QStringLiteral("BUSL-1.1"),
                                          QStringLiteral("CC-BY-4.0"),
                                          QStringLiteral("CC-BY-SA-4.0"),
                                          QStringLiteral("CC0-1.0"),
                                          QStringLiteral("CDDL-1.0"),
                                          QStringLiteral("CDDL-1.1"),
                                          QStringLiteral("EPL-1.0"),
                                          QStringLiteral("EPL-2.0"),
                                          QStringLiteral("EUPL-1.1"),
                                          QStringLiteral("EUPL-1.2"),
                                          QStringLiteral("GPL-2.0"),
                                          QStringLiteral("GPL-2.0-only"),
                                          QStringLiteral("GPL-2.0-or-later"),
                                          QStringLiteral("GPL-3.0"),
                                          QStringLiteral("GPL-3.0-only"),
                                          QStringLiteral("GPL-3.0-or-later"),
                                          QStringLiteral("ISC"),
                                          QStringLiteral("LGPL-2.0"),
                                          QStringLiteral("LGPL-2.1"),
                                          QStringLiteral("LGPL-2.1-only"),
                                          QStringLiteral("LGPL-2.1-or-later"),
                                          QStringLiteral("LGPL-3.0"),
                                          QStringLiteral("LGPL-3.0-only"),
                                          QStringLiteral("LGPL-3.0-or-later"),
                                          QStringLiteral("MIT"),
                                          QStringLiteral("MIT-0"),
                                          QStringLiteral("MPL-1.1"),
                                          QStringLiteral("MPL-2.0"),
                                          QStringLiteral("MS-PL"),
                                          QStringLiteral("MS-RSL"),
                                          QStringLiteral("NCSA"),
                                          QStringLiteral("OFL-1.1"),
                                          QStringLiteral("OpenSSL"),
                                          QStringLiteral("PostgreSQL"),
                                          QStringLiteral("PSF-2.0"),
                                          QStringLiteral("Python-2.0"),
                                          QStringLiteral("Ruby"),
                                          QStringLiteral("SSPL-1.0"),
                                          QStringLiteral("Unlicense"),
                                          QStringLiteral("UPL-1.0"),
                                          QStringLiteral("Vim"),
                                          QStringLiteral("W3C"),
                                          QStringLiteral("WTFPL"),
                                          QStringLiteral("X11"),
                                          QStringLiteral("Zlib"),
                                          QStringLiteral("ZPL-2.1"),
                                          QStringLiteral("Classpath-exception-2.0"),
                                          QStringLiteral("LLVM-exception"),
                                          QStringLiteral("GCC-exception-3.1")};
        QString v = value;
        v.replace(u'(', u' ').replace(u')', u' ');
        const QStringList tokens = v.split(u' ', Qt::SkipEmptyParts);
        if (tokens.isEmpty())
            return false;
        bool expectId = true;
        for (QString t : tokens) {
            if (expectId) {
                if (t.endsWith(u'+'))
                    t.chop(1);
                if (!ids.contains(t) && !t.startsWith(u"LicenseRef-"))
                    return false;
            } else if (t != u"AND" && t != u"OR" && t != u"WITH") {
                return false;
            }
            expectId = !expectId;
        }
        return !expectId;
    }

    void cmdRules(const Instruction &ins, StageState *st)
    {
        if (st) {
            (ins.name == u"CMD" ? st->cmds : st->entrypoints).append(&ins);
        }
        if (ins.form != Form::Shell)
            return;
        report(u"DL3025", ins.args.range());
        if (!(st && st->shellSet)) {
            QStringList json;
            for (const Word &w : ins.words)
                json.append(u'"' + unquote(w.text).replace(u'"', QStringLiteral("\\\"")) + u'"');
            report(u"JSONArgsRecommended", ins.args.range(),
                   tr("JSON arguments recommended for %1 to prevent unintended behavior related to "
                      "OS signals")
                       .arg(ins.name),
                   tr("write %1 [%2]").arg(ins.name, json.join(QStringLiteral(", "))));
        }
    }

    void workdirRules(const Instruction &ins, StageState *st)
    {
        if (ins.args.isEmpty())
            return;
        const QString path = ins.args.text;
        const bool absolute = isAbsolutePath(path);
        if (!absolute)
            report(u"DL3000", ins.args.range());
        if (st) {
            if (!absolute && !st->absoluteWorkdir) {
                report(u"WorkdirRelativePath", ins.args.range(),
                       tr("Relative workdir \"%1\" can have unexpected results if the base image "
                          "changes")
                           .arg(path));
            }
            undefinedVars(ins, ins.args, st);
            st->anyWorkdir = true;
            if (absolute)
                st->absoluteWorkdir = true;
        }
    }

    void copyRules(const Instruction &ins, int stage, StageState *st)
    {
        const bool copy = ins.name == u"COPY";
        QList<Word> paths;
        for (const Word &w : ins.words) {
            if (ins.form == Form::Shell && w.text.contains(u"<<")) {
                bool marker = false;
                for (const Heredoc &h : ins.heredocs)
                    marker = marker || w.range == h.markerRange;
                if (marker)
                    continue;
            }
            paths.append(w);
        }
        const int count = int(paths.size() + ins.heredocs.size());
        if (paths.isEmpty() || count < 2)
            return;
        const Word &dest = paths.last();
        const QString destText = unquote(dest.text, m_df.escape);
        QList<Word> sources = paths.mid(0, paths.size() - 1);
        if (copy && count > 2 && !destText.endsWith(u'/') && !destText.endsWith(u'\\'))
            report(u"DL3021", dest.range, {}, tr("write %1/").arg(destText));
        if (copy && st && !isAbsolutePath(dest.text) && !st->anyWorkdir)
            report(u"DL3045", dest.range);
        const Flag *from = ins.flag(u"from");
        if (copy && from) {
            const QString v = from->value.toLower();
            m_copiedFrom.insert(v);
            if (isImageReference(from->value, stage))
                untrustedRegistry(from->value, from->valueRange);
            bool known = false;
            bool numeric = false;
            const int index = v.toInt(&numeric);
            if (numeric)
                known = index < stage;
            for (int i = 0; i < stage && !known; ++i)
                known = m_df.stages.at(i).name == v;
            if (stage >= 0 && v == m_df.stages.at(stage).name && !v.isEmpty())
                report(u"DL3023", from->valueRange);
            else if (!known && !v.contains(u':') && !v.contains(u'/') && !v.contains(u'$') &&
                     !v.contains(u'@') && !numeric && !v.contains(u'.'))
                report(u"DL3022", from->valueRange);
            for (const Word &s : sources) {
                if (unquote(s.text) == u"/")
                    report(u"DL3067", s.range);
            }
        }
        if (copy && !from) {
            for (const Word &s : sources) {
                if (isArchive(s.text))
                    m_archives.append({basename(s.text), s.range});
            }
            if (isArchive(dest.text))
                m_archives.append({basename(dest.text), dest.range});
        }
        if (!from && !m_ignore.isEmpty()) {
            for (const Word &src : sources) {
                const QString path = unquote(src.text, m_df.escape);
                if (isUrl(path) || path.contains(u'$'))
                    continue;
                if (ignoredByDockerignore(path))
                    report(u"CopyIgnoredFile", src.range,
                           tr("Attempting to %1 file \"%2\" that is excluded by .dockerignore")
                               .arg(copy ? QStringLiteral("Copy") : QStringLiteral("Add"), path));
            }
        }
        if (!copy && ins.heredocs.isEmpty()) {
            for (const Word &s : sources) {
                const QString src = unquote(s.text, m_df.escape);
                if (!isUrl(src) && !isArchive(src) && !src.contains(u'$')) {
                    report(u"DL3020", s.range, {}, tr("write COPY instead of ADD"));
                    break;
                }
            }
        }
        if (ins.form == Form::Shell)
            undefinedVars(ins, ins.args, st);
    }

    void exposeRules(const Instruction &ins, StageState *st)
    {
        for (const Word &w : ins.words) {
            const QString text = unquote(w.text);
            if (text.contains(u'$'))
                continue;
            const QString port = text.section(u'/', 0, 0);
            const QString proto = text.section(u'/', 1);
            if (port.contains(u':')) {
                report(u"ExposeInvalidFormat", w.range,
                       tr("EXPOSE instruction should not define an IP address or host-port "
                          "mapping, found '%1'")
                           .arg(text),
                       tr("write EXPOSE %1").arg(text.section(u':', -1)));
            }
            if (!proto.isEmpty() && proto != proto.toLower()) {
                report(
                    u"ExposeProtoCasing", w.range,
                    tr("Defined protocol '%1' in EXPOSE instruction should be lowercase").arg(text),
                    tr("write %1").arg(port + u'/' + proto.toLower()));
            }
            const QString container = port.section(u':', -1);
            for (const QString &p : container.split(u'-')) {
                bool ok = false;
                const qlonglong n = p.toLongLong(&ok);
                if (ok && (n < 0 || n > 65535)) {
                    report(u"DL3011", w.range);
                    break;
                }
            }
        }
        undefinedVars(ins, ins.args, st);
    }

    void userRules(const Instruction &ins, StageState *st)
    {
        if (!st)
            return;
        st->lastUser = &ins;
        st->lastUserValue = unquote(ins.args.text);
        const QString user = st->lastUserValue.section(u':', 0, 0);
        bool numeric = !user.isEmpty();
        for (QChar c : user)
            numeric = numeric && c.isDigit();
        if (!numeric && !user.contains(u'$') && !user.isEmpty())
            report(u"DL3066", ins.args.range());
        undefinedVars(ins, ins.args, st);
    }

    // ---- RUN -------------------------------------------------------------------------------

    void runRules(const Instruction &ins, int stage, StageState *st, bool trigger)
    {
        const QList<RunPart> parts = runParts(ins);
        qsizetype commandCount = 0;
        for (const RunPart &part : parts)
            commandCount += part.commands.size();
        // DL3059: consecutive RUNs with the same flags, unless either is already a chain of
        // more than two commands (then the split is deliberate, as hadolint sees it).
        if (!trigger && m_previous && m_previous->name == u"RUN" &&
            m_previous->stage == ins.stage) {
            bool sameFlags = m_previous->flags.size() == ins.flags.size();
            for (qsizetype i = 0; sameFlags && i < ins.flags.size(); ++i)
                sameFlags = m_previous->flags.at(i).name == ins.flags.at(i).name &&
                            m_previous->flags.at(i).value == ins.flags.at(i).value;
            if (sameFlags && commandCount <= 2 && m_previousRunCommands <= 2)
                report(u"DL3059", ins.keywordRange);
        }
        if (!trigger)
            m_previousRunCommands = commandCount;
        for (const Flag &f : ins.flags) {
            if (f.name != u"mount")
                continue;
            for (const QString &part : f.value.split(u',')) {
                if (part.startsWith(u"from=") && isImageReference(part.mid(5), stage))
                    untrustedRegistry(part.mid(5), f.valueRange);
            }
        }
        bool aptUpdate = false;
        bool aptClean = false;
        Range aptRange;
        bool yumInstall = false, yumClean = false;
        bool dnfInstall = false, dnfClean = false;
        bool zypperInstall = false, zypperClean = false;
        bool yarnInstall = false, yarnClean = false;
        Range yumRange, dnfRange, zypperRange, yarnRange;
        bool piped = false;
        for (const RunPart &part : parts) {
            for (const ShellCommand &cmd : part.commands) {
                const Range range = part.text->range(cmd.start, cmd.end);
                const QString name = cmd.name();
                piped = piped || cmd.pipedInto;
                static const QStringList pointless = {
                    QStringLiteral("ssh"),      QStringLiteral("vim"),  QStringLiteral("shutdown"),
                    QStringLiteral("service"),  QStringLiteral("ps"),   QStringLiteral("free"),
                    QStringLiteral("top"),      QStringLiteral("kill"), QStringLiteral("mount"),
                    QStringLiteral("ifconfig"), QStringLiteral("nano")};
                if (pointless.contains(name))
                    report(u"DL3001", range);
                if (name == u"cd")
                    report(u"DL3003", range);
                if (name == u"sudo")
                    report(u"DL3004", range);
                if (name == u"apt")
                    report(u"DL3027", range, {}, tr("use apt-get"));
                if (name == u"apt-get") {
                    static const QStringList valueFlags = {
                        QStringLiteral("-o"), QStringLiteral("-t"), QStringLiteral("-c"),
                        QStringLiteral("--target-release")};
                    const qsizetype sub = subcommandIndex(cmd, valueFlags);
                    const QString verb = sub > 0 ? cmd.words.at(sub).text : QString();
                    if (verb == u"update") {
                        aptUpdate = true;
                        aptRange = range;
                    }
                    if (verb == u"install") {
                        for (const ShellWord &p : packagesAfter(cmd, sub, valueFlags)) {
                            if (!p.text.contains(u'=') && !p.text.contains(u'/') &&
                                !p.text.endsWith(u".deb")) {
                                report(u"DL3008", part.text->range(p.start, p.end));
                            }
                        }
                        const bool yes = cmd.hasFlag(u'y', u"--yes") || cmd.hasArgument(u"-qq") ||
                                         cmd.hasArgument(u"--assume-yes") ||
                                         cmd.hasArgument(u"-q=2") || cmd.hasArgument(u"--quiet=2");
                        if (!yes)
                            report(u"DL3014", range, {}, tr("add -y"));
                        bool noRecommends = cmd.hasArgument(u"--no-install-recommends");
                        for (const QString &a : cmd.arguments())
                            noRecommends = noRecommends ||
                                           a.contains(u"Install-Recommends=false") ||
                                           a.contains(u"Install-Recommends=0");
                        if (!noRecommends)
                            report(u"DL3015", range, {}, tr("add --no-install-recommends"));
                    }
                }
                if (name == u"rm") {
                    for (const QString &a : cmd.arguments()) {
                        if (a.startsWith(u"/var/lib/apt/lists"))
                            aptClean = true;
                    }
                }
                if (name == u"apk") {
                    static const QStringList valueFlags = {
                        QStringLiteral("-t"),         QStringLiteral("--virtual"),
                        QStringLiteral("-X"),         QStringLiteral("--repository"),
                        QStringLiteral("-p"),         QStringLiteral("--root"),
                        QStringLiteral("--keys-dir"), QStringLiteral("--repositories-file"),
                        QStringLiteral("--arch")};
                    const qsizetype sub = subcommandIndex(cmd, valueFlags);
                    if (sub > 0 && cmd.words.at(sub).text == u"add") {
                        for (const ShellWord &p : packagesAfter(cmd, sub, valueFlags)) {
                            if (!p.text.contains(u'=') && !p.text.contains(u'~') &&
                                !p.text.endsWith(u".apk"))
                                report(u"DL3018", part.text->range(p.start, p.end));
                        }
                        if (!cmd.hasArgument(u"--no-cache"))
                            report(u"DL3019", range, {}, tr("add --no-cache"));
                    }
                }
                pipRules(ins, cmd, part, range, st);
                if (name == u"npm") {
                    static const QStringList valueFlags = {
                        QStringLiteral("--prefix"), QStringLiteral("--registry"),
                        QStringLiteral("--cache"), QStringLiteral("-w"),
                        QStringLiteral("--workspace")};
                    const qsizetype sub = subcommandIndex(cmd, valueFlags);
                    const QString verb = sub > 0 ? cmd.words.at(sub).text : QString();
                    if (verb == u"install" || verb == u"i" || verb == u"add") {
                        for (const ShellWord &p : packagesAfter(cmd, sub, valueFlags)) {
                            const QString &t = p.text;
                            if (t.startsWith(u'.') || t.startsWith(u'/') || t.startsWith(u'~') ||
                                t.contains(u"://") || t.startsWith(u"git") || t.endsWith(u".tgz") ||
                                t.endsWith(u".tar.gz") || t.contains(u'$'))
                                continue;
                            const qsizetype at = t.indexOf(u'@', t.startsWith(u'@') ? 1 : 0);
                            if (at < 0)
                                report(u"DL3016", part.text->range(p.start, p.end));
                        }
                    }
                }
                if (name == u"gem") {
                    const qsizetype sub = subcommandIndex(cmd);
                    if (sub > 0 &&
                        (cmd.words.at(sub).text == u"install" || cmd.words.at(sub).text == u"i") &&
                        !cmd.hasFlag(u'v', u"--version")) {
                        static const QStringList valueFlags = {
                            QStringLiteral("-i"), QStringLiteral("--install-dir"),
                            QStringLiteral("-n"), QStringLiteral("--bindir"),
                            QStringLiteral("-s"), QStringLiteral("--source"),
                            QStringLiteral("-P"), QStringLiteral("--trust-policy")};
                        for (const ShellWord &p : packagesAfter(cmd, sub, valueFlags)) {
                            if (!p.text.contains(u':') && !p.text.endsWith(u".gem"))
                                report(u"DL3028", part.text->range(p.start, p.end));
                        }
                    }
                }
                if (name == u"go") {
                    const qsizetype sub = subcommandIndex(cmd);
                    if (sub > 0 && cmd.words.at(sub).text == u"install") {
                        for (const ShellWord &p : packagesAfter(cmd, sub, {})) {
                            if (!p.text.contains(u'@') && !p.text.startsWith(u'.'))
                                report(u"DL3062", part.text->range(p.start, p.end));
                        }
                    }
                }
                if (name == u"yum" || name == u"dnf" || name == u"microdnf") {
                    const bool yum = name == u"yum";
                    const qsizetype sub = subcommandIndex(cmd);
                    const QString verb = sub > 0 ? cmd.words.at(sub).text : QString();
                    if (verb == u"install" || verb == u"groupinstall" || verb == u"localinstall") {
                        (yum ? yumInstall : dnfInstall) = true;
                        (yum ? yumRange : dnfRange) = range;
                        if (!cmd.hasFlag(u'y', u"--assumeyes"))
                            report(yum ? u"DL3030" : u"DL3038", range, {}, tr("add -y"));
                        static const QRegularExpression versioned(QStringLiteral("-[0-9]"));
                        for (const ShellWord &p : packagesAfter(cmd, sub, {})) {
                            if (!versioned.match(p.text).hasMatch() && !p.text.endsWith(u".rpm") &&
                                !p.text.startsWith(u'/') && !p.text.startsWith(u'@') &&
                                !p.text.contains(u"://"))
                                report(yum ? u"DL3033" : u"DL3041",
                                       part.text->range(p.start, p.end));
                        }
                    }
                    if (verb == u"clean" && cmd.hasArgument(u"all"))
                        (yum ? yumClean : dnfClean) = true;
                }
                if (name == u"zypper") {
                    static const QStringList valueFlags = {
                        QStringLiteral("-t"), QStringLiteral("--type"), QStringLiteral("-r"),
                        QStringLiteral("--repo")};
                    const qsizetype sub = subcommandIndex(cmd, valueFlags);
                    const QString verb = sub > 0 ? cmd.words.at(sub).text : QString();
                    if (verb == u"install" || verb == u"in") {
                        zypperInstall = true;
                        zypperRange = range;
                        if (!(cmd.hasFlag(u'n', u"--non-interactive") ||
                              cmd.hasFlag(u'y', u"--no-confirm")))
                            report(u"DL3034", range, {}, tr("add -n"));
                        for (const ShellWord &p : packagesAfter(cmd, sub, valueFlags)) {
                            if (!p.text.contains(u'=') && !p.text.contains(u'<') &&
                                !p.text.contains(u'>') && !p.text.endsWith(u".rpm"))
                                report(u"DL3037", part.text->range(p.start, p.end));
                        }
                    }
                    if (verb == u"dist-upgrade" || verb == u"dup")
                        report(u"DL3035", range);
                    if (verb == u"clean" || verb == u"cc")
                        zypperClean = true;
                }
                if (name == u"useradd") {
                    bool highUid = false;
                    for (qsizetype i = 1; i + 1 < cmd.words.size(); ++i) {
                        if (cmd.words.at(i).text == u"-u" || cmd.words.at(i).text == u"--uid")
                            highUid = cmd.words.at(i + 1).text.size() > 5;
                    }
                    if (highUid && !cmd.hasFlag(u'l', u"--no-log-init"))
                        report(u"DL3046", range, {}, tr("add -l"));
                }
                if (name == u"wget") {
                    if (!cmd.hasFlag(QChar(), u"--progress") && !cmd.hasFlag(u'q', u"--quiet") &&
                        !cmd.hasFlag(u'o', u"--output-file") &&
                        !cmd.hasFlag(u'a', u"--append-output") && !cmd.hasArgument(u"-nv") &&
                        !cmd.hasArgument(u"--no-verbose"))
                        report(u"DL3047", range);
                    downloader(QStringLiteral("wget"), range);
                }
                if (name == u"curl")
                    downloader(QStringLiteral("curl"), range);
                if (name == u"yarn") {
                    const qsizetype sub = subcommandIndex(cmd);
                    const QString verb = sub > 0 ? cmd.words.at(sub).text : QString();
                    if (verb == u"install" || sub < 0) {
                        yarnInstall = true;
                        yarnRange = range;
                    }
                    if (verb == u"cache" && cmd.hasArgument(u"clean"))
                        yarnClean = true;
                }
                if (name == u"ln" && !cmd.words.isEmpty() && cmd.words.last().text == u"/bin/sh")
                    report(u"DL4005", range);
                if (name == u"tar" || name == u"unzip" || name == u"gunzip" || name == u"bunzip2" ||
                    name == u"unxz" || name == u"zcat" || name == u"unlzma" ||
                    name == u"uncompress") {
                    const bool extracts = name != u"tar" || cmd.hasFlag(u'x', u"--extract") ||
                                          cmd.hasArgument(u"--get");
                    if (extracts) {
                        for (const QString &a : cmd.arguments()) {
                            for (qsizetype k = 0; k < m_archives.size(); ++k) {
                                if (basename(a) == m_archives.at(k).first) {
                                    report(u"DL3010", m_archives.at(k).second);
                                    m_archives.removeAt(k--);
                                }
                            }
                        }
                    }
                }
            }
        }
        if (aptUpdate && !aptClean && !hasCacheMount(ins, u"/var/lib/apt/lists") &&
            !(hasCacheMount(ins, u"/var/lib/apt") && hasCacheMount(ins, u"/var/cache/apt")))
            m_aptForgets.append({stage, aptRange});
        if (yumInstall && !yumClean && !hasCacheMount(ins, u"/var/cache/yum"))
            report(u"DL3032", yumRange, {}, tr("add && yum clean all"));
        if (dnfInstall && !dnfClean && !hasCacheMount(ins, u"/var/cache/dnf") &&
            !hasCacheMount(ins, u"/var/cache/yum"))
            report(u"DL3040", dnfRange, {}, tr("add && dnf clean all"));
        if (zypperInstall && !zypperClean && !hasCacheMount(ins, u"/var/cache/zypp"))
            report(u"DL3036", zypperRange, {}, tr("add && zypper clean"));
        if (yarnInstall && !yarnClean && !hasCacheMount(ins, u"/usr/local/share/.cache/yarn") &&
            !hasCacheMount(ins, u"/root/.cache/yarn") && !hasCacheMount(ins, u"/root/.yarn"))
            report(u"DL3060", yarnRange, {}, tr("add && yarn cache clean"));
        // DL4006 as hadolint decides: a non-POSIX shell (pwsh, powershell, cmd) is exempt, and
        // only bash/zsh/ash with `-o pipefail` count as having pipefail.
        if (piped && st) {
            const QString program = basename(st->shell.value(0)).toLower();
            const bool nonPosix = program.startsWith(u"pwsh") ||
                                  program.startsWith(u"powershell") || program.startsWith(u"cmd");
            bool hasPipefail = false;
            if (program == u"bash" || program == u"zsh" || program == u"ash") {
                bool dashO = false;
                for (const QString &a : st->shell)
                    dashO =
                        dashO || (a.startsWith(u'-') && !a.startsWith(u"--") && a.contains(u'o'));
                hasPipefail = dashO && st->shell.contains(QStringLiteral("pipefail"));
            }
            if (!nonPosix && !hasPipefail)
                report(
                    u"DL4006", ins.keywordRange, {},
                    tr("add SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"] before this RUN"));
        }
    }

    void pipRules(const Instruction &ins, const ShellCommand &cmd, const RunPart &part, Range range,
                  const StageState *st)
    {
        const QString name = cmd.name();
        if (!name.startsWith(u"pip") && !name.startsWith(u"python"))
            return; // cheap filter before the regular expressions
        qsizetype sub = -1;
        static const QRegularExpression pipName(QStringLiteral("^pip[0-9.]*$"));
        static const QRegularExpression pythonName(QStringLiteral("^python[0-9.]*$"));
        static const QStringList valueFlags = {QStringLiteral("-r"),
                                               QStringLiteral("--requirement"),
                                               QStringLiteral("-c"),
                                               QStringLiteral("--constraint"),
                                               QStringLiteral("-e"),
                                               QStringLiteral("--editable"),
                                               QStringLiteral("-i"),
                                               QStringLiteral("--index-url"),
                                               QStringLiteral("--extra-index-url"),
                                               QStringLiteral("-f"),
                                               QStringLiteral("--find-links"),
                                               QStringLiteral("-t"),
                                               QStringLiteral("--target"),
                                               QStringLiteral("--prefix"),
                                               QStringLiteral("--root"),
                                               QStringLiteral("--trusted-host"),
                                               QStringLiteral("--platform"),
                                               QStringLiteral("--python-version"),
                                               QStringLiteral("--implementation"),
                                               QStringLiteral("--abi"),
                                               QStringLiteral("--src"),
                                               QStringLiteral("--upgrade-strategy"),
                                               QStringLiteral("--progress-bar"),
                                               QStringLiteral("--cache-dir"),
                                               QStringLiteral("--log"),
                                               QStringLiteral("--only-binary"),
                                               QStringLiteral("--no-binary")};
        if (pipName.match(name).hasMatch()) {
            sub = subcommandIndex(cmd, valueFlags);
        } else if (pythonName.match(name).hasMatch()) {
            for (qsizetype i = 1; i + 1 < cmd.words.size(); ++i) {
                if (cmd.words.at(i).text == u"-m" &&
                    pipName.match(cmd.words.at(i + 1).text).hasMatch()) {
                    for (qsizetype j = i + 2; j < cmd.words.size(); ++j) {
                        if (!cmd.words.at(j).text.startsWith(u'-')) {
                            sub = j;
                            break;
                        }
                    }
                    break;
                }
            }
        }
        if (sub < 0 || cmd.words.at(sub).text != u"install")
            return;
        // DL3013 as hadolint: requirement files, `.` and constraint files make the command fine;
        // a package is pinned by a version operator, a VCS URL with @, a local wheel/sdist or a
        // path.
        const bool requirements = cmd.hasArgument(u"-r") || cmd.hasArgument(u"--requirement") ||
                                  cmd.hasArgument(u".") || cmd.hasFlag(u'c', u"--constraint");
        static const QRegularExpression pinned(QStringLiteral("(==|>=|<=|~=|!=|<|>)"));
        static const QRegularExpression vcs(QStringLiteral("^(git|hg|svn|bzr)(\\+|$|:)"));
        for (const ShellWord &p : packagesAfter(cmd, sub, valueFlags)) {
            if (requirements)
                break;
            const QString &t = p.text;
            const bool isVcs = vcs.match(t).hasMatch();
            if (pinned.match(t).hasMatch() || (isVcs && t.contains(u'@')) || t.endsWith(u".whl") ||
                t.endsWith(u".tar.gz") || (!isVcs && t.contains(u'/')) || t.contains(u'$'))
                continue;
            report(u"DL3013", part.text->range(p.start, p.end));
        }
        static const QStringList truthy = {QStringLiteral("1"),    QStringLiteral("true"),
                                           QStringLiteral("True"), QStringLiteral("TRUE"),
                                           QStringLiteral("on"),   QStringLiteral("On"),
                                           QStringLiteral("ON"),   QStringLiteral("yes"),
                                           QStringLiteral("Yes"),  QStringLiteral("YES")};
        const qsizetype inline_ = part.text->text.indexOf(u"PIP_NO_CACHE_DIR=");
        const bool inlineNoCache =
            inline_ >= 0 &&
            truthy.contains(part.text->text.mid(inline_ + 17).section(u' ', 0, 0).remove(u'"'));
        if (!cmd.hasArgument(u"--no-cache-dir") && !(st && st->pipNoCache) && !inlineNoCache &&
            !hasCacheMount(ins, u"/root/.cache"))
            report(u"DL3042", range, {}, tr("add --no-cache-dir"));
    }

    void downloader(const QString &tool, Range range)
    {
        if (m_downloader.isEmpty()) {
            m_downloader = tool;
        } else if (m_downloader != tool) {
            report(u"DL4001", range);
        }
    }

    const Dockerfile &m_df;
    const LintOptions &m_options;
    diag::Diagnostics m_out;
    QSet<QString> m_checkSkip;
    QSet<QString> m_experimental;
    bool m_checkError = false;
    QHash<QString, QString> m_globalArgs;
    QSet<QString> m_stageNames;
    QSet<int> m_usedAsBase;
    QList<StageState> m_states;
    const Instruction *m_previous = nullptr;
    QList<QPair<int, Range>> m_aptForgets;
    QList<QPair<QString, Range>> m_archives;
    QString m_downloader;
    QSet<QString> m_copiedFrom;
    QList<QPair<QRegularExpression, bool>> m_ignore;
    qsizetype m_previousRunCommands = 0;
};

struct Pragmas
{
    QSet<QString> global;
    QList<QPair<QPair<int, int>, QSet<QString>>> lines; ///< [startLine, endLine] -> codes
    QSet<QString> checkSkip;
    bool checkSkipAll = false;
};

Pragmas pragmas(const Dockerfile &df)
{
    Pragmas p;
    QSet<int> commentLines;
    for (const Comment &c : df.comments)
        commentLines.insert(c.range.start.line);
    for (const Comment &c : df.comments) {
        const QString t = c.text.trimmed();
        if (!t.startsWith(u"hadolint "))
            continue;
        const QString rest = t.mid(9).trimmed();
        const bool global = rest.startsWith(u"global ");
        const QString body = global ? rest.mid(7).trimmed() : rest;
        if (!body.startsWith(u"ignore="))
            continue;
        QSet<QString> codes;
        for (const QString &code : body.mid(7).split(u',', Qt::SkipEmptyParts))
            codes.insert(code.trimmed().section(u' ', 0, 0));
        if (global) {
            p.global.unite(codes);
            continue;
        }
        // The next instruction, with only comment lines in between.
        for (const Instruction &ins : df.instructions) {
            if (ins.startLine <= c.range.start.line)
                continue;
            bool adjacent = true;
            for (int l = c.range.start.line + 1; l < ins.startLine; ++l)
                adjacent = adjacent && commentLines.contains(l);
            if (adjacent)
                p.lines.append({{ins.startLine, ins.range.end.line}, codes});
            break;
        }
    }
    if (const Directive *check = df.directive(u"check")) {
        for (const QString &part : check->value.split(u';', Qt::SkipEmptyParts)) {
            if (part.section(u'=', 0, 0).trimmed().toLower() != u"skip")
                continue;
            for (const QString &r : part.section(u'=', 1).split(u',', Qt::SkipEmptyParts)) {
                if (r.trimmed() == u"all")
                    p.checkSkipAll = true;
                p.checkSkip.insert(r.trimmed());
            }
        }
    }
    return p;
}

} // namespace

const QList<RuleInfo> &Linter::rules()
{
    static const QList<RuleInfo> list = [] {
        QList<RuleInfo> out;
        for (const RuleDef &d : kRules) {
            out.append(RuleInfo{QString::fromUtf16(d.code), d.source, d.severity, d.on,
                                QCoreApplication::translate("stagecraft::dockerfile", d.message)});
        }
        return out;
    }();
    return list;
}

const RuleInfo *Linter::rule(QStringView code)
{
    static const QHash<QString, qsizetype> index = [] {
        QHash<QString, qsizetype> h;
        for (qsizetype i = 0; i < rules().size(); ++i)
            h.insert(rules().at(i).code, i);
        return h;
    }();
    const auto it = index.constFind(code.toString());
    return it == index.constEnd() ? nullptr : &rules().at(*it);
}

diag::Diagnostics Linter::applySuppressions(const Dockerfile &df, const diag::Diagnostics &findings,
                                            const LintOptions &options)
{
    const Pragmas p = pragmas(df);
    diag::Diagnostics out;
    for (const diag::Diagnostic &d : findings) {
        if (options.disabledRules.contains(d.code) || p.global.contains(d.code))
            continue;
        const RuleInfo *info = rule(d.code);
        if (info && info->source == RuleSource::BuildKit &&
            (p.checkSkipAll || p.checkSkip.contains(d.code)))
            continue;
        bool ignored = false;
        for (const auto &entry : p.lines) {
            if (d.range.start.line >= entry.first.first &&
                d.range.start.line <= entry.first.second && entry.second.contains(d.code))
                ignored = true;
        }
        if (!ignored)
            out.append(d);
    }
    return out;
}

diag::Diagnostics Linter::lint(const Dockerfile &dockerfile, const LintOptions &options)
{
    diag::Diagnostics all = Context(dockerfile, options).run();
    all = applySuppressions(dockerfile, all, options);
    diag::sortDiagnostics(all);
    return all;
}

diag::Diagnostics Linter::lintText(const QString &text, const QString &file,
                                   const LintOptions &options)
{
    return lint(Parser::parse(text, file), options);
}

QList<ShellScript> Linter::shellScripts(const Dockerfile &df)
{
    QList<ShellScript> scripts;
    QHash<int, QStringList> shells;
    QHash<int, QStringList> vars;
    QStringList globalArgs;
    QString pragmaShell;
    for (const Comment &c : df.comments) {
        const QString t = c.text.trimmed();
        if (t.startsWith(u"hadolint shell="))
            pragmaShell = t.mid(15).trimmed();
    }
    auto addScript = [&](const Instruction &ins, const QStringList &shell,
                         const QStringList &names) {
        if (ins.form != Form::Shell)
            return;
        QString program = pragmaShell.isEmpty() ? basename(shell.value(0)) : pragmaShell;
        if (program.contains(u"pwsh") || program.contains(u"powershell") ||
            program.contains(u"cmd"))
            return;
        if (program == u"ash" || program == u"busybox")
            program = QStringLiteral("sh");
        if (!(program == u"sh" || program == u"bash" || program == u"dash" || program == u"ksh"))
            program = QStringLiteral("sh");
        bool onlyHeredocs = true;
        for (const Word &w : ins.words) {
            bool marker = false;
            for (const Heredoc &h : ins.heredocs)
                marker = marker || w.range == h.markerRange;
            onlyHeredocs = onlyHeredocs && marker;
        }
        auto fromSource = [&](const SourceText &src, bool continuation) {
            ShellScript s;
            s.shell = program;
            s.file = df.file;
            s.variables = names;
            if (src.isEmpty())
                return s;
            s.lineStarts.append(src.at(0));
            for (qsizetype i = 0; i < src.size(); ++i) {
                const QChar c = src.text.at(i);
                if (continuation && i > 0 &&
                    src.positions.at(i).line != src.positions.at(i - 1).line) {
                    s.text += QStringLiteral("\\\n");
                    s.lineStarts.append(src.positions.at(i));
                }
                s.text += c;
                if (c == u'\n' && i + 1 < src.size())
                    s.lineStarts.append(src.positions.at(i + 1));
            }
            return s;
        };
        if (onlyHeredocs && !ins.heredocs.isEmpty()) {
            for (const Heredoc &h : ins.heredocs) {
                if (!heredocIsScript(ins, h))
                    continue;
                ShellScript s = fromSource(h.body, false);
                if (h.body.text.startsWith(u"#!")) {
                    const QString shebang = h.body.text.section(u'\n', 0, 0);
                    s.shell = shebang.contains(u"bash")  ? QStringLiteral("bash")
                              : shebang.contains(u"ksh") ? QStringLiteral("ksh")
                                                         : QStringLiteral("sh");
                }
                if (!s.text.isEmpty())
                    scripts.append(s);
            }
            return;
        }
        ShellScript s = fromSource(ins.args, true);
        // Heredoc bodies follow the command line as real shell heredocs.
        for (const Heredoc &h : ins.heredocs) {
            s.text += u'\n';
            const SourceText &b = h.body;
            for (qsizetype i = 0; i < b.size(); ++i) {
                if (i == 0 || b.text.at(i - 1) == u'\n')
                    s.lineStarts.append(b.positions.at(i));
                s.text += b.text.at(i);
            }
            s.text += h.delimiter;
            s.lineStarts.append(Position{h.body.endPosition.line + 1, 1});
        }
        if (!s.text.isEmpty())
            scripts.append(s);
    };
    for (const Instruction &ins : df.instructions) {
        if (ins.stage < 0) {
            if (ins.name == u"ARG") {
                for (const KeyValue &kv : ins.pairs)
                    globalArgs.append(kv.key);
            }
            continue;
        }
        const Stage &stage = df.stages.at(ins.stage);
        if (!shells.contains(ins.stage)) {
            shells[ins.stage] = stage.parent >= 0 && shells.contains(stage.parent)
                                    ? shells.value(stage.parent)
                                    : defaultShell(df, ins.stage);
            vars[ins.stage] = stage.parent >= 0 ? vars.value(stage.parent) : QStringList();
            vars[ins.stage] += predefinedArgs();
        }
        if (ins.name == u"SHELL" && ins.form == Form::Json) {
            QStringList sh;
            for (const Word &w : ins.words)
                sh.append(w.text);
            shells[ins.stage] = sh;
        } else if (ins.name == u"ARG" || ins.name == u"ENV") {
            for (const KeyValue &kv : ins.pairs)
                vars[ins.stage].append(kv.key);
        } else if (ins.name == u"RUN") {
            addScript(ins, shells.value(ins.stage), vars.value(ins.stage));
        } else if (ins.trigger && ins.trigger->name == u"RUN") {
            addScript(*ins.trigger, shells.value(ins.stage), vars.value(ins.stage));
        }
    }
    return scripts;
}

} // namespace stagecraft::dockerfile
