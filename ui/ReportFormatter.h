#pragma once

#include "controllers/ServerProbe.h"
#include "core/Error.h"

#include <QColor>
#include <QCoreApplication>
#include <QDateTime>
#include <QSslCertificate>
#include <QString>

class QLabel;
class QPalette;

namespace wharf::ui {

// A red that stays readable on light and on dark palettes.
QColor warningColor(const QPalette &palette);
void styleAsWarning(QLabel *label);

// Turns what the controllers report into text for people; shared by the dialogs so a
// certificate reads the same in the check result and in the trust question.
class ReportFormatter
{
    Q_DECLARE_TR_FUNCTIONS(ReportFormatter)
public:
    // Why the certificate of an encrypted connection was trusted.
    enum class TrustOrigin
    {
        System,      // the system's (or the extra) CAs
        AcceptedNow, // the user trusted the key in the certificate question just now
        Pinned,      // the key the user pinned for this server before (pinnedAt)
    };
    static QString reportHtml(const controllers::ProbeReport &report, TrustOrigin origin,
                              const QDateTime &pinnedAt, const QColor &warning);
    static QString errorHtml(const Error &error, const QColor &warning);
    static QString noteHtml(const QString &text);

    // "CN, O, C" rather than Qt's display name alone: the organisation is what people check.
    static QString subjectName(const QSslCertificate &certificate);
    static QString issuerName(const QSslCertificate &certificate);
    static QString validity(const QSslCertificate &certificate);
    // Groups of four in two lines: fingerprints are compared by eye, and 64 digits in one
    // run neither wrap nor read well.
    static QString groupedHex(const QByteArray &hex);
};

} // namespace wharf::ui
