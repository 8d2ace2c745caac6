#pragma once

#include "diag/diagnostic.h"

#include <QAbstractTableModel>
#include <QIcon>

namespace stagecraft::gui {

/// The problems list: one row per diagnostic of the last lint, as the problems dock shows it.
class ProblemsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProblemsModel)

public:
    enum Column {
        SeverityColumn,
        MessageColumn,
        FileColumn,
        PositionColumn,
        CodeColumn, ///< the diagnostic's code: unknown-key, DL3008, SC2086 ...
        ColumnCount
    };
    enum Role {
        SeverityRole = Qt::UserRole, ///< diag::Severity as int
        CodeRole,
        FileRole,
        LineRole,   ///< 1-based
        ColumnRole, ///< 1-based
        EndLineRole,
        EndColumnRole,
    };

    explicit ProblemsModel(QObject *parent = nullptr);

    /// Replaces all rows (a lint result replaces the previous one as a whole).
    void setDiagnostics(const diag::Diagnostics &diagnostics);
    const diag::Diagnostics &diagnostics() const { return m_diagnostics; }
    /// The diagnostic of a row; nullptr for an invalid index.
    const diag::Diagnostic *diagnostic(const QModelIndex &index) const;
    int count(diag::Severity severity) const;

    int rowCount(const QModelIndex &parent = {}) const final;
    int columnCount(const QModelIndex &parent = {}) const final;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const final;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const final;
    QHash<int, QByteArray> roleNames() const final;

    static QIcon severityIcon(diag::Severity severity);
    static QString severityText(diag::Severity severity);

private:
    diag::Diagnostics m_diagnostics;
};

} // namespace stagecraft::gui
