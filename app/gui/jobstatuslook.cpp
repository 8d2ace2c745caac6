#include "jobstatuslook.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

#include <cmath>

namespace stagecraft::gui {

using exec::JobStatus;

QColor JobStatusLook::color(JobStatus status, bool allowedToFail)
{
    // GitLab's status colours (Pajamas): the same on light and dark backgrounds.
    switch (status) {
    case JobStatus::Success:
        return QColor(0x10, 0x85, 0x48);
    case JobStatus::Failed:
        return allowedToFail ? QColor(0xc1, 0x7d, 0x10) : QColor(0xdd, 0x2b, 0x0e);
    case JobStatus::Running:
        return QColor(0x1f, 0x75, 0xcb);
    case JobStatus::Pending:
    case JobStatus::WaitingForResource:
        return QColor(0xc1, 0x7d, 0x10);
    case JobStatus::Preparing:
    case JobStatus::Created:
        return QColor(0x89, 0x88, 0x8d);
    case JobStatus::Canceled:
    case JobStatus::Manual:
    case JobStatus::Scheduled:
        return QColor(0x53, 0x51, 0x58);
    case JobStatus::Skipped:
        return QColor(0xa4, 0xa3, 0xa8);
    }
    return {};
}

QString JobStatusLook::text(JobStatus status, bool allowedToFail)
{
    switch (status) {
    case JobStatus::Created:
        return tr("created");
    case JobStatus::WaitingForResource:
        return tr("waiting for resource");
    case JobStatus::Pending:
        return tr("pending");
    case JobStatus::Preparing:
        return tr("preparing");
    case JobStatus::Running:
        return tr("running");
    case JobStatus::Success:
        return tr("passed");
    case JobStatus::Failed:
        return allowedToFail ? tr("failed (allowed to fail)") : tr("failed");
    case JobStatus::Canceled:
        return tr("canceled");
    case JobStatus::Skipped:
        return tr("skipped");
    case JobStatus::Manual:
        return tr("manual");
    case JobStatus::Scheduled:
        return tr("scheduled");
    }
    return {};
}

QString JobStatusLook::text(exec::PipelineStatus status)
{
    switch (status) {
    case exec::PipelineStatus::Created:
        return tr("created");
    case exec::PipelineStatus::Running:
        return tr("running");
    case exec::PipelineStatus::Success:
        return tr("passed");
    case exec::PipelineStatus::Failed:
        return tr("failed");
    case exec::PipelineStatus::Canceled:
        return tr("canceled");
    case exec::PipelineStatus::Skipped:
        return tr("skipped");
    case exec::PipelineStatus::Manual:
        return tr("manual");
    }
    return {};
}

void JobStatusLook::paint(QPainter &p, const QRectF &rect, JobStatus status, bool allowedToFail)
{
    const QColor c = color(status, allowedToFail);
    const double side = std::min(rect.width(), rect.height());
    const QRectF r(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side);
    const QPointF m = r.center();
    const double u = side / 16.0; // drawn on GitLab's 16-px grid
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    QPen ring(c, 1.6 * u);
    QPen glyph(Qt::white, 1.8 * u, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    const QRectF inner = r.adjusted(0.9 * u, 0.9 * u, -0.9 * u, -0.9 * u);
    auto filled = [&] {
        p.setPen(Qt::NoPen);
        p.setBrush(c);
        p.drawEllipse(r);
        p.setPen(glyph);
        p.setBrush(Qt::NoBrush);
    };
    auto outlined = [&] {
        p.setPen(ring);
        p.setBrush(Qt::white);
        p.drawEllipse(inner);
        p.setPen(QPen(c, 1.6 * u, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.setBrush(Qt::NoBrush);
    };
    auto at = [&](double x, double y) { return QPointF(m.x() + x * u, m.y() + y * u); };
    switch (status) {
    case JobStatus::Success: {
        filled();
        QPainterPath check(at(-3.5, 0.2));
        check.lineTo(at(-1, 2.7));
        check.lineTo(at(3.7, -2.3));
        p.drawPath(check);
        break;
    }
    case JobStatus::Failed:
        filled();
        if (allowedToFail) {
            // GitLab's warning: an exclamation mark.
            p.drawLine(at(0, -3.8), at(0, 0.8));
            p.drawPoint(at(0, 3.6));
        } else {
            p.drawLine(at(-2.8, -2.8), at(2.8, 2.8));
            p.drawLine(at(-2.8, 2.8), at(2.8, -2.8));
        }
        break;
    case JobStatus::Running: {
        outlined();
        // Half filled: GitLab's running icon.
        p.setPen(Qt::NoPen);
        p.setBrush(c);
        const QRectF dot = r.adjusted(3.6 * u, 3.6 * u, -3.6 * u, -3.6 * u);
        p.drawPie(dot, 90 * 16, -180 * 16);
        break;
    }
    case JobStatus::Pending:
    case JobStatus::WaitingForResource:
        outlined();
        p.drawLine(at(-1.6, -2.6), at(-1.6, 2.6));
        p.drawLine(at(1.6, -2.6), at(1.6, 2.6));
        break;
    case JobStatus::Created:
    case JobStatus::Preparing:
        outlined();
        if (status == JobStatus::Preparing) {
            p.setPen(QPen(c, 1.6 * u, Qt::DotLine));
            p.drawEllipse(r.adjusted(4 * u, 4 * u, -4 * u, -4 * u));
        }
        break;
    case JobStatus::Canceled:
        outlined();
        p.drawLine(at(-3, 3), at(3, -3));
        break;
    case JobStatus::Skipped:
        outlined();
        for (double dx : {-2.2, 1.0}) {
            QPainterPath chevron(at(dx - 1.2, -2.8));
            chevron.lineTo(at(dx + 1.6, 0));
            chevron.lineTo(at(dx - 1.2, 2.8));
            p.drawPath(chevron);
        }
        break;
    case JobStatus::Manual: {
        // A gear: GitLab's manual action icon.
        outlined();
        p.setPen(QPen(c, 1.3 * u, Qt::SolidLine, Qt::RoundCap));
        for (int k = 0; k < 8; ++k) {
            const double a = k * M_PI / 4;
            p.drawLine(at(2.4 * std::cos(a), 2.4 * std::sin(a)),
                       at(4.2 * std::cos(a), 4.2 * std::sin(a)));
        }
        p.setBrush(Qt::white);
        p.drawEllipse(m, 2.4 * u, 2.4 * u);
        break;
    }
    case JobStatus::Scheduled:
        outlined();
        p.drawLine(at(0, 0), at(0, -3.2));
        p.drawLine(at(0, 0), at(2.4, 1.4));
        break;
    }
    p.restore();
}

QIcon JobStatusLook::icon(JobStatus status, bool allowedToFail, int size)
{
    QIcon icon;
    for (const int scale : {1, 2}) {
        QPixmap pixmap(size * scale, size * scale);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        paint(p, QRectF(0.5, 0.5, size * scale - 1, size * scale - 1), status, allowedToFail);
        p.end();
        pixmap.setDevicePixelRatio(scale);
        icon.addPixmap(pixmap);
    }
    return icon;
}

} // namespace stagecraft::gui
