#include "cli/ProfileCommand.h"

#include "cli/ExitCode.h"
#include "cli/PasswordPrompt.h"
#include "cli/ProfileLookup.h"
#include "store/PasswordStore.h"
#include "store/ProfileStore.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace wharf::cli {

namespace {

using store::PasswordRole;
using store::Profile;
using store::ProfileKind;
using store::ProfileStore;

// One line each: every failure prints one line on stderr.
constexpr char kUsage[] = "usage: wharf-cli [options] profile list|show|add|remove|export|"
                          "import|password ...; see wharf-cli --help";
constexpr char kListUsage[] = "usage: wharf-cli [--json] profile list";
constexpr char kShowUsage[] = "usage: wharf-cli [--json] profile show NAME";
constexpr char kAddUsage[] = "usage: wharf-cli [options] profile add NAME (--incoming URL "
                             "--address A [--outgoing URL] ... | --ftp URL ...); see wharf-cli "
                             "--help";
constexpr char kRemoveUsage[] = "usage: wharf-cli profile remove NAME";
constexpr char kExportUsage[] = "usage: wharf-cli profile export FILE [NAME...]";
constexpr char kImportUsage[] = "usage: wharf-cli profile import FILE [--rename-on-clash]";
constexpr char kPasswordUsage[] = "usage: wharf-cli profile password NAME [--role "
                                  "incoming|outgoing] [--check | --forget]";

int fail(const Error &error)
{
    printError(error.message());
    return exitCodeFor(error.kind());
}

int usage(const QString &problem)
{
    printError(problem);
    return ExitUsage;
}

int usage(const char *line)
{
    return usage(QString::fromLatin1(line));
}

// Loads the store, or explains why it cannot.
std::optional<int> loadStore(ProfileStore &store)
{
    if (Error error = store.load())
        return fail(error);
    return std::nullopt;
}

QString describe(const ServerEndpoint &endpoint)
{
    QString security;
    switch (endpoint.tlsMode) {
    case TlsMode::Implicit:
        security = QStringLiteral("TLS");
        break;
    case TlsMode::StartTls:
        security = QStringLiteral("STARTTLS required");
        break;
    case TlsMode::None:
        security = QStringLiteral("plaintext");
        break;
    }
    ServerEndpoint shown = endpoint;
    shown.path.clear();
    return QStringLiteral("%1  (%2, %3)")
        .arg(shown.toUrl(), protocolName(endpoint.protocol), security);
}

QString profileText(const Profile &profile)
{
    QString text;
    auto row = [&text](const QString &label, const QString &value) {
        text += label.leftJustified(15) + value + u'\n';
    };
    row(QStringLiteral("Name:"), profile.name);
    row(QStringLiteral("Id:"), profile.id);
    if (profile.kind == ProfileKind::Mail) {
        const store::MailAccount &mail = profile.mail;
        row(QStringLiteral("Kind:"), QStringLiteral("mail account"));
        for (qsizetype i = 0; i < mail.identities.size(); ++i) {
            const store::Identity &identity = mail.identities[i];
            QString value =
                identity.displayName.isEmpty()
                    ? identity.address
                    : QStringLiteral("%1 <%2>").arg(identity.displayName, identity.address);
            if (i == 0)
                value += QStringLiteral(" (default)");
            if (!identity.signature.isEmpty())
                value += QStringLiteral(", with signature");
            row(QStringLiteral("Address:"), value);
        }
        row(QStringLiteral("Incoming:"), describe(mail.incoming));
        if (mail.incoming.protocol == Protocol::Pop3) {
            QString policy = mail.leaveOnServer ? QStringLiteral("leave mail on the server")
                                                : QStringLiteral("remove mail from the server");
            if (mail.deleteFromServerAfterDays > 0)
                policy +=
                    QStringLiteral(", delete after %1 days").arg(mail.deleteFromServerAfterDays);
            row(QString(), policy);
        } else {
            row(QString(), QStringLiteral("%1 connections at most, bodies kept offline: %2")
                               .arg(mail.imapConnections)
                               .arg(mail.offlineDays == 0
                                        ? QStringLiteral("all")
                                        : QStringLiteral("newest %1 days").arg(mail.offlineDays)));
        }
        row(QString(), QStringLiteral("new mail checked every %1 minutes without IDLE")
                           .arg(mail.checkIntervalMinutes));
        row(QStringLiteral("Outgoing:"),
            mail.outgoing ? describe(*mail.outgoing) : QStringLiteral("none"));
        QStringList roles;
        for (auto it = mail.folderRoles.begin(); it != mail.folderRoles.end(); ++it)
            roles.append(store::remoteFolderRoleName(it.key()) + QStringLiteral(" = ") +
                         it.value());
        row(QStringLiteral("Folders:"),
            roles.isEmpty() ? QStringLiteral("found on the server") : roles.join(u", "));
    } else {
        const store::FtpSite &site = profile.site;
        row(QStringLiteral("Kind:"), QStringLiteral("FTP site"));
        row(QStringLiteral("Server:"), describe(site.server));
        if (!site.initialRemoteFolder.isEmpty())
            row(QStringLiteral("Remote folder:"), site.initialRemoteFolder);
        if (!site.initialLocalFolder.isEmpty())
            row(QStringLiteral("Local folder:"), site.initialLocalFolder);
        row(QStringLiteral("Transfers:"),
            QStringLiteral("%1, %2 at a time")
                .arg(site.passive ? QStringLiteral("passive") : QStringLiteral("active"))
                .arg(site.parallelTransfers));
        if (!site.publicUrlPrefix.isEmpty())
            row(QStringLiteral("Public URLs:"), site.publicUrlPrefix);
    }
    return text;
}

void printJson(const QJsonValue &value)
{
    const QJsonDocument document =
        value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    printOut(QString::fromUtf8(document.toJson(QJsonDocument::Indented)));
}

int runList(const CliContext &context, const QStringList &arguments)
{
    if (!arguments.isEmpty())
        return usage(kListUsage);
    ProfileStore store;
    if (const auto failed = loadStore(store))
        return *failed;
    if (context.json) {
        QJsonArray array;
        for (const Profile &profile : store.profiles())
            array.append(profile.toJson());
        printJson(array);
        return ExitOk;
    }
    QString text;
    for (const Profile &profile : store.profiles()) {
        QStringList urls;
        for (const ProfileServer &server : profileServers(profile))
            urls.append(server.endpoint.toUrl());
        text += profile.name.leftJustified(20) + u' ' +
                (profile.kind == ProfileKind::Mail ? QStringLiteral("mail    ")
                                                   : QStringLiteral("ftp-site")) +
                u' ' + urls.join(u' ') + u'\n';
    }
    printOut(text);
    return ExitOk;
}

int runShow(const CliContext &context, const QStringList &arguments)
{
    if (arguments.size() != 1)
        return usage(kShowUsage);
    ProfileStore store;
    if (const auto failed = loadStore(store))
        return *failed;
    Error missing;
    const auto profile = findProfile(store, arguments.first(), &missing);
    if (!profile)
        return fail(missing);
    if (context.json)
        printJson(profile->toJson());
    else
        printOut(profileText(*profile));
    return ExitOk;
}

// The servers of a mail account from add's options; Usage errors name the option.
std::optional<ServerEndpoint> serverOption(const CliContext &context, const QString &option,
                                           const QString &url,
                                           std::initializer_list<Protocol> protocols, Error *error)
{
    auto endpoint = context.endpoint(url, error);
    if (!endpoint)
        return std::nullopt;
    if (std::find(protocols.begin(), protocols.end(), endpoint->protocol) == protocols.end()) {
        *error = Error(
            ErrorKind::Usage,
            QStringLiteral("--%1 does not take a %2 URL").arg(option, url.section(u':', 0, 0)));
        return std::nullopt;
    }
    return endpoint;
}

int runAdd(const CliContext &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    auto option = [](const char *name, const char *value = nullptr) {
        return QCommandLineOption(QString::fromLatin1(name), QString(),
                                  value ? QString::fromLatin1(value) : QString());
    };
    const QCommandLineOption incoming = option("incoming", "URL"),
                             outgoing = option("outgoing", "URL"), address = option("address", "A"),
                             displayName = option("display-name", "N"),
                             signatureFile = option("signature-file", "F"),
                             leave = option("leave-on-server", "yes|no"),
                             deleteAfter = option("delete-after-days", "N"),
                             folder = option("folder", "ROLE=NAME"), ftp = option("ftp", "URL"),
                             localFolder = option("local-folder", "DIR"), active = option("active"),
                             parallel = option("parallel", "N"),
                             publicUrl = option("public-url-prefix", "URL"),
                             checkEvery = option("check-every", "MINUTES"),
                             connections = option("connections", "N"),
                             offlineDays = option("offline-days", "N");
    parser.addOptions({incoming, outgoing, address, displayName, signatureFile, leave, deleteAfter,
                       folder, ftp, localFolder, active, parallel, publicUrl, checkEvery,
                       connections, offlineDays});
    if (!parser.parse(QStringList{QStringLiteral("add")} + arguments))
        return usage(parser.errorText());
    if (parser.positionalArguments().size() != 1)
        return usage(kAddUsage);
    if (parser.isSet(incoming) == parser.isSet(ftp))
        return usage(
            QStringLiteral("add takes either --incoming (a mail account) or --ftp (a site)"));

    Profile profile;
    profile.name = parser.positionalArguments().first();
    Error error;
    if (parser.isSet(incoming)) {
        for (const QCommandLineOption *siteOnly : {&localFolder, &active, &parallel, &publicUrl}) {
            if (parser.isSet(*siteOnly))
                return usage(
                    QStringLiteral("--%1 is for FTP sites").arg(siteOnly->names().first()));
        }
        if (!parser.isSet(address))
            return usage(QStringLiteral("a mail account needs --address"));
        profile.kind = ProfileKind::Mail;
        store::MailAccount &mail = profile.mail;
        store::Identity identity{parser.value(displayName), parser.value(address), QString()};
        if (parser.isSet(signatureFile)) {
            QFile file(parser.value(signatureFile));
            if (!file.open(QIODevice::ReadOnly))
                return fail(Error(
                    ErrorKind::LocalFile,
                    QStringLiteral("Cannot read %1: %2").arg(file.fileName(), file.errorString())));
            identity.signature = QString::fromUtf8(file.read(64 * 1024 + 1));
        }
        mail.identities = {identity};
        const auto in = serverOption(context, QStringLiteral("incoming"), parser.value(incoming),
                                     {Protocol::Imap, Protocol::Pop3}, &error);
        if (!in)
            return fail(error);
        mail.incoming = *in;
        if (!mail.incoming.path.isEmpty())
            return usage(QStringLiteral("--incoming takes no folder"));
        if (mail.incoming.user.isEmpty())
            mail.incoming.user = identity.address; // what most providers expect
        if (parser.isSet(outgoing)) {
            const auto out = serverOption(context, QStringLiteral("outgoing"),
                                          parser.value(outgoing), {Protocol::Smtp}, &error);
            if (!out)
                return fail(error);
            mail.outgoing = *out;
            if (!out->path.isEmpty())
                return usage(QStringLiteral("--outgoing takes no folder"));
            if (mail.outgoing->user.isEmpty())
                mail.outgoing->user = mail.incoming.user;
        }
        if (parser.isSet(leave)) {
            const QString value = parser.value(leave).toLower();
            if (value != u"yes" && value != u"no")
                return usage(QStringLiteral("--leave-on-server takes yes or no"));
            mail.leaveOnServer = value == u"yes";
        }
        if (parser.isSet(deleteAfter)) {
            bool ok = false;
            mail.deleteFromServerAfterDays = parser.value(deleteAfter).toInt(&ok);
            if (!ok)
                return usage(QStringLiteral("--delete-after-days takes a number of days"));
        }
        // Out of range values are refused with the others when the profile is checked.
        for (const auto &[set, target, what] :
             {std::tuple{&checkEvery, &mail.checkIntervalMinutes, "a number of minutes"},
              std::tuple{&connections, &mail.imapConnections, "a number"},
              std::tuple{&offlineDays, &mail.offlineDays, "a number of days"}}) {
            if (!parser.isSet(*set))
                continue;
            bool ok = false;
            *target = parser.value(*set).toInt(&ok);
            if (!ok)
                return usage(QStringLiteral("--%1 takes %2")
                                 .arg(set->names().first(), QString::fromLatin1(what)));
        }
        for (const QString &assignment : parser.values(folder)) {
            const auto role = store::remoteFolderRoleFromName(assignment.section(u'=', 0, 0));
            if (!role || !assignment.contains(u'='))
                return usage(QStringLiteral("--folder takes ROLE=NAME, ROLE one of drafts, sent, "
                                            "trash, archive, junk"));
            mail.folderRoles.insert(*role, assignment.section(u'=', 1));
        }
    } else {
        for (const QCommandLineOption *mailOnly :
             {&outgoing, &address, &displayName, &signatureFile, &leave, &deleteAfter, &folder,
              &checkEvery, &connections, &offlineDays}) {
            if (parser.isSet(*mailOnly))
                return usage(
                    QStringLiteral("--%1 is for mail accounts").arg(mailOnly->names().first()));
        }
        profile.kind = ProfileKind::FtpSite;
        store::FtpSite &site = profile.site;
        const auto server = serverOption(context, QStringLiteral("ftp"), parser.value(ftp),
                                         {Protocol::Ftp}, &error);
        if (!server)
            return fail(error);
        site.server = *server;
        site.initialRemoteFolder = server->path; // as in curl: relative to the login folder
        site.server.path.clear();
        if (parser.isSet(localFolder))
            site.initialLocalFolder = QFileInfo(parser.value(localFolder)).absoluteFilePath();
        site.passive = !parser.isSet(active);
        if (parser.isSet(parallel)) {
            bool ok = false;
            site.parallelTransfers = parser.value(parallel).toInt(&ok);
            if (!ok)
                return usage(QStringLiteral("--parallel takes a number from 1 to 10"));
        }
        site.publicUrlPrefix = parser.value(publicUrl);
    }

    ProfileStore store;
    if (const auto failed = loadStore(store))
        return *failed;
    if (Error added = store.add(&profile))
        return fail(added);
    if (context.json) {
        printJson(profile.toJson());
    } else {
        printOut(QStringLiteral("Added %1 \"%2\". Set its password with: wharf-cli profile "
                                "password %3\n")
                     .arg(profile.kind == ProfileKind::Mail ? QStringLiteral("mail account")
                                                            : QStringLiteral("FTP site"),
                          profile.name, profile.name));
    }
    return ExitOk;
}

QList<PasswordRole> passwordRoles(const Profile &profile)
{
    if (profile.kind == ProfileKind::FtpSite)
        return {PasswordRole::Site};
    return {PasswordRole::Incoming, PasswordRole::Outgoing};
}

int runRemove(const QStringList &arguments)
{
    if (arguments.size() != 1)
        return usage(kRemoveUsage);
    ProfileStore store;
    if (const auto failed = loadStore(store))
        return *failed;
    Error missing;
    const auto profile = findProfile(store, arguments.first(), &missing);
    if (!profile)
        return fail(missing);
    if (Error error = store.remove(profile->id))
        return fail(error);
    // A password without its profile is a secret nobody can see or remove any more.
    store::PasswordStore keychain;
    for (PasswordRole role : passwordRoles(*profile)) {
        if (const Error error = removePasswordNow(keychain, profile->id, role)) {
            printError(QStringLiteral("Removed \"%1\", but not its saved password: %2")
                           .arg(profile->name, error.message()));
            return ExitOk;
        }
    }
    printOut(QStringLiteral("Removed \"%1\" and its saved passwords.\n").arg(profile->name));
    return ExitOk;
}

int runExport(const QStringList &arguments)
{
    if (arguments.isEmpty())
        return usage(kExportUsage);
    ProfileStore store;
    if (const auto failed = loadStore(store))
        return *failed;
    const QStringList names = arguments.mid(1);
    if (Error error = store.exportTo(arguments.first(), names))
        return fail(error);
    const qsizetype count = names.isEmpty() ? store.profiles().size() : names.size();
    printOut(QStringLiteral("Exported %1 profile(s) to %2, without passwords.\n")
                 .arg(count)
                 .arg(arguments.first()));
    return ExitOk;
}

int runImport(const QStringList &arguments)
{
    QStringList rest = arguments;
    const bool rename = rest.removeAll(QStringLiteral("--rename-on-clash")) > 0;
    if (rest.size() != 1)
        return usage(kImportUsage);
    ProfileStore store;
    if (const auto failed = loadStore(store))
        return *failed;
    Error error;
    const auto imported = store.importFrom(
        rest.first(), rename ? store::NameClash::Rename : store::NameClash::Refuse, &error);
    if (!imported)
        return fail(error);
    QStringList names;
    for (const Profile &profile : *imported)
        names.append(u'"' + profile.name + u'"');
    printOut(QStringLiteral("Imported %1. Passwords are never exported: set them with wharf-cli "
                            "profile password NAME.\n")
                 .arg(names.isEmpty() ? QStringLiteral("nothing") : names.join(u", ")));
    return ExitOk;
}

int runPassword(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption roleOption(QStringLiteral("role"), QString(), QStringLiteral("ROLE"));
    const QCommandLineOption check(QStringLiteral("check"), QString());
    const QCommandLineOption forget(QStringLiteral("forget"), QString());
    parser.addOptions({roleOption, check, forget});
    if (!parser.parse(QStringList{QStringLiteral("password")} + arguments))
        return usage(parser.errorText());
    if (parser.positionalArguments().size() != 1 || (parser.isSet(check) && parser.isSet(forget)))
        return usage(kPasswordUsage);

    ProfileStore store;
    if (const auto failed = loadStore(store))
        return *failed;
    const QString name = parser.positionalArguments().first();
    Error missing;
    const auto profile = findProfile(store, name, &missing);
    if (!profile)
        return fail(missing);

    const QList<ProfileServer> servers = profileServers(*profile);
    PasswordRole role = servers.first().role;
    if (parser.isSet(roleOption)) {
        const QString wanted = parser.value(roleOption).toLower();
        const auto it = std::find_if(servers.begin(), servers.end(), [&](const ProfileServer &s) {
            return store::passwordRoleName(s.role) == wanted;
        });
        if (it == servers.end() || profile->kind == ProfileKind::FtpSite) {
            return usage(
                profile->kind == ProfileKind::FtpSite
                    ? QStringLiteral("an FTP site has one password: leave out --role")
                    : QStringLiteral("\"%1\" has no %2 server").arg(profile->name, wanted));
        }
        role = it->role;
    }
    const ServerEndpoint server =
        std::find_if(servers.begin(), servers.end(), [role](const auto &s) {
            return s.role == role;
        })->endpoint;
    const QString which =
        QStringLiteral("\"%1\" (%2: %3 on %4)")
            .arg(profile->name, store::passwordRoleName(role), server.user, server.host);

    store::PasswordStore keychain;
    if (parser.isSet(forget)) {
        if (Error error = removePasswordNow(keychain, profile->id, role))
            return fail(error);
        printOut(QStringLiteral("Removed the password for %1 from the keychain.\n").arg(which));
        return ExitOk;
    }
    // Asked first, so that without a keychain nobody types a password for nothing.
    const KeychainAnswer stored = readPasswordNow(keychain, profile->id, role);
    if (stored.error)
        return fail(stored.error);
    if (parser.isSet(check)) {
        if (!stored.password) {
            printError(QStringLiteral("No password is saved for %1").arg(which));
            return ExitAuthentication;
        }
        printOut(QStringLiteral("A password is saved for %1.\n").arg(which));
        return ExitOk;
    }

    Error error;
    const auto password = readPassword(QStringLiteral("Password for %1: ").arg(which), &error);
    if (!password)
        return fail(error);
    if (Error written = writePasswordNow(keychain, profile->id, role, *password))
        return fail(written);
    printOut(QStringLiteral("Saved the password for %1 in the system keychain.\n").arg(which));
    return ExitOk;
}

} // namespace

int runProfile(const CliContext &context, const QStringList &arguments)
{
    if (arguments.isEmpty())
        return usage(kUsage);
    const QString command = arguments.first();
    const QStringList rest = arguments.mid(1);
    if (command == u"list")
        return runList(context, rest);
    if (command == u"show")
        return runShow(context, rest);
    if (command == u"add")
        return runAdd(context, rest);
    if (command == u"remove")
        return runRemove(rest);
    if (command == u"export")
        return runExport(rest);
    if (command == u"import")
        return runImport(rest);
    if (command == u"password")
        return runPassword(rest);
    return usage(QStringLiteral("unknown profile command \"%1\"; %2")
                     .arg(command, QString::fromLatin1(kUsage)));
}

} // namespace wharf::cli
