// Profiles: the JSON file under $XDG_CONFIG_HOME/wharf, its validation, versioning, atomic
// private writes, and import/export that never carries a password.

#include "store/ProfileStore.h"
#include "store/StoragePaths.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace wharf;
using namespace wharf::store;

Q_DECLARE_METATYPE(wharf::store::Profile)

namespace {

Profile mailProfile(const QString &name)
{
    Profile profile;
    profile.name = name;
    profile.kind = ProfileKind::Mail;
    profile.mail.identities = {{QStringLiteral("Åsa Ünïcode"), QStringLiteral("asa@example.org"),
                                QStringLiteral("-- \nÅsa\nnot a password: the word only")},
                               {QString(), QStringLiteral("info@example.org"), QString()}};
    profile.mail.incoming = {Protocol::Pop3,    QStringLiteral("pop.example.org"), 995,
                             TlsMode::Implicit, QStringLiteral("asa@example.org"), QString()};
    profile.mail.leaveOnServer = true;
    profile.mail.deleteFromServerAfterDays = 14;
    profile.mail.outgoing = ServerEndpoint{Protocol::Smtp,
                                           QStringLiteral("smtp.example.org"),
                                           587,
                                           TlsMode::StartTls,
                                           QStringLiteral("asa"),
                                           QString()};
    profile.mail.folderRoles = {{RemoteFolderRole::Sent, QStringLiteral("Sent Items")},
                                {RemoteFolderRole::Junk, QStringLiteral("Spam")}};
    return profile;
}

Profile siteProfile(const QString &name)
{
    Profile profile;
    profile.name = name;
    profile.kind = ProfileKind::FtpSite;
    profile.site.server = {Protocol::Ftp,     QStringLiteral("ftp.example.org"), 21,
                           TlsMode::StartTls, QStringLiteral("deploy"),          QString()};
    profile.site.initialRemoteFolder = QStringLiteral("/var/www");
    profile.site.initialLocalFolder = QStringLiteral("/home/asa/site");
    profile.site.passive = false;
    profile.site.parallelTransfers = 4;
    profile.site.publicUrlPrefix = QStringLiteral("https://www.example.org/");
    return profile;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(bytes) == bytes.size();
}

int modeOf(const QString &path)
{
    struct stat info = {};
    return ::stat(QFile::encodeName(path).constData(), &info) == 0 ? int(info.st_mode & 07777) : -1;
}

QByteArray documentWith(const QJsonObject &profile, int version = kProfilesFormatVersion)
{
    const QJsonObject root{{QStringLiteral("format"), QStringLiteral("wharf-profiles")},
                           {QStringLiteral("version"), version},
                           {QStringLiteral("profiles"), QJsonArray{profile}}};
    return QJsonDocument(root).toJson();
}

} // namespace

class TestProfileStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void missingFileIsEmpty();
    void roundTrip();
    void updateAndRemove();
    void duplicateNameRefused();
    void validation_data();
    void validation();
    void badJson_data();
    void badJson();
    void corruptFileNotOverwritten_data();
    void corruptFileNotOverwritten();
    void importRefusesSecrets_data();
    void importRefusesSecrets();
    void exportHasNoSecretsAndNoIds();
    void importNameClash();
    void failedWriteKeepsOldFile();
    void privateModes();

private:
    std::unique_ptr<QTemporaryDir> m_home;
    QString m_file;
};

void TestProfileStore::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    QVERIFY(m_home->isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home->filePath(QStringLiteral("config"))));
    m_file = ProfileStore::defaultFilePath();
    QCOMPARE(m_file, m_home->filePath(QStringLiteral("config/wharf/profiles.json")));
}

void TestProfileStore::missingFileIsEmpty()
{
    ProfileStore store;
    QVERIFY(!store.load());
    QVERIFY(store.profiles().isEmpty());
    QVERIFY(!QFile::exists(m_file)); // loading never creates anything
}

void TestProfileStore::roundTrip()
{
    ProfileStore store;
    QVERIFY(!store.load());
    Profile mail = mailProfile(QStringLiteral("Work"));
    Profile site = siteProfile(QStringLiteral("Web site"));
    QVERIFY(!store.add(&mail));
    QVERIFY(!store.add(&site));
    QVERIFY(!mail.id.isEmpty());
    QVERIFY(mail.id != site.id);

    ProfileStore again;
    const Error error = again.load();
    QVERIFY2(!error, qPrintable(error.message()));
    QCOMPARE(again.profiles().size(), 2);
    QVERIFY(again.profiles().at(0) == mail);
    QVERIFY(again.profiles().at(1) == site);
    QCOMPARE(again.findByName(QStringLiteral("work"))->id, mail.id);
    QCOMPARE(again.find(site.id)->name, site.name);
    QVERIFY(!again.find(QStringLiteral("nobody")));

    // An IMAP account without POP3 options and without outgoing server survives too.
    Profile imap = mailProfile(QStringLiteral("Reader"));
    imap.mail.incoming.protocol = Protocol::Imap;
    imap.mail.deleteFromServerAfterDays = 0;
    imap.mail.outgoing.reset();
    imap.mail.folderRoles.clear();
    imap.mail.checkIntervalMinutes = 15;
    imap.mail.imapConnections = 5;
    imap.mail.offlineDays = 90;
    QVERIFY(!again.add(&imap));
    ProfileStore third;
    QVERIFY(!third.load());
    QVERIFY(*third.findById(imap.id) == imap);
    QCOMPARE(third.findById(imap.id)->mail.imapConnections, 5);
    QCOMPARE(third.findById(imap.id)->mail.offlineDays, 90);
    QCOMPARE(third.findById(imap.id)->mail.checkIntervalMinutes, 15);
    // Left unset, they are the defaults.
    QVERIFY(!third.findById(mail.id)->mail.offlineDays);
    QCOMPARE(third.findById(mail.id)->mail.imapConnections, 3);
    QCOMPARE(third.findById(mail.id)->mail.checkIntervalMinutes, 5);
}

void TestProfileStore::updateAndRemove()
{
    ProfileStore store;
    QVERIFY(!store.load());
    Profile a = mailProfile(QStringLiteral("A"));
    Profile b = siteProfile(QStringLiteral("B"));
    QVERIFY(!store.add(&a));
    QVERIFY(!store.add(&b));

    Profile renamed = a;
    renamed.name = QStringLiteral("B");
    QCOMPARE(store.update(renamed).kind(), ErrorKind::Usage); // name taken
    renamed.name = QStringLiteral("A2");
    renamed.mail.identities.removeLast();
    QVERIFY(!store.update(renamed));
    Profile stranger = renamed;
    stranger.id = Profile::newId();
    QCOMPARE(store.update(stranger).kind(), ErrorKind::Usage);

    QVERIFY(!store.remove(b.id));
    QCOMPARE(store.remove(b.id).kind(), ErrorKind::Usage);
    ProfileStore again;
    QVERIFY(!again.load());
    QCOMPARE(again.profiles().size(), 1);
    QVERIFY(again.profiles().first() == renamed);
}

void TestProfileStore::duplicateNameRefused()
{
    ProfileStore store;
    QVERIFY(!store.load());
    Profile first = mailProfile(QStringLiteral("Work"));
    QVERIFY(!store.add(&first));
    const QByteArray before = readAll(m_file);
    Profile second = siteProfile(QStringLiteral("WORK"));
    const Error error = store.add(&second);
    QCOMPARE(error.kind(), ErrorKind::Usage);
    QVERIFY2(error.message().contains(QStringLiteral("already exists")),
             qPrintable(error.message()));
    QCOMPARE(readAll(m_file), before);
    QCOMPARE(store.profiles().size(), 1);
}

void TestProfileStore::validation_data()
{
    QTest::addColumn<Profile>("profile");
    QTest::addColumn<QString>("message");

    auto mail = [](auto change) {
        Profile p = mailProfile(QStringLiteral("P"));
        change(p);
        return p;
    };
    auto site = [](auto change) {
        Profile p = siteProfile(QStringLiteral("S"));
        change(p);
        return p;
    };
    QTest::newRow("empty name") << mail([](Profile &p) { p.name.clear(); }) << "a name must be";
    QTest::newRow("leading dash") << mail([](Profile &p) { p.name = QStringLiteral("-x"); })
                                  << "leading dash";
    QTest::newRow("newline in name")
        << mail([](Profile &p) { p.name = QStringLiteral("a\nb"); }) << "control characters";
    QTest::newRow("bad id") << mail([](Profile &p) { p.id = QStringLiteral("42"); })
                            << "not a profile id";
    QTest::newRow("no identity") << mail([](Profile &p) { p.mail.identities.clear(); })
                                 << "at least one address";
    QTest::newRow("bad address") << mail([](Profile &p) {
        p.mail.identities[1].address = QStringLiteral("a b@c");
    }) << "is not a mail address";
    QTest::newRow("CR in display name") << mail([](Profile &p) {
        p.mail.identities[0].displayName = QStringLiteral("A\r\nBcc: x");
    }) << "display name";
    QTest::newRow("smtp incoming")
        << mail([](Profile &p) { p.mail.incoming.protocol = Protocol::Smtp; })
        << "incoming server must be IMAP or POP3, not SMTP";
    QTest::newRow("imap outgoing")
        << mail([](Profile &p) { p.mail.outgoing->protocol = Protocol::Imap; })
        << "outgoing server must be SMTP, not IMAP";
    QTest::newRow("bad host") << mail([](Profile &p) {
        p.mail.incoming.host = QStringLiteral("bad host");
    }) << "not a valid host name";
    QTest::newRow("no port") << mail([](Profile &p) { p.mail.outgoing->port = 0; }) << "port";
    QTest::newRow("user with CRLF")
        << mail([](Profile &p) { p.mail.incoming.user = QStringLiteral("u\r\nA1 LOGOUT"); })
        << "user name";
    QTest::newRow("pop3 options on imap")
        << mail([](Profile &p) { p.mail.incoming.protocol = Protocol::Imap; })
        << "POP3 accounts only";
    QTest::newRow("delete without leave")
        << mail([](Profile &p) { p.mail.leaveOnServer = false; }) << "needs leave-on-server";
    QTest::newRow("negative days")
        << mail([](Profile &p) { p.mail.deleteFromServerAfterDays = -1; }) << "delete-after-days";
    QTest::newRow("check interval 0")
        << mail([](Profile &p) { p.mail.checkIntervalMinutes = 0; }) << "check interval";
    QTest::newRow("11 connections") << mail([](Profile &p) {
        p.mail.incoming.protocol = Protocol::Imap;
        p.mail.deleteFromServerAfterDays = 0;
        p.mail.imapConnections = 11;
    }) << "connections must be from 1 to 10";
    QTest::newRow("offline days on pop3")
        << mail([](Profile &p) { p.mail.offlineDays = 30; }) << "IMAP accounts only";
    QTest::newRow("empty folder role")
        << mail([](Profile &p) { p.mail.folderRoles[RemoteFolderRole::Trash] = QString(); })
        << "trash folder name";
    QTest::newRow("site not ftp") << site([](Profile &p) {
        p.site.server.protocol = Protocol::Imap;
    }) << "server must be FTP, not IMAP";
    QTest::newRow("parallel 0") << site([](Profile &p) { p.site.parallelTransfers = 0; })
                                << "from 1 to 10";
    QTest::newRow("parallel 11") << site([](Profile &p) { p.site.parallelTransfers = 11; })
                                 << "from 1 to 10";
    QTest::newRow("public url not http")
        << site([](Profile &p) { p.site.publicUrlPrefix = QStringLiteral("ftp://x/"); })
        << "not an http(s) URL";
}

void TestProfileStore::validation()
{
    QFETCH(Profile, profile);
    QFETCH(QString, message);
    const Error error = profile.validate();
    QCOMPARE(error.kind(), ErrorKind::Usage);
    QVERIFY2(error.message().contains(message), qPrintable(error.message()));

    // The store refuses it the same way and writes nothing.
    ProfileStore store;
    QVERIFY(!store.load());
    profile.id.clear();
    if (!profile.validate())
        return; // the id was the problem, and the store gives a new one
    QCOMPARE(store.add(&profile).kind(), ErrorKind::Usage);
    QVERIFY(!QFile::exists(m_file));
}

void TestProfileStore::badJson_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");

    QJsonObject good = mailProfile(QStringLiteral("P")).toJson();
    auto with = [&good](const QString &key, const QJsonValue &value) {
        QJsonObject changed = good;
        changed[key] = value;
        return documentWith(changed);
    };
    QJsonObject badPort = good;
    QJsonObject incoming = badPort[QStringLiteral("incoming")].toObject();
    incoming[QStringLiteral("port")] = 70000;
    badPort[QStringLiteral("incoming")] = incoming;
    QJsonObject noHost = good;
    incoming = noHost[QStringLiteral("incoming")].toObject();
    incoming.remove(QStringLiteral("host"));
    noHost[QStringLiteral("incoming")] = incoming;

    QTest::newRow("port out of range")
        << documentWith(badPort) << "\"port\" must be a whole number";
    incoming = badPort[QStringLiteral("incoming")].toObject();
    incoming[QStringLiteral("port")] = 1e300;
    badPort[QStringLiteral("incoming")] = incoming;
    QTest::newRow("huge port") << documentWith(badPort) << "\"port\" must be a whole number";
    incoming[QStringLiteral("port")] = 993.5;
    badPort[QStringLiteral("incoming")] = incoming;
    QTest::newRow("fractional port") << documentWith(badPort) << "\"port\" must be a whole number";
    QTest::newRow("no host") << documentWith(noHost) << "\"host\" is missing";
    QTest::newRow("unknown field") << with(QStringLiteral("colour"), QStringLiteral("red"))
                                   << "\"colour\" is not a known field";
    QTest::newRow("bad kind") << with(QStringLiteral("kind"), QStringLiteral("news"))
                              << "must be \"mail\" or \"ftp-site\"";
    QTest::newRow("days not a number")
        << with(QStringLiteral("delete_after_days"), QStringLiteral("7")) << "delete_after_days";
    QTest::newRow("bad role") << with(QStringLiteral("folder_roles"),
                                      QJsonObject{{QStringLiteral("outbox"), QStringLiteral("x")}})
                              << "folder_roles takes";
    QTest::newRow("not json") << QByteArray("{\"format\": ") << "not valid JSON";
    QTest::newRow("other format") << QByteArray(R"({"format":"x","version":1,"profiles":[]})")
                                  << "not a Wharf profiles file";
    QTest::newRow("newer version")
        << documentWith(good, kProfilesFormatVersion + 1) << "written by a newer Wharf";
    QTest::newRow("version 0") << documentWith(good, 0) << "version 0 is not one Wharf knows";
}

void TestProfileStore::badJson()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    Error error;
    const auto profiles =
        parseProfilesDocument(json, QStringLiteral("in.json"), ErrorKind::Usage, &error);
    QVERIFY(!profiles);
    QCOMPARE(error.kind(), ErrorKind::Usage);
    QVERIFY2(error.message().startsWith(QStringLiteral("in.json: ")), qPrintable(error.message()));
    QVERIFY2(error.message().contains(message), qPrintable(error.message()));
}

void TestProfileStore::corruptFileNotOverwritten_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<QString>("message");
    QTest::newRow("truncated") << QByteArray(R"({"format":"wharf-profiles","version":1,"prof)")
                               << "not valid JSON";
    QTest::newRow("newer version")
        << documentWith(siteProfile(QStringLiteral("S")).toJson(), kProfilesFormatVersion + 1)
        << "newer Wharf";
    QJsonObject withPassword = siteProfile(QStringLiteral("S")).toJson();
    withPassword[QStringLiteral("id")] = Profile::newId();
    withPassword[QStringLiteral("password")] = QStringLiteral("hunter2");
    QTest::newRow("password field") << documentWith(withPassword) << "\"password\" field";
    QTest::newRow("missing id") << documentWith(siteProfile(QStringLiteral("S")).toJson())
                                << "has no id";
}

void TestProfileStore::corruptFileNotOverwritten()
{
    QFETCH(QByteArray, contents);
    QFETCH(QString, message);
    QVERIFY(writeAll(m_file, contents));
    QTemporaryDir exportDir;

    ProfileStore store;
    const Error error = store.load();
    QCOMPARE(error.kind(), ErrorKind::LocalFile);
    QVERIFY2(error.message().contains(m_file), qPrintable(error.message()));
    QVERIFY2(error.message().contains(message), qPrintable(error.message()));
    QVERIFY(store.profiles().isEmpty());

    Profile profile = mailProfile(QStringLiteral("New"));
    QCOMPARE(store.add(&profile).kind(), ErrorKind::LocalFile);
    QCOMPARE(store.exportTo(exportDir.filePath(QStringLiteral("e.json"))).kind(),
             ErrorKind::LocalFile);
    Error importError;
    QVERIFY(!store.importFrom(m_file, NameClash::Rename, &importError));
    QCOMPARE(importError.kind(), ErrorKind::LocalFile);
    QCOMPARE(readAll(m_file), contents);
}

void TestProfileStore::importRefusesSecrets_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("key");

    const QJsonObject good = mailProfile(QStringLiteral("P")).toJson();
    auto top = [&good](const char *key) {
        QJsonObject changed = good;
        changed[QString::fromLatin1(key)] = QStringLiteral("hunter2");
        return documentWith(changed);
    };
    QJsonObject nested = good;
    QJsonObject incoming = nested[QStringLiteral("incoming")].toObject();
    incoming[QStringLiteral("Password")] = QStringLiteral("hunter2");
    nested[QStringLiteral("incoming")] = incoming;
    QJsonObject inIdentity = good;
    QJsonArray identities = inIdentity[QStringLiteral("identities")].toArray();
    QJsonObject identity = identities[0].toObject();
    identity[QStringLiteral("smtp_passwd")] = QStringLiteral("hunter2");
    identities[0] = identity;
    inIdentity[QStringLiteral("identities")] = identities;
    QJsonObject root{{QStringLiteral("format"), QStringLiteral("wharf-profiles")},
                     {QStringLiteral("version"), 1},
                     {QStringLiteral("profiles"), QJsonArray{good}},
                     {QStringLiteral("oauth_token"), QStringLiteral("abc")}};

    QTest::newRow("password") << top("password") << "password";
    QTest::newRow("secret") << top("client_secret") << "client_secret";
    QTest::newRow("token") << top("accessToken") << "accessToken";
    QTest::newRow("pass") << top("pass") << "pass";
    QTest::newRow("nested in server") << documentWith(nested) << "incoming.Password";
    QTest::newRow("in an identity") << documentWith(inIdentity) << "identities.smtp_passwd";
    QTest::newRow("document level") << QJsonDocument(root).toJson() << "oauth_token";
}

void TestProfileStore::importRefusesSecrets()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, key);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("import.json"));
    QVERIFY(writeAll(path, json));

    ProfileStore store;
    QVERIFY(!store.load());
    Error error;
    QVERIFY(!store.importFrom(path, NameClash::Rename, &error));
    QCOMPARE(error.kind(), ErrorKind::Usage);
    QVERIFY2(error.message().contains(QStringLiteral("\"%1\" field").arg(key)),
             qPrintable(error.message()));
    QVERIFY2(error.message().contains(QStringLiteral("keychain")), qPrintable(error.message()));
    QVERIFY(store.profiles().isEmpty());
    QVERIFY(!QFile::exists(m_file));
}

void TestProfileStore::exportHasNoSecretsAndNoIds()
{
    ProfileStore store;
    QVERIFY(!store.load());
    Profile mail = mailProfile(QStringLiteral("Work"));
    Profile site = siteProfile(QStringLiteral("Site"));
    Profile other = siteProfile(QStringLiteral("Other"));
    QVERIFY(!store.add(&mail));
    QVERIFY(!store.add(&site));
    QVERIFY(!store.add(&other));

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("export.json"));
    QCOMPARE(store.exportTo(path, {QStringLiteral("nope")}).kind(), ErrorKind::Usage);
    QVERIFY(!QFile::exists(path));
    QVERIFY(!store.exportTo(path, {QStringLiteral("site"), QStringLiteral("Work")}));
    QCOMPARE(modeOf(path), 0600);

    const QByteArray bytes = readAll(path);
    const QJsonDocument document = QJsonDocument::fromJson(bytes);
    QVERIFY(document.isObject());
    QCOMPARE(findSecretKey(document.object()), QString());
    for (const Profile &profile : {mail, site, other})
        QVERIFY2(!bytes.contains(profile.id.toLatin1()), bytes.constData());

    Error error;
    const auto exported = parseProfilesDocument(bytes, path, ErrorKind::Usage, &error);
    QVERIFY2(exported, qPrintable(error.message()));
    QCOMPARE(exported->size(), 2);
    Profile expectedSite = site;
    expectedSite.id.clear();
    Profile expectedMail = mail;
    expectedMail.id.clear();
    QVERIFY(exported->at(0) == expectedSite); // in the order asked for
    QVERIFY(exported->at(1) == expectedMail);
}

void TestProfileStore::importNameClash()
{
    ProfileStore store;
    QVERIFY(!store.load());
    Profile mail = mailProfile(QStringLiteral("Work"));
    Profile site = siteProfile(QStringLiteral("Site"));
    QVERIFY(!store.add(&mail));
    QVERIFY(!store.add(&site));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("export.json"));
    QVERIFY(!store.exportTo(path));
    QVERIFY(!store.remove(site.id));
    const QByteArray before = readAll(m_file);

    Error error;
    QVERIFY(!store.importFrom(path, NameClash::Refuse, &error));
    QCOMPARE(error.kind(), ErrorKind::Usage);
    QVERIFY2(error.message().contains(QStringLiteral("\"Work\" already exists")),
             qPrintable(error.message()));
    QCOMPARE(readAll(m_file), before); // all or nothing: "Site" was not imported either
    QCOMPARE(store.profiles().size(), 1);

    const auto imported = store.importFrom(path, NameClash::Rename, &error);
    QVERIFY2(imported, qPrintable(error.message()));
    QCOMPARE(imported->size(), 2);
    QCOMPARE(imported->at(0).name, QStringLiteral("Work (2)"));
    QCOMPARE(imported->at(1).name, QStringLiteral("Site"));
    QVERIFY(imported->at(0).id != mail.id);
    QVERIFY(imported->at(1).id != site.id);

    ProfileStore again;
    QVERIFY(!again.load());
    QCOMPARE(again.profiles().size(), 3);
    Profile copy = *again.findByName(QStringLiteral("Work (2)"));
    copy.id = mail.id;
    copy.name = mail.name;
    QVERIFY(copy == mail);
}

void TestProfileStore::failedWriteKeepsOldFile()
{
    ProfileStore store;
    QVERIFY(!store.load());
    Profile small = siteProfile(QStringLiteral("Small"));
    QVERIFY(!store.add(&small));
    const QByteArray before = readAll(m_file);
    const QString dir = QFileInfo(m_file).absolutePath();

    // A write that fails half way (here: the file size limit, which binds root too) leaves
    // the old file whole and no temporary file behind.
    Profile big = mailProfile(QStringLiteral("Big"));
    big.mail.identities[0].signature = QString(8000, u'x');
    struct rlimit saved = {};
    QCOMPARE(::getrlimit(RLIMIT_FSIZE, &saved), 0);
    struct rlimit limit = saved;
    limit.rlim_cur = rlim_t(before.size() + 100);
    const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
    QCOMPARE(::setrlimit(RLIMIT_FSIZE, &limit), 0);
    const Error error = store.add(&big);
    ::setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, oldHandler);

    QCOMPARE(error.kind(), ErrorKind::LocalFile);
    QVERIFY2(error.message().contains(m_file), qPrintable(error.message()));
    QVERIFY2(error.message().contains(QStringLiteral("unchanged")), qPrintable(error.message()));
    QCOMPARE(readAll(m_file), before);
    QCOMPARE(QDir(dir).entryList(QDir::Files), QStringList{QStringLiteral("profiles.json")});
    QCOMPARE(store.profiles().size(), 1); // memory follows the disk
    ProfileStore reread;
    QVERIFY(!reread.load());
    QCOMPARE(reread.profiles().size(), 1);

    // A folder the user cannot write to (root can, so only checked for other users).
    if (::geteuid() != 0) {
        QVERIFY(QFile::setPermissions(dir, QFile::ReadOwner | QFile::ExeOwner));
        const Error denied = store.add(&big);
        QVERIFY(QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        QCOMPARE(denied.kind(), ErrorKind::LocalFile);
        QVERIFY2(denied.message().contains(m_file), qPrintable(denied.message()));
        QCOMPARE(readAll(m_file), before);
    }

    // And once the disk takes it, the same change goes through.
    QVERIFY(!store.add(&big));
    QVERIFY(readAll(m_file).size() > before.size());
}

void TestProfileStore::privateModes()
{
    // However permissive the umask, the folder is 0700 and the file 0600.
    const mode_t oldMask = ::umask(0);
    ProfileStore store;
    QVERIFY(!store.load());
    Profile profile = siteProfile(QStringLiteral("S"));
    const Error error = store.add(&profile);
    ::umask(oldMask);
    QVERIFY2(!error, qPrintable(error.message()));
    QCOMPARE(modeOf(configDirectory()), 0700);
    QCOMPARE(modeOf(m_file), 0600);

    // A file someone made readable to all is private again after the next write.
    QVERIFY(QFile::setPermissions(m_file, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup |
                                              QFile::ReadOther));
    QCOMPARE(modeOf(m_file), 0644);
    QVERIFY(!store.remove(profile.id));
    QCOMPARE(modeOf(m_file), 0600);
}

QTEST_GUILESS_MAIN(TestProfileStore)
#include "tst_profile_store.moc"
