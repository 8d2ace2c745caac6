#pragma once

// A minimal writer over libgit2 for building test repositories (tests only: the product reads
// repositories through git::Repository and never writes them).

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QtTest>

#include <git2.h>

namespace gittest {

/// Minimal writer over libgit2 for building test repositories.
class RepoBuilder
{
public:
    explicit RepoBuilder(const QString &path, const char *initialBranch = "main")
        : m_path(path)
    {
        git_libgit2_init();
        git_repository_init_options o = GIT_REPOSITORY_INIT_OPTIONS_INIT;
        o.initial_head = initialBranch;
        QVERIFY(git_repository_init_ext(&m_repo, QFile::encodeName(path).constData(), &o) == 0);
    }
    ~RepoBuilder()
    {
        git_repository_free(m_repo);
        git_libgit2_shutdown();
    }

    void write(const QString &file, const QByteArray &content)
    {
        const QString full = QDir(m_path).filePath(file);
        QDir().mkpath(QFileInfo(full).absolutePath());
        QFile f(full);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
    }

    void remove(const QString &file) { QFile::remove(QDir(m_path).filePath(file)); }

    /// Stages everything and commits on HEAD; returns the SHA.
    QString commit(const char *message)
    {
        git_index *index = nullptr;
        git_repository_index(&index, m_repo);
        const char *all = "*";
        git_strarray paths{const_cast<char **>(&all), 1};
        git_index_add_all(index, &paths, GIT_INDEX_ADD_DEFAULT, nullptr, nullptr);
        git_index_update_all(index, &paths, nullptr, nullptr);
        git_index_write(index);
        git_oid treeId;
        git_index_write_tree(&treeId, index);
        git_index_free(index);
        git_tree *tree = nullptr;
        git_tree_lookup(&tree, m_repo, &treeId);
        git_signature *sig = nullptr;
        git_signature_new(&sig, "Testersen", "test@test.com", 1700000000 + (m_time++), 0);
        git_oid parentId;
        git_commit *parent = nullptr;
        int parents = 0;
        if (git_reference_name_to_id(&parentId, m_repo, "HEAD") == 0) {
            git_commit_lookup(&parent, m_repo, &parentId);
            parents = 1;
        }
        const git_commit *parentList[] = {parent};
        git_oid id;
        git_commit_create(&id, m_repo, "HEAD", sig, sig, nullptr, message, tree, parents,
                          parentList);
        git_commit_free(parent);
        git_signature_free(sig);
        git_tree_free(tree);
        char hex[GIT_OID_HEXSZ + 1];
        git_oid_tostr(hex, sizeof hex, &id);
        return QString::fromLatin1(hex);
    }

    void branch(const char *name, const QString &at)
    {
        git_oid id;
        git_oid_fromstr(&id, at.toLatin1().constData());
        git_commit *c = nullptr;
        git_commit_lookup(&c, m_repo, &id);
        git_reference *ref = nullptr;
        git_branch_create(&ref, m_repo, name, c, 1);
        git_reference_free(ref);
        git_commit_free(c);
    }

    /// Points HEAD at a branch and checks its tree out (forced).
    void checkout(const char *branch)
    {
        const QByteArray ref = QByteArray("refs/heads/") + branch;
        git_repository_set_head(m_repo, ref.constData());
        git_checkout_options o = GIT_CHECKOUT_OPTIONS_INIT;
        o.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_REMOVE_UNTRACKED;
        git_checkout_head(m_repo, &o);
    }

    void detach(const QString &at)
    {
        git_oid id;
        git_oid_fromstr(&id, at.toLatin1().constData());
        git_repository_set_head_detached(m_repo, &id);
    }

    void tag(const char *name, const QString &at)
    {
        git_oid id;
        git_oid_fromstr(&id, at.toLatin1().constData());
        git_object *obj = nullptr;
        git_object_lookup(&obj, m_repo, &id, GIT_OBJECT_COMMIT);
        git_oid tagId;
        git_tag_create_lightweight(&tagId, m_repo, name, obj, 1);
        git_object_free(obj);
    }

    void remote(const char *url, const char *headBranch, const QString &at)
    {
        git_remote *r = nullptr;
        git_remote_create(&r, m_repo, "origin", url);
        git_remote_free(r);
        git_oid id;
        git_oid_fromstr(&id, at.toLatin1().constData());
        git_reference *ref = nullptr;
        const QByteArray name = QByteArray("refs/remotes/origin/") + headBranch;
        git_reference_create(&ref, m_repo, name.constData(), &id, 1, nullptr);
        git_reference_free(ref);
        git_reference_symbolic_create(&ref, m_repo, "refs/remotes/origin/HEAD", name.constData(), 1,
                                      nullptr);
        git_reference_free(ref);
    }

private:
    QString m_path;
    git_repository *m_repo = nullptr;
    int m_time = 0;
};

} // namespace gittest
