#include "cli/TrustCommand.h"

#include "cli/ExitCode.h"
#include "cli/Interrupt.h"
#include "controllers/CertificateTrust.h"
#include "store/TrustedCertificates.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <utility>

namespace wharf::cli {

namespace {

const char kUsage[] = "usage: wharf-cli trust list [--json] | trust remove HOST:PORT | "
                      "trust add URL --key SHA256 [--reason TEXT]";
const char kDefaultReason[] = "added with wharf-cli trust add";

int failWith(const Error &error)
{
    printError(error.message());
    return exitCodeFor(error.kind());
}

int usage()
{
    printError(QString::fromLatin1(kUsage));
    return ExitUsage;
}

QString utcIso(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate) : QString();
}

QJsonObject toJson(const store::TrustedCertificate &entry)
{
    return QJsonObject{
        {QStringLiteral("host"), entry.host},
        {QStringLiteral("port"), int(entry.port)},
        {QStringLiteral("public_key_sha256"), QString::fromLatin1(entry.publicKeySha256)},
        {QStringLiteral("certificate_sha256"), QString::fromLatin1(entry.certificateSha256)},
        {QStringLiteral("subject"), entry.subject},
        {QStringLiteral("issuer"), entry.issuer},
        {QStringLiteral("expires"), utcIso(entry.expiry)},
        {QStringLiteral("accepted_at"), utcIso(entry.acceptedAt)},
        {QStringLiteral("reason"), entry.reason},
    };
}

QString toText(const store::TrustedCertificate &entry)
{
    // An IPv6 address needs brackets before ":port" to read as one.
    const QString host =
        entry.host.contains(u':') ? QStringLiteral("[%1]").arg(entry.host) : entry.host;
    QString text = QStringLiteral("%1:%2\n").arg(host).arg(entry.port);
    auto row = [&text](const QString &label, const QString &value) {
        if (!value.isEmpty())
            text += QStringLiteral("  ") + label.leftJustified(15) + value + u'\n';
    };
    row(QStringLiteral("Key SHA-256:"), QString::fromLatin1(entry.publicKeySha256));
    row(QStringLiteral("Subject:"), entry.subject);
    row(QStringLiteral("Issuer:"), entry.issuer);
    row(QStringLiteral("Expires:"), utcIso(entry.expiry));
    row(QStringLiteral("Trusted since:"), controllers::pinDate(entry.acceptedAt));
    row(QStringLiteral("Reason:"), entry.reason);
    return text;
}

// HOST:PORT, [IPv6]:PORT, or a URL (its scheme gives the default port).
std::optional<std::pair<QString, quint16>> parseServer(const CliContext &context,
                                                       const QString &text, Error *error)
{
    if (text.contains(QStringLiteral("://"))) {
        const auto endpoint = context.endpoint(text, error);
        if (!endpoint)
            return std::nullopt;
        return std::pair{endpoint->host, endpoint->port};
    }
    const qsizetype colon = text.lastIndexOf(u':');
    bool ok = false;
    const uint port = colon > 0 ? text.mid(colon + 1).toUInt(&ok) : 0;
    const QString host = store::normalizedHost(text.left(colon));
    if (!ok || port == 0 || port > 65535 || host.isEmpty()) {
        *error = Error(ErrorKind::Usage,
                       QStringLiteral("\"%1\" is not HOST:PORT (for example "
                                      "mail.example.org:993, [2001:db8::1]:993) or a URL")
                           .arg(text));
        return std::nullopt;
    }
    return std::pair{host, quint16(port)};
}

int runList(const CliContext &context, QStringList arguments)
{
    const bool json = arguments.removeAll(QStringLiteral("--json")) > 0 || context.json;
    if (!arguments.isEmpty())
        return usage();
    controllers::CertificateTrust trust;
    if (const Error error = trust.load())
        return failWith(error);
    const QList<store::TrustedCertificate> entries = trust.list();
    if (json) {
        QJsonArray array;
        for (const store::TrustedCertificate &entry : entries)
            array.append(toJson(entry));
        const QJsonObject root{{QStringLiteral("file"), trust.filePath()},
                               {QStringLiteral("certificates"), array}};
        printOut(QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented)));
        return ExitOk;
    }
    if (entries.isEmpty()) {
        printOut(QStringLiteral("No trusted certificates.\n"));
        return ExitOk;
    }
    QStringList blocks;
    for (const store::TrustedCertificate &entry : entries)
        blocks.append(toText(entry));
    printOut(blocks.join(u'\n'));
    return ExitOk;
}

int runRemove(const CliContext &context, const QStringList &arguments)
{
    if (arguments.size() != 1)
        return usage();
    Error error;
    const auto server = parseServer(context, arguments.first(), &error);
    if (!server)
        return failWith(error);
    controllers::CertificateTrust trust;
    if (trust.remove(server->first, server->second, &error)) {
        printOut(QStringLiteral("Removed the trusted certificate for %1:%2.\n")
                     .arg(server->first)
                     .arg(server->second));
        return ExitOk;
    }
    if (error)
        return failWith(error);
    printError(QStringLiteral("no trusted certificate for %1:%2 (wharf-cli trust list shows them)")
                   .arg(server->first)
                   .arg(server->second));
    return ExitUsage;
}

int runAdd(const CliContext &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption keyOption(QStringLiteral("key"), {}, QStringLiteral("SHA256"));
    const QCommandLineOption reasonOption(QStringLiteral("reason"), {}, QStringLiteral("TEXT"));
    parser.addOptions({keyOption, reasonOption});
    if (!parser.parse(QStringList{QStringLiteral("add")} + arguments) ||
        parser.positionalArguments().size() != 1 || !parser.isSet(keyOption)) {
        printError(parser.errorText().isEmpty() ? QString::fromLatin1(kUsage) : parser.errorText());
        return ExitUsage;
    }
    Error error;
    const auto endpoint = context.endpoint(parser.positionalArguments().first(), &error);
    if (!endpoint)
        return failWith(error);
    if (endpoint->tlsMode == TlsMode::None) {
        printError(QStringLiteral("a plaintext connection has no certificate to trust"));
        return ExitUsage;
    }
    const QByteArray key = store::normalizedSha256(parser.value(keyOption));
    if (key.isEmpty()) {
        printError(QStringLiteral("--key takes the SHA-256 of the server's public key, 64 hex "
                                  "digits (wharf-cli probe shows it as \"Key SHA-256\")"));
        return ExitUsage;
    }
    QString reason = parser.value(reasonOption).trimmed();
    if (reason.isEmpty())
        reason = QString::fromLatin1(kDefaultReason);
    controllers::CertificateTrust trust;
    if (const Error failure = trust.load())
        return failWith(failure);

    controllers::ServerProbe probe;
    Interrupt interrupt;
    QObject::connect(&interrupt, &Interrupt::requested, [&probe] {
        probe.cancel();
        printError(QStringLiteral("interrupted"));
        QCoreApplication::exit(ExitInterrupted);
    });
    // The key given is pinned for this connection: the transport then accepts exactly that
    // key, whatever the CAs say, and asks about any other.
    QObject::connect(&probe, &controllers::ServerProbe::certificateDecisionRequested, &probe,
                     [&probe, key](const net::CertificateDecision &decision) {
                         // Answered from the event loop, not in the middle of the transport's
                         // handshake.
                         QMetaObject::invokeMethod(
                             &probe,
                             [&probe, key, decision] {
                                 probe.cancel();
                                 printError(
                                     QStringLiteral("%1:%2 presented the key SHA-256 %3, not the "
                                                    "one given with --key (%4); nothing was stored")
                                         .arg(decision.host)
                                         .arg(decision.port)
                                         .arg(QString::fromLatin1(decision.publicKeySha256),
                                              QString::fromLatin1(key)));
                                 QCoreApplication::exit(ExitTls);
                             },
                             Qt::QueuedConnection);
                     });
    QObject::connect(&probe, &controllers::ServerProbe::finished,
                     [&trust, reason](const controllers::ProbeReport &report) {
                         if (const Error failure = trust.trust(report, reason)) {
                             QCoreApplication::exit(failWith(failure));
                             return;
                         }
                         const auto pin = trust.pinFor(report.endpoint.host, report.endpoint.port);
                         if (pin) {
                             printOut(
                                 QStringLiteral("Trusted from now on: %1:%2, key SHA-256 %3 "
                                                "(%4).\n")
                                     .arg(pin->host)
                                     .arg(pin->port)
                                     .arg(QString::fromLatin1(pin->publicKeySha256), pin->subject));
                         }
                         QCoreApplication::exit(ExitOk);
                     });
    QObject::connect(&probe, &controllers::ServerProbe::errorOccurred,
                     [](const Error &failure) { QCoreApplication::exit(failWith(failure)); });

    controllers::ProbeOptions options;
    options.extraCaFile = context.caFile;
    options.timeoutMs = context.timeoutMs;
    options.pinnedPublicKey = key;
    probe.start(*endpoint, options);
    return QCoreApplication::exec();
}

} // namespace

int runTrust(const CliContext &context, const QStringList &arguments)
{
    const QString action = arguments.value(0);
    if (action == u"list")
        return runList(context, arguments.mid(1));
    if (action == u"remove")
        return runRemove(context, arguments.mid(1));
    if (action == u"add")
        return runAdd(context, arguments.mid(1));
    return usage();
}

int loadPin(const ServerEndpoint &endpoint, std::optional<store::TrustedCertificate> *pin)
{
    pin->reset();
    controllers::CertificateTrust trust;
    if (const Error error = trust.load())
        return failWith(error);
    if (endpoint.tlsMode != TlsMode::None)
        *pin = trust.pinFor(endpoint.host, endpoint.port);
    return ExitOk;
}

void answerWithPin(const store::TrustedCertificate &pin, const QString &url,
                   const net::CertificateDecision &decision, const std::function<void()> &reject,
                   const std::function<void()> &cancel)
{
    if (!decision.keyChanged) {
        reject();
        return;
    }
    cancel();
    printError(controllers::changedKeyMessage(pin, decision.publicKeySha256) +
               QStringLiteral(" Only if the server's administrator confirms the new key: "
                              "wharf-cli trust add %1 --key %2")
                   .arg(url, QString::fromLatin1(decision.publicKeySha256)));
    QCoreApplication::exit(ExitTls);
}

} // namespace wharf::cli
