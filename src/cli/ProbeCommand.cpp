#include "cli/ProbeCommand.h"

#include "cli/ExitCode.h"
#include "cli/Interrupt.h"
#include "cli/ProfileLookup.h"
#include "cli/TrustCommand.h"
#include "controllers/ServerProbe.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslCertificate>

namespace wharf::cli {

namespace {

QString certificateName(const QSslCertificate &certificate, bool issuer)
{
    return issuer ? certificate.issuerDisplayName() : certificate.subjectDisplayName();
}

QString utcIso(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODate);
}

QJsonObject toJson(const controllers::ProbeReport &report)
{
    QJsonObject object;
    object[QStringLiteral("url")] = report.endpoint.toUrl();
    object[QStringLiteral("greeting")] = QString::fromUtf8(report.server.greeting);
    if (!report.server.greetingBeforeTls.isEmpty()) {
        object[QStringLiteral("greeting_before_tls")] =
            QString::fromUtf8(report.server.greetingBeforeTls);
    }
    QJsonArray capabilities;
    for (const QByteArray &capability : report.server.capabilities)
        capabilities.append(QString::fromUtf8(capability));
    object[QStringLiteral("capabilities")] = capabilities;
    object[QStringLiteral("encrypted")] = report.encrypted;
    if (report.encrypted) {
        object[QStringLiteral("tls_version")] = report.tlsProtocol;
        object[QStringLiteral("cipher")] = report.cipher;
    }
    if (!report.chain.isEmpty()) {
        const QSslCertificate &leaf = report.chain.first();
        QJsonObject certificate;
        certificate[QStringLiteral("subject")] = certificateName(leaf, false);
        certificate[QStringLiteral("issuer")] = certificateName(leaf, true);
        certificate[QStringLiteral("not_after")] = utcIso(leaf.expiryDate());
        certificate[QStringLiteral("sha256")] = QString::fromLatin1(net::certificateSha256(leaf));
        certificate[QStringLiteral("public_key_sha256")] =
            QString::fromLatin1(report.publicKeySha256);
        object[QStringLiteral("certificate")] = certificate;
    }
    return object;
}

QString toText(const controllers::ProbeReport &report)
{
    QString text;
    auto row = [&text](const QString &label, const QString &value) {
        text += label.leftJustified(14) + value + u'\n';
    };
    row(QStringLiteral("URL:"), report.endpoint.toUrl());
    if (!report.server.greetingBeforeTls.isEmpty()) {
        row(QStringLiteral("Greeting:"), QString::fromUtf8(report.server.greetingBeforeTls) +
                                             QStringLiteral("  [plaintext, before STARTTLS]"));
    } else {
        row(QStringLiteral("Greeting:"), QString::fromUtf8(report.server.greeting));
    }
    QStringList capabilities;
    for (const QByteArray &capability : report.server.capabilities)
        capabilities.append(QString::fromUtf8(capability));
    row(QStringLiteral("Capabilities:"), capabilities.join(QStringLiteral(", ")));
    if (!report.encrypted) {
        row(QStringLiteral("TLS:"), QStringLiteral("none (plaintext chosen explicitly)"));
        return text;
    }
    row(QStringLiteral("TLS:"), report.tlsProtocol + QStringLiteral(", ") + report.cipher);
    if (!report.chain.isEmpty()) {
        const QSslCertificate &leaf = report.chain.first();
        row(QStringLiteral("Subject:"), certificateName(leaf, false));
        row(QStringLiteral("Issuer:"), certificateName(leaf, true));
        row(QStringLiteral("Expires:"), utcIso(leaf.expiryDate()));
        row(QStringLiteral("SHA-256:"), QString::fromLatin1(net::certificateSha256(leaf)));
        row(QStringLiteral("Key SHA-256:"), QString::fromLatin1(report.publicKeySha256));
    }
    return text;
}

// Probes one server and prints its report, or adds it to reports (a profile's JSON array).
// Returns the exit code.
int probeEndpoint(const CliContext &context, const ServerEndpoint &endpoint, QJsonArray *reports)
{
    controllers::ServerProbe probe;
    Interrupt interrupt;
    QObject::connect(&interrupt, &Interrupt::requested, [&probe] {
        probe.cancel();
        printError(QStringLiteral("interrupted"));
        QCoreApplication::exit(ExitInterrupted);
    });
    if (context.verbose) {
        QObject::connect(&probe, &controllers::ServerProbe::protocolLog,
                         [](net::Connection::Direction direction, const QByteArray &line) {
                             const char *arrow =
                                 direction == net::Connection::Direction::Sent ? "> " : "< ";
                             std::fprintf(stderr, "%s%s\n", arrow, line.constData());
                         });
    }
    QObject::connect(&probe, &controllers::ServerProbe::finished,
                     [&context, reports](const controllers::ProbeReport &report) {
                         if (reports) {
                             reports->append(toJson(report));
                         } else if (context.json) {
                             printOut(QString::fromUtf8(
                                 QJsonDocument(toJson(report)).toJson(QJsonDocument::Indented)));
                         } else {
                             printOut(toText(report));
                         }
                         QCoreApplication::exit(ExitOk);
                     });
    QObject::connect(&probe, &controllers::ServerProbe::errorOccurred, [](const Error &failure) {
        printError(failure.message());
        QCoreApplication::exit(exitCodeFor(failure.kind()));
    });

    controllers::ProbeOptions options;
    options.extraCaFile = context.caFile;
    options.timeoutMs = context.timeoutMs;
    if (const int failed = usePinnedKey(endpoint, &probe, &options.pinnedPublicKey))
        return failed;
    probe.start(endpoint, options);
    return QCoreApplication::exec();
}

} // namespace

int runProbe(const CliContext &context, const QStringList &arguments)
{
    const bool profileForm = arguments.size() == 2 && arguments.first() == u"--profile";
    if (arguments.size() != 1 && !profileForm) {
        printError(QStringLiteral("usage: wharf-cli [options] probe URL | probe --profile NAME"));
        return ExitUsage;
    }
    Error error;
    if (!profileForm) {
        const auto endpoint = context.endpoint(arguments.first(), &error);
        if (!endpoint) {
            printError(error.message());
            return ExitUsage;
        }
        return probeEndpoint(context, *endpoint, nullptr);
    }

    // A profile: each of its servers in turn; the first failure decides the exit code.
    const auto profile = resolveProfile(context, arguments.at(1), &error);
    if (!profile) {
        printError(error.message());
        return exitCodeFor(error.kind());
    }
    QJsonArray reports;
    int result = ExitOk;
    for (qsizetype i = 0; i < profile->servers.size(); ++i) {
        if (i > 0 && !context.json)
            printOut(QStringLiteral("\n"));
        const int code =
            probeEndpoint(context, profile->servers[i].endpoint, context.json ? &reports : nullptr);
        if (code == ExitInterrupted)
            return code;
        if (result == ExitOk)
            result = code;
    }
    if (context.json)
        printOut(QString::fromUtf8(QJsonDocument(reports).toJson(QJsonDocument::Indented)));
    return result;
}

} // namespace wharf::cli
