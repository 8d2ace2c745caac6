#include "problemsmodel.h"

#include <QApplication>
#include <QStyle>

namespace stagecraft::gui {

ProblemsModel::ProblemsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ProblemsModel::setDiagnostics(const diag::Diagnostics &diagnostics)
{
    beginResetModel();
    m_diagnostics = diagnostics;
    endResetModel();
}

const diag::Diagnostic *ProblemsModel::diagnostic(const QModelIndex &index) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return nullptr;
    return &m_diagnostics.at(index.row());
}

int ProblemsModel::count(diag::Severity severity) const
{
    return diag::countOf(m_diagnostics, severity);
}

int ProblemsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_diagnostics.size());
}

int ProblemsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProblemsModel::data(const QModelIndex &index, int role) const
{
    const diag::Diagnostic *d = diagnostic(index);
    if (!d)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SeverityColumn:
            return severityText(d->severity);
        case MessageColumn:
            return d->message;
        case FileColumn:
            return d->file;
        case PositionColumn:
            if (d->range.start.line <= 0)
                return QString();
            return QStringLiteral("%1:%2").arg(d->range.start.line).arg(d->range.start.column);
        case CodeColumn:
            return d->code;
        default:
            return {};
        }
    case Qt::DecorationRole:
        if (index.column() == SeverityColumn)
            return severityIcon(d->severity);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == MessageColumn) {
            QString tip = d->message;
            if (!d->hint.isEmpty())
                tip += u'\n' + d->hint;
            if (!d->code.isEmpty())
                tip += u"\n[" + d->code + u']';
            return tip;
        }
        if (index.column() == CodeColumn && !d->hint.isEmpty())
            return d->hint; // ShellCheck's wiki page for SC codes
        return {};
    case SeverityRole:
        return int(d->severity);
    case CodeRole:
        return d->code;
    case FileRole:
        return d->file;
    case LineRole:
        return d->range.start.line;
    case ColumnRole:
        return d->range.start.column;
    case EndLineRole:
        return d->range.end.line;
    case EndColumnRole:
        return d->range.end.column;
    default:
        return {};
    }
}

QVariant ProblemsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case MessageColumn:
        return tr("Message");
    case FileColumn:
        return tr("File");
    case PositionColumn:
        return tr("Line:Col");
    case CodeColumn:
        return tr("Code");
    default:
        return {};
    }
}

QHash<int, QByteArray> ProblemsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(SeverityRole, "severity");
    names.insert(CodeRole, "code");
    names.insert(FileRole, "file");
    names.insert(LineRole, "line");
    names.insert(ColumnRole, "column");
    names.insert(EndLineRole, "endLine");
    names.insert(EndColumnRole, "endColumn");
    return names;
}

QIcon ProblemsModel::severityIcon(diag::Severity severity)
{
    QStyle *style = QApplication::style();
    switch (severity) {
    case diag::Severity::Error:
        return style->standardIcon(QStyle::SP_MessageBoxCritical);
    case diag::Severity::Warning:
        return style->standardIcon(QStyle::SP_MessageBoxWarning);
    case diag::Severity::Info:
        return style->standardIcon(QStyle::SP_MessageBoxInformation);
    }
    return {};
}

QString ProblemsModel::severityText(diag::Severity severity)
{
    switch (severity) {
    case diag::Severity::Error:
        return tr("Error");
    case diag::Severity::Warning:
        return tr("Warning");
    case diag::Severity::Info:
        return tr("Info");
    }
    return {};
}

} // namespace stagecraft::gui
