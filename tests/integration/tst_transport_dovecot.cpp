// The transport and the IMAP/POP3 openings against the real Dovecot of tests/servers:
// implicit TLS, STARTTLS, an untrusted CA, an accepted and pinned exception, a changed key.

#include "ServerEnvironment.h"
#include "TestPki.h"
#include "controllers/ServerProbe.h"

#include <QFile>
#include <QSignalSpy>
#include <QTest>

using namespace wharf;
using namespace wharf::controllers;
using wharf::net::CertificateDecision;

namespace {

QByteArray pkiText(const char *name)
{
    QFile file(wharf::test::testPkiFile(QString::fromLatin1(name)));
    return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed() : QByteArray();
}

struct Outcome
{
    QList<ProbeReport> reports;
    QList<Error> errors;
    QList<CertificateDecision> decisions;
};

enum class Answer
{
    None,
    Accept,
    Reject
};

} // namespace

class TestTransportDovecot : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void trustedCa_data();
    void trustedCa();
    void untrustedCaIsRejected();
    void acceptedExceptionIsPinnedToTheKey();
    void changedKeyIsRejectedAgain();

private:
    ServerEndpoint endpoint(Protocol protocol, TlsMode mode) const;
    Outcome probe(const ServerEndpoint &endpoint, const ProbeOptions &options, Answer answer);

    QHash<QString, QString> m_dovecot;
};

void TestTransportDovecot::initTestCase()
{
    m_dovecot = wharf::test::serverEnvironment(QStringLiteral("dovecot"));
    QVERIFY2(!m_dovecot.isEmpty(), "dovecot.env missing: run through ctest (fixture dovecot)");
}

ServerEndpoint TestTransportDovecot::endpoint(Protocol protocol, TlsMode mode) const
{
    const bool implicit = mode == TlsMode::Implicit;
    const char *key = protocol == Protocol::Imap
                          ? (implicit ? "DOVECOT_IMAPS_PORT" : "DOVECOT_IMAP_PORT")
                          : (implicit ? "DOVECOT_POP3S_PORT" : "DOVECOT_POP3_PORT");
    ServerEndpoint endpoint;
    endpoint.protocol = protocol;
    endpoint.tlsMode = mode;
    endpoint.host = QStringLiteral("localhost");
    endpoint.port = m_dovecot.value(QString::fromLatin1(key)).toUShort();
    return endpoint;
}

Outcome TestTransportDovecot::probe(const ServerEndpoint &endpoint, const ProbeOptions &options,
                                    Answer answer)
{
    Outcome outcome;
    ServerProbe probe;
    if (answer != Answer::None) {
        connect(&probe, &ServerProbe::certificateDecisionRequested, this,
                [&](const CertificateDecision &decision) {
                    outcome.decisions.append(decision);
                    if (answer == Answer::Accept)
                        probe.acceptCertificate();
                    else
                        probe.rejectCertificate();
                });
    }
    connect(&probe, &ServerProbe::finished, this,
            [&](const ProbeReport &report) { outcome.reports.append(report); });
    connect(&probe, &ServerProbe::errorOccurred, this,
            [&](const Error &error) { outcome.errors.append(error); });
    probe.start(endpoint, options);
    // The callers check what arrived; a timeout shows as an empty outcome there.
    [[maybe_unused]] const bool arrived =
        QTest::qWaitFor([&] { return outcome.reports.size() + outcome.errors.size() == 1; }, 20000);
    return outcome;
}

void TestTransportDovecot::trustedCa_data()
{
    QTest::addColumn<int>("protocol");
    QTest::addColumn<int>("mode");
    QTest::addColumn<QByteArray>("capability");
    QTest::newRow("imaps") << int(Protocol::Imap) << int(TlsMode::Implicit)
                           << QByteArray("IMAP4rev1");
    QTest::newRow("imap starttls")
        << int(Protocol::Imap) << int(TlsMode::StartTls) << QByteArray("IMAP4rev1");
    QTest::newRow("pop3s") << int(Protocol::Pop3) << int(TlsMode::Implicit) << QByteArray("UIDL");
    QTest::newRow("pop3 stls") << int(Protocol::Pop3) << int(TlsMode::StartTls)
                               << QByteArray("UIDL");
}

void TestTransportDovecot::trustedCa()
{
    QFETCH(int, protocol);
    QFETCH(int, mode);
    QFETCH(QByteArray, capability);
    ProbeOptions options;
    options.extraCaFile = wharf::test::testPkiFile(QStringLiteral("ca.pem"));
    const Outcome outcome =
        probe(endpoint(Protocol(protocol), TlsMode(mode)), options, Answer::Reject);
    QVERIFY2(outcome.errors.isEmpty(), qPrintable(outcome.errors.value(0).message()));
    QVERIFY(outcome.decisions.isEmpty());
    QCOMPARE(outcome.reports.size(), 1);
    const ProbeReport &report = outcome.reports.first();
    QVERIFY(report.encrypted);
    QVERIFY2(report.tlsProtocol.startsWith(QStringLiteral("TLSv1.")),
             qPrintable(report.tlsProtocol));
    QCOMPARE(report.publicKeySha256, pkiText("server.spki-sha256"));
    QVERIFY2(report.server.hasCapability(capability),
             report.server.capabilities.join(' ').constData());
    if (TlsMode(mode) == TlsMode::StartTls) {
        // Asked again after the upgrade: the server no longer offers STARTTLS/STLS.
        QVERIFY(!report.server.greetingBeforeTls.isEmpty());
        QVERIFY(!report.server.hasCapability("STARTTLS"));
        QVERIFY(!report.server.hasCapability("STLS"));
    }
}

void TestTransportDovecot::untrustedCaIsRejected()
{
    ProbeOptions options;
    options.extraCaFile = wharf::test::testPkiFile(QStringLiteral("other-ca.pem"));
    const Outcome outcome =
        probe(endpoint(Protocol::Imap, TlsMode::Implicit), options, Answer::Reject);
    QCOMPARE(outcome.decisions.size(), 1);
    QVERIFY(!outcome.decisions.first().keyChanged);
    QCOMPARE(outcome.reports.size(), 0);
    QCOMPARE(outcome.errors.size(), 1);
    QCOMPARE(outcome.errors.first().kind(), ErrorKind::CertificateUntrusted);
    QVERIFY(outcome.errors.first().message().contains(
        QString::fromLatin1(pkiText("server.spki-sha256"))));
}

void TestTransportDovecot::acceptedExceptionIsPinnedToTheKey()
{
    const Outcome asked = probe(endpoint(Protocol::Imap, TlsMode::StartTls), {}, Answer::Accept);
    QCOMPARE(asked.decisions.size(), 1);
    QVERIFY2(asked.errors.isEmpty(), qPrintable(asked.errors.value(0).message()));
    QCOMPARE(asked.reports.size(), 1);
    const QByteArray accepted = asked.decisions.first().publicKeySha256;
    QCOMPARE(accepted, pkiText("server.spki-sha256"));

    // The pinned key is trusted from then on without a question, on either port.
    ProbeOptions pinned;
    pinned.pinnedPublicKey = accepted;
    for (TlsMode mode : {TlsMode::StartTls, TlsMode::Implicit}) {
        const Outcome again = probe(endpoint(Protocol::Imap, mode), pinned, Answer::Reject);
        QVERIFY(again.decisions.isEmpty());
        QVERIFY2(again.errors.isEmpty(), qPrintable(again.errors.value(0).message()));
        QCOMPARE(again.reports.size(), 1);
    }
}

void TestTransportDovecot::changedKeyIsRejectedAgain()
{
    // A pin for another key stands for a certificate the user accepted before; the real
    // server's key differs, so this is the changed-key case and a CA does not excuse it.
    ProbeOptions options;
    options.extraCaFile = wharf::test::testPkiFile(QStringLiteral("ca.pem"));
    options.pinnedPublicKey = pkiText("other-server.spki-sha256");
    const Outcome outcome =
        probe(endpoint(Protocol::Imap, TlsMode::Implicit), options, Answer::Reject);
    QCOMPARE(outcome.decisions.size(), 1);
    QVERIFY(outcome.decisions.first().keyChanged);
    QCOMPARE(outcome.errors.size(), 1);
    QCOMPARE(outcome.errors.first().kind(), ErrorKind::CertificateUntrusted);
    QVERIFY(outcome.errors.first().message().startsWith(QStringLiteral("Changed certificate")));
}

QTEST_GUILESS_MAIN(TestTransportDovecot)
#include "tst_transport_dovecot.moc"
