#pragma once

#include "exec/state.h"

#include <QColor>
#include <QCoreApplication>
#include <QIcon>
#include <QString>

class QPainter;
class QRectF;

namespace stagecraft::gui {

/// How a job's status looks, as in GitLab's pipeline graph and jobs list: colour, icon and
/// name (running blue, success green, failed red, allowed failure orange, manual gear, skipped
/// and canceled grey).
class JobStatusLook
{
    Q_DECLARE_TR_FUNCTIONS(stagecraft::gui::JobStatusLook)

public:
    static QColor color(exec::JobStatus status, bool allowedToFail = false);
    /// GitLab's words in the jobs list: "passed", "failed", "running", "manual", ...
    static QString text(exec::JobStatus status, bool allowedToFail = false);
    /// A pipeline's status in the same words ("passed", "failed", "running", ...).
    static QString text(exec::PipelineStatus status);
    /// The round status icon, drawn into `rect`.
    static void paint(QPainter &painter, const QRectF &rect, exec::JobStatus status,
                      bool allowedToFail = false);
    static QIcon icon(exec::JobStatus status, bool allowedToFail = false, int size = 16);
};

} // namespace stagecraft::gui
