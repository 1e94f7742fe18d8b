// The pinned-exception store: what it keeps, how it finds a server however its name is
// spelled, and that a file it cannot read is reported and left untouched.
#include "store/StoragePaths.h"
#include "store/TrustedCertificates.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using wharf::ErrorKind;
using wharf::store::PinnedKeyMatch;
using wharf::store::TrustedCertificate;
using wharf::store::TrustedCertificates;

namespace {

const QByteArray kKeyA = QByteArray(64, 'a');
const QByteArray kKeyB = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

TrustedCertificate entry(const QString &host, quint16 port, const QByteArray &key)
{
    TrustedCertificate certificate;
    certificate.host = host;
    certificate.port = port;
    certificate.publicKeySha256 = key;
    certificate.reason = QStringLiteral("test");
    return certificate;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeAll(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes), bytes.size());
}

QByteArray validFileWith(const QJsonObject &certificate)
{
    return QJsonDocument(
               QJsonObject{{QStringLiteral("format"), QStringLiteral("wharf-trusted-certificates")},
                           {QStringLiteral("version"), 1},
                           {QStringLiteral("certificates"), QJsonArray{certificate}}})
        .toJson();
}

QJsonObject soundEntry()
{
    return QJsonObject{{QStringLiteral("host"), QStringLiteral("mail.example.org")},
                       {QStringLiteral("port"), 993},
                       {QStringLiteral("public_key_sha256"), QString::fromLatin1(kKeyA)},
                       {QStringLiteral("accepted_at"), QStringLiteral("2024-05-01T10:00:00Z")}};
}

} // namespace

class TestTrustedCertificates : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void missingFileIsAnEmptyStore();
    void roundTrip();
    void fileIsVersionedAndPrivate();
    void hostNormalisation_data();
    void hostNormalisation();
    void findsWhateverTheSpelling();
    void pinReplacesThatServerOnly();
    void removeTakesOneServer();
    void pinRefusesWhatIsNoPin();
    void changesOfAnotherInstanceAreKept();
    void soundFileIsRead();
    void unreadableFileIsRefusedAndPreserved_data();
    void unreadableFileIsRefusedAndPreserved();
    void classify();

private:
    QTemporaryDir m_config;
    QString m_file;
};

void TestTrustedCertificates::initTestCase()
{
    QVERIFY(m_config.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_config.path()));
    m_file = m_config.path() + QStringLiteral("/wharf/trusted-certificates.json");
    QCOMPARE(TrustedCertificates::defaultFilePath(), m_file);
    QCOMPARE(TrustedCertificates().filePath(), m_file);
}

void TestTrustedCertificates::init()
{
    QFile::remove(m_file);
}

void TestTrustedCertificates::missingFileIsAnEmptyStore()
{
    TrustedCertificates store;
    QVERIFY(!store.load());
    QVERIFY(store.list().isEmpty());
    QVERIFY(!store.find(QStringLiteral("mail.example.org"), 993));
    QVERIFY(!QFile::exists(m_file)); // reading creates nothing
}

void TestTrustedCertificates::roundTrip()
{
    TrustedCertificate pinned = entry(QStringLiteral("mail.example.org"), 993, kKeyA);
    pinned.certificateSha256 = kKeyB;
    pinned.subject = QStringLiteral("CN=mail.example.org, O=Exämple");
    pinned.issuer = QStringLiteral("CN=Private CA");
    pinned.expiry = QDateTime(QDate(2030, 1, 2), QTime(3, 4, 5), Qt::UTC);
    pinned.acceptedAt = QDateTime(QDate(2024, 5, 6), QTime(7, 8, 9), Qt::UTC);
    pinned.reason = QStringLiteral("fingerprint read to me on the phone by the admin");
    TrustedCertificates writer;
    QVERIFY(!writer.pin(pinned));
    QCOMPARE(writer.list().size(), 1);

    TrustedCertificates reader;
    QVERIFY(!reader.load());
    const auto found = reader.find(QStringLiteral("mail.example.org"), 993);
    QVERIFY(found);
    QCOMPARE(found->host, pinned.host);
    QCOMPARE(found->port, pinned.port);
    QCOMPARE(found->publicKeySha256, pinned.publicKeySha256);
    QCOMPARE(found->certificateSha256, pinned.certificateSha256);
    QCOMPARE(found->subject, pinned.subject);
    QCOMPARE(found->issuer, pinned.issuer);
    QCOMPARE(found->expiry, pinned.expiry);
    QCOMPARE(found->acceptedAt, pinned.acceptedAt);
    QCOMPARE(found->reason, pinned.reason);
    QCOMPARE(found->acceptedAt.timeSpec(), Qt::UTC);
}

void TestTrustedCertificates::fileIsVersionedAndPrivate()
{
    TrustedCertificates store;
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
    QVERIFY(!store.pin(entry(QStringLiteral("mail.example.org"), 993, kKeyA)));

    const QJsonObject root = QJsonDocument::fromJson(readAll(m_file)).object();
    QCOMPARE(root.value(QStringLiteral("format")).toString(),
             QStringLiteral("wharf-trusted-certificates"));
    QCOMPARE(root.value(QStringLiteral("version")).toInt(), 1);
    const QJsonObject saved = root.value(QStringLiteral("certificates")).toArray().at(0).toObject();
    QCOMPARE(saved.value(QStringLiteral("public_key_sha256")).toString(),
             QString::fromLatin1(kKeyA));
    // No acceptedAt given: the moment of pinning, in UTC.
    const QString acceptedAt = saved.value(QStringLiteral("accepted_at")).toString();
    QVERIFY2(acceptedAt.endsWith(u'Z'), qPrintable(acceptedAt));
    QVERIFY(QDateTime::fromString(acceptedAt, Qt::ISODate) >= before);

    QCOMPARE(QFile::permissions(m_file) & ~(QFile::ReadUser | QFile::WriteUser),
             QFile::ReadOwner | QFile::WriteOwner);
    QVERIFY(!(QFile::permissions(m_file) &
              (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther)));
}

void TestTrustedCertificates::hostNormalisation_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("stored");
    QTest::newRow("case") << QStringLiteral("Mail.Example.ORG")
                          << QStringLiteral("mail.example.org");
    QTest::newRow("trailing dot") << QStringLiteral("mail.example.org.")
                                  << QStringLiteral("mail.example.org");
    QTest::newRow("spaces") << QStringLiteral(" mail.example.org ")
                            << QStringLiteral("mail.example.org");
    QTest::newRow("IDN") << QStringLiteral("Bücher.Example")
                         << QStringLiteral("xn--bcher-kva.example");
    QTest::newRow("ACE") << QStringLiteral("XN--BCHER-KVA.example")
                         << QStringLiteral("xn--bcher-kva.example");
    QTest::newRow("IPv4") << QStringLiteral("127.0.0.1") << QStringLiteral("127.0.0.1");
    QTest::newRow("IPv6 long") << QStringLiteral("0:0:0:0:0:0:0:1") << QStringLiteral("::1");
    QTest::newRow("IPv6 brackets")
        << QStringLiteral("[2001:DB8::1]") << QStringLiteral("2001:db8::1");
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("space inside") << QStringLiteral("mail example.org") << QString();
    QTest::newRow("slash") << QStringLiteral("mail.example.org/x") << QString();
    QTest::newRow("empty label") << QStringLiteral("mail..example.org") << QString();
    QTest::newRow("port") << QStringLiteral("mail.example.org:993") << QString();
}

void TestTrustedCertificates::hostNormalisation()
{
    QFETCH(QString, typed);
    QFETCH(QString, stored);
    QCOMPARE(wharf::store::normalizedHost(typed), stored);
}

void TestTrustedCertificates::findsWhateverTheSpelling()
{
    TrustedCertificates store;
    QVERIFY(!store.pin(entry(QStringLiteral("BÜCHER.example."), 993, kKeyA)));
    QCOMPARE(store.list().first().host, QStringLiteral("xn--bcher-kva.example"));
    QVERIFY(store.find(QStringLiteral("bücher.example"), 993));
    QVERIFY(store.find(QStringLiteral("xn--bcher-kva.EXAMPLE"), 993));
    QVERIFY(!store.find(QStringLiteral("bucher.example"), 993));
    QVERIFY(!store.find(QStringLiteral("bücher.example"), 995)); // the port is part of the pin
}

void TestTrustedCertificates::pinReplacesThatServerOnly()
{
    TrustedCertificates store;
    QVERIFY(!store.pin(entry(QStringLiteral("mail.example.org"), 993, kKeyA)));
    QVERIFY(!store.pin(entry(QStringLiteral("mail.example.org"), 995, kKeyA)));
    TrustedCertificate renewed = entry(QStringLiteral("MAIL.example.org"), 993, kKeyB);
    renewed.reason = QStringLiteral("new key confirmed");
    QVERIFY(!store.pin(renewed));

    TrustedCertificates reader;
    QVERIFY(!reader.load());
    QCOMPARE(reader.list().size(), 2);
    QCOMPARE(reader.find(QStringLiteral("mail.example.org"), 993)->publicKeySha256, kKeyB);
    QCOMPARE(reader.find(QStringLiteral("mail.example.org"), 993)->reason, renewed.reason);
    QCOMPARE(reader.find(QStringLiteral("mail.example.org"), 995)->publicKeySha256, kKeyA);
}

void TestTrustedCertificates::removeTakesOneServer()
{
    TrustedCertificates store;
    QVERIFY(!store.pin(entry(QStringLiteral("a.example.org"), 993, kKeyA)));
    QVERIFY(!store.pin(entry(QStringLiteral("b.example.org"), 993, kKeyB)));

    wharf::Error error;
    QVERIFY(store.remove(QStringLiteral("A.example.org"), 993, &error));
    QVERIFY(!error);
    QVERIFY(!store.remove(QStringLiteral("a.example.org"), 993, &error));
    QVERIFY(!error); // nothing there is no failure
    QVERIFY(!store.remove(QStringLiteral("b.example.org"), 995, &error));

    TrustedCertificates reader;
    QVERIFY(!reader.load());
    QCOMPARE(reader.list().size(), 1);
    QCOMPARE(reader.list().first().host, QStringLiteral("b.example.org"));
}

void TestTrustedCertificates::pinRefusesWhatIsNoPin()
{
    TrustedCertificates store;
    QCOMPARE(store.pin(entry(QStringLiteral("a b"), 993, kKeyA)).kind(), ErrorKind::Usage);
    QCOMPARE(store.pin(entry(QStringLiteral("a.example"), 0, kKeyA)).kind(), ErrorKind::Usage);
    QCOMPARE(store.pin(entry(QStringLiteral("a.example"), 993, "abc")).kind(), ErrorKind::Usage);
    QCOMPARE(store.pin(entry(QStringLiteral("a.example"), 993, kKeyA + 'a')).kind(),
             ErrorKind::Usage);
    QVERIFY(!QFile::exists(m_file));

    // Fingerprints are often copied with colons and in upper case.
    QByteArray colons;
    for (int i = 0; i < kKeyB.size(); i += 2)
        colons += (i ? ":" : "") + kKeyB.mid(i, 2).toUpper();
    QVERIFY(!store.pin(entry(QStringLiteral("a.example"), 993, colons)));
    QCOMPARE(store.list().first().publicKeySha256, kKeyB);
}

void TestTrustedCertificates::changesOfAnotherInstanceAreKept()
{
    TrustedCertificates gui;
    TrustedCertificates script;
    QVERIFY(!gui.load());
    QVERIFY(!script.load());
    QVERIFY(!script.pin(entry(QStringLiteral("a.example.org"), 993, kKeyA)));
    QVERIFY(!gui.pin(entry(QStringLiteral("b.example.org"), 993, kKeyB)));
    QCOMPARE(gui.list().size(), 2);

    TrustedCertificates reader;
    QVERIFY(!reader.load());
    QCOMPARE(reader.list().size(), 2);
}

void TestTrustedCertificates::soundFileIsRead()
{
    // Written by hand (or by a later 1.x): optional fields missing, unknown ones ignored.
    QJsonObject certificate = soundEntry();
    certificate[QStringLiteral("comment")] = QStringLiteral("added by hand");
    QDir().mkpath(m_config.path() + QStringLiteral("/wharf"));
    writeAll(m_file, validFileWith(certificate));
    TrustedCertificates store;
    QVERIFY(!store.load());
    QCOMPARE(store.list().size(), 1);
    QVERIFY(store.list().first().certificateSha256.isEmpty());
    QVERIFY(!store.list().first().expiry.isValid());
}

void TestTrustedCertificates::unreadableFileIsRefusedAndPreserved_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("not JSON") << QByteArray("{\"format\": \"wharf-trusted-cert")
                              << "not valid JSON";
    QTest::newRow("empty file") << QByteArray() << "not valid JSON";
    QTest::newRow("other format")
        << QByteArray("{\"format\":\"something-else\",\"version\":1,\"certificates\":[]}")
        << "not a Wharf";
    QTest::newRow("newer version")
        << QByteArray("{\"format\":\"wharf-trusted-certificates\",\"version\":2,"
                      "\"certificates\":[]}")
        << "newer";
    QTest::newRow("no list") << QByteArray(
                                    "{\"format\":\"wharf-trusted-certificates\",\"version\":1}")
                             << "certificates";

    QJsonObject badKey = soundEntry();
    badKey[QStringLiteral("public_key_sha256")] = QStringLiteral("not a hash");
    QTest::newRow("bad key") << validFileWith(badKey) << "entry 1";
    QJsonObject badPort = soundEntry();
    badPort[QStringLiteral("port")] = 70000;
    QTest::newRow("bad port") << validFileWith(badPort) << "port";
    QJsonObject noDate = soundEntry();
    noDate.remove(QStringLiteral("accepted_at"));
    QTest::newRow("no date") << validFileWith(noDate) << "accepted_at";

    QJsonObject again = soundEntry();
    again[QStringLiteral("host")] = QStringLiteral("MAIL.example.org");
    const QByteArray twice =
        QJsonDocument(
            QJsonObject{{QStringLiteral("format"), QStringLiteral("wharf-trusted-certificates")},
                        {QStringLiteral("version"), 1},
                        {QStringLiteral("certificates"), QJsonArray{soundEntry(), again}}})
            .toJson();
    QTest::newRow("one server twice") << twice << "repeats mail.example.org:993";
}

void TestTrustedCertificates::unreadableFileIsRefusedAndPreserved()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, fragment);
    QDir().mkpath(m_config.path() + QStringLiteral("/wharf"));
    writeAll(m_file, content);

    TrustedCertificates store;
    const wharf::Error error = store.load();
    QCOMPARE(error.kind(), ErrorKind::LocalFile);
    QVERIFY2(error.message().contains(fragment), qPrintable(error.message()));
    QVERIFY2(error.message().contains(m_file), qPrintable(error.message()));
    QVERIFY(store.list().isEmpty());

    QCOMPARE(store.pin(entry(QStringLiteral("a.example.org"), 993, kKeyA)).kind(),
             ErrorKind::LocalFile);
    wharf::Error removeError;
    QVERIFY(!store.remove(QStringLiteral("mail.example.org"), 993, &removeError));
    QCOMPARE(removeError.kind(), ErrorKind::LocalFile);
    QCOMPARE(readAll(m_file), content);
}

void TestTrustedCertificates::classify()
{
    using wharf::store::classifyKey;
    const TrustedCertificate pin = entry(QStringLiteral("mail.example.org"), 993, kKeyA);
    QCOMPARE(classifyKey(std::nullopt, kKeyA), PinnedKeyMatch::Unknown);
    QCOMPARE(classifyKey(pin, kKeyA), PinnedKeyMatch::Matches);
    QCOMPARE(classifyKey(pin, kKeyA.toUpper()), PinnedKeyMatch::Matches);
    QCOMPARE(classifyKey(pin, kKeyB), PinnedKeyMatch::Changed);
    QCOMPARE(classifyKey(pin, QByteArray()), PinnedKeyMatch::Changed);

    TrustedCertificates store;
    QVERIFY(!store.pin(pin));
    QCOMPARE(store.classify(QStringLiteral("Mail.Example.org"), 993, kKeyA),
             PinnedKeyMatch::Matches);
    QCOMPARE(store.classify(QStringLiteral("mail.example.org"), 993, kKeyB),
             PinnedKeyMatch::Changed);
    QCOMPARE(store.classify(QStringLiteral("mail.example.org"), 995, kKeyB),
             PinnedKeyMatch::Unknown);
    QCOMPARE(store.classify(QStringLiteral("other.example.org"), 993, kKeyA),
             PinnedKeyMatch::Unknown);
}

QTEST_GUILESS_MAIN(TestTrustedCertificates)
#include "tst_trusted_certificates.moc"
