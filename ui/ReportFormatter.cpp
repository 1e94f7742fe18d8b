#include "ReportFormatter.h"

#include "controllers/CertificateTrust.h"
#include "net/CertificateDecision.h"

#include <QDateTime>
#include <QLabel>
#include <QPalette>
#include <QStringList>

namespace wharf::ui {

namespace {

QString distinguishedName(const QSslCertificate &certificate, bool issuer)
{
    auto field = [&](QSslCertificate::SubjectInfo info) {
        const QStringList values =
            issuer ? certificate.issuerInfo(info) : certificate.subjectInfo(info);
        return values.join(QStringLiteral(", "));
    };
    QStringList parts;
    for (auto info : {QSslCertificate::CommonName, QSslCertificate::Organization,
                      QSslCertificate::CountryName}) {
        const QString value = field(info);
        if (!value.isEmpty())
            parts.append(value);
    }
    if (parts.isEmpty())
        return issuer ? certificate.issuerDisplayName() : certificate.subjectDisplayName();
    return parts.join(QStringLiteral(", "));
}

QString row(const QString &label, const QString &valueHtml)
{
    return QStringLiteral("<tr><td style=\"padding-right:12px\"><b>%1</b></td><td>%2</td></tr>")
        .arg(label.toHtmlEscaped(), valueHtml);
}

QString mono(const QString &text)
{
    QString html = text.toHtmlEscaped();
    html.replace(u'\n', QStringLiteral("<br>"));
    return QStringLiteral("<code>%1</code>").arg(html);
}

QString coloured(const QString &text, const QColor &color)
{
    return QStringLiteral("<span style=\"color:%1\">%2</span>")
        .arg(color.name(), text.toHtmlEscaped());
}

} // namespace

QColor warningColor(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128 ? QColor(0xff, 0x6b, 0x6b)
                                                             : QColor(0xb3, 0x26, 0x1e);
}

void styleAsWarning(QLabel *label)
{
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, warningColor(palette));
    label->setPalette(palette);
}

QString ReportFormatter::subjectName(const QSslCertificate &certificate)
{
    return distinguishedName(certificate, false);
}

QString ReportFormatter::issuerName(const QSslCertificate &certificate)
{
    return distinguishedName(certificate, true);
}

QString ReportFormatter::validity(const QSslCertificate &certificate)
{
    const QDateTime from = certificate.effectiveDate().toUTC();
    const QDateTime until = certificate.expiryDate().toUTC();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QString state = now < from    ? tr("not valid yet")
                          : now > until ? tr("expired")
                                        : tr("currently valid");
    const QString format = QStringLiteral("yyyy-MM-dd HH:mm");
    return tr("%1 to %2 UTC (%3)").arg(from.toString(format), until.toString(format), state);
}

QString ReportFormatter::groupedHex(const QByteArray &hex)
{
    QString text;
    for (qsizetype i = 0; i < hex.size(); i += 4) {
        if (i > 0)
            text += (i % 32 == 0) ? u'\n' : u' ';
        text += QString::fromLatin1(hex.mid(i, 4));
    }
    return text;
}

QString ReportFormatter::reportHtml(const controllers::ProbeReport &report, TrustOrigin origin,
                                    const QDateTime &pinnedAt, const QColor &warning)
{
    const net::ServerInfo &server = report.server;
    QString rows;
    if (!server.greetingBeforeTls.isEmpty()) {
        rows += row(tr("Greeting before TLS"),
                    QString::fromUtf8(server.greetingBeforeTls).toHtmlEscaped() +
                        QStringLiteral("<br>") +
                        coloured(tr("(sent unencrypted, so not trusted)"), warning));
    }
    if (!server.greeting.isEmpty())
        rows += row(tr("Greeting"), QString::fromUtf8(server.greeting).toHtmlEscaped());
    QStringList capabilities;
    for (const QByteArray &capability : server.capabilities)
        capabilities.append(QString::fromUtf8(capability));
    rows += row(tr("Capabilities"), capabilities.isEmpty()
                                        ? tr("none announced")
                                        : capabilities.join(QStringLiteral(", ")).toHtmlEscaped());
    if (!report.encrypted) {
        rows += row(tr("Encryption"), coloured(tr("None: plaintext, as you chose"), warning));
    } else {
        rows += row(tr("TLS version"), report.tlsProtocol.toHtmlEscaped());
        rows += row(tr("Cipher"), report.cipher.toHtmlEscaped());
        QString trust;
        switch (origin) {
        case TrustOrigin::System:
            trust = tr("Certificate trusted by the system").toHtmlEscaped();
            break;
        case TrustOrigin::AcceptedNow:
            trust = coloured(tr("Not trusted by the system; you trusted this key, and Wharf "
                                "accepts it for this server from now on"),
                             warning);
            break;
        case TrustOrigin::Pinned:
            trust = tr("Key pinned by you on %1: Wharf accepts this key, and only this key, "
                       "for this server")
                        .arg(controllers::pinDate(pinnedAt))
                        .toHtmlEscaped();
            break;
        }
        rows += row(tr("Trust"), trust);
    }
    if (!report.chain.isEmpty()) {
        const QSslCertificate &leaf = report.chain.first();
        rows += row(tr("Subject"), subjectName(leaf).toHtmlEscaped());
        rows += row(tr("Issuer"), issuerName(leaf).toHtmlEscaped());
        rows += row(tr("Valid"), validity(leaf).toHtmlEscaped());
        rows += row(tr("SHA-256 (certificate)"), mono(groupedHex(net::certificateSha256(leaf))));
        rows += row(tr("SHA-256 (public key)"), mono(groupedHex(report.publicKeySha256)));
    }
    const QString heading = tr("%1 answered").arg(report.endpoint.toUrl());
    return QStringLiteral("<p><b>%1</b></p><table cellspacing=\"0\" cellpadding=\"3\">%2</table>")
        .arg(heading.toHtmlEscaped(), rows);
}

QString ReportFormatter::errorHtml(const Error &error, const QColor &warning)
{
    return QStringLiteral("<p style=\"color:%1\"><b>%2</b></p><p style=\"color:%1\">%3</p>")
        .arg(warning.name(), tr("The check failed.").toHtmlEscaped(),
             error.message().toHtmlEscaped());
}

QString ReportFormatter::noteHtml(const QString &text)
{
    return QStringLiteral("<p><i>%1</i></p>").arg(text.toHtmlEscaped());
}

} // namespace wharf::ui
