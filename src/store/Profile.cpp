#include "store/Profile.h"

#include <QJsonArray>
#include <QStringList>
#include <QUrl>
#include <QUuid>

#include <cmath>

namespace wharf::store {

namespace {

// Key names that suggest a credential. A substring match is deliberate: "smtp_password",
// "apiToken" and "client_secret" must all be caught.
constexpr QLatin1StringView kSecretWords[] = {
    QLatin1StringView("password"), QLatin1StringView("passwd"), QLatin1StringView("passphrase"),
    QLatin1StringView("secret"),   QLatin1StringView("token"),  QLatin1StringView("credential"),
};

bool looksSecret(const QString &key)
{
    const QString lower = key.toLower();
    for (QLatin1StringView word : kSecretWords) {
        if (lower.contains(word))
            return true;
    }
    return lower == u"pass" || lower == u"pwd";
}

bool hasControl(const QString &text, bool allowNewlines = false)
{
    for (QChar c : text) {
        if (allowNewlines && (c == u'\n' || c == u'\r' || c == u'\t'))
            continue;
        if (c.category() == QChar::Other_Control || c == QChar::LineSeparator ||
            c == QChar::ParagraphSeparator)
            return true;
    }
    return false;
}

QString protocolKey(Protocol protocol)
{
    return protocolName(protocol).toLower();
}

std::optional<Protocol> protocolFromKey(const QString &key)
{
    for (Protocol protocol : {Protocol::Imap, Protocol::Pop3, Protocol::Smtp, Protocol::Ftp}) {
        if (key == protocolKey(protocol))
            return protocol;
    }
    return std::nullopt;
}

bool endpointEquals(const ServerEndpoint &a, const ServerEndpoint &b)
{
    return a.protocol == b.protocol && a.host == b.host && a.port == b.port &&
           a.tlsMode == b.tlsMode && a.user == b.user && a.path == b.path;
}

QJsonObject endpointJson(const ServerEndpoint &endpoint)
{
    QJsonObject object{{QStringLiteral("protocol"), protocolKey(endpoint.protocol)},
                       {QStringLiteral("host"), endpoint.host},
                       {QStringLiteral("port"), int(endpoint.port)},
                       {QStringLiteral("tls"), tlsModeName(endpoint.tlsMode)}};
    if (!endpoint.user.isEmpty())
        object[QStringLiteral("user")] = endpoint.user;
    return object;
}

// Reads one JSON object field by field and keeps the first problem, so that the callers
// read straight through and check once.
class FieldReader
{
public:
    FieldReader(const QJsonObject &object, QString where, ErrorKind kind, Error *error)
        : m_object(object)
        , m_where(std::move(where))
        , m_kind(kind)
        , m_error(error)
    {}

    bool failed() const { return m_failed; }

    void fail(const QString &message)
    {
        if (m_failed)
            return;
        m_failed = true;
        if (m_error)
            *m_error = Error(m_kind, message);
    }

    void failField(const QString &key, const QString &problem)
    {
        fail(QStringLiteral("%1: \"%2\" %3").arg(m_where, key, problem));
    }

    void allowOnly(std::initializer_list<QLatin1StringView> known)
    {
        for (auto it = m_object.begin(); it != m_object.end(); ++it) {
            if (std::find(known.begin(), known.end(), it.key()) == known.end())
                failField(it.key(), QStringLiteral("is not a known field"));
        }
    }

    QString text(QLatin1StringView key, bool required = false)
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined() || value.isNull()) {
            if (required)
                failField(key, QStringLiteral("is missing"));
            return {};
        }
        if (!value.isString())
            failField(key, QStringLiteral("must be a string"));
        return value.toString();
    }

    bool boolean(QLatin1StringView key, bool fallback)
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined())
            return fallback;
        if (!value.isBool())
            failField(key, QStringLiteral("must be true or false"));
        return value.toBool(fallback);
    }

    int integer(QLatin1StringView key, int fallback, int min, int max)
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined())
            return fallback;
        const double number = value.toDouble(-1);
        // Range first: converting a huge double to an integer is undefined behaviour.
        if (!value.isDouble() || number < min || number > max || number != std::floor(number)) {
            failField(key,
                      QStringLiteral("must be a whole number from %1 to %2").arg(min).arg(max));
            return fallback;
        }
        return int(number);
    }

    QJsonObject object(QLatin1StringView key, bool required)
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined() || value.isNull()) {
            if (required)
                failField(key, QStringLiteral("is missing"));
            return {};
        }
        if (!value.isObject())
            failField(key, QStringLiteral("must be an object"));
        return value.toObject();
    }

    QJsonArray array(QLatin1StringView key)
    {
        const QJsonValue value = m_object.value(key);
        if (!value.isUndefined() && !value.isArray())
            failField(key, QStringLiteral("must be an array"));
        return value.toArray();
    }

    const QString &where() const { return m_where; }

private:
    QJsonObject m_object;
    QString m_where;
    ErrorKind m_kind;
    Error *m_error;
    bool m_failed = false;
};

ServerEndpoint readEndpoint(FieldReader &parent, const QJsonObject &object, const QString &where)
{
    Error error;
    FieldReader reader(object, where, ErrorKind::Usage, &error);
    reader.allowOnly({QLatin1StringView("protocol"), QLatin1StringView("host"),
                      QLatin1StringView("port"), QLatin1StringView("tls"),
                      QLatin1StringView("user")});
    ServerEndpoint endpoint;
    const QString protocol = reader.text(QLatin1StringView("protocol"), true);
    if (const auto known = protocolFromKey(protocol))
        endpoint.protocol = *known;
    else if (!reader.failed())
        reader.failField(QStringLiteral("protocol"),
                         QStringLiteral("must be imap, pop3, smtp or ftp"));
    endpoint.host = reader.text(QLatin1StringView("host"), true);
    endpoint.port = quint16(reader.integer(QLatin1StringView("port"), 0, 1, 65535));
    if (endpoint.port == 0 && !reader.failed())
        reader.failField(QStringLiteral("port"), QStringLiteral("is missing"));
    const QString tls = reader.text(QLatin1StringView("tls"), true);
    if (const auto mode = tlsModeFromName(tls))
        endpoint.tlsMode = *mode;
    else if (!reader.failed())
        reader.failField(QStringLiteral("tls"),
                         QStringLiteral("must be implicit, starttls or none"));
    endpoint.user = reader.text(QLatin1StringView("user"));
    if (reader.failed())
        parent.fail(error.message());
    return endpoint;
}

QString checkEndpoint(const ServerEndpoint &endpoint, std::initializer_list<Protocol> allowed,
                      const QString &what)
{
    if (std::find(allowed.begin(), allowed.end(), endpoint.protocol) == allowed.end()) {
        QStringList names;
        for (Protocol protocol : allowed)
            names.append(protocolName(protocol));
        return QStringLiteral("%1 must be %2, not %3")
            .arg(what, names.join(QStringLiteral(" or ")), protocolName(endpoint.protocol));
    }
    QUrl url;
    url.setHost(endpoint.host, QUrl::StrictMode);
    if (endpoint.host.isEmpty() || url.host().isEmpty() || endpoint.host.size() > 253)
        return QStringLiteral("%1 host \"%2\" is not a valid host name").arg(what, endpoint.host);
    if (endpoint.port == 0)
        return QStringLiteral("%1 port must be from 1 to 65535").arg(what);
    if (hasControl(endpoint.user) || endpoint.user.size() > 320)
        return QStringLiteral("%1 user name has control characters or is too long").arg(what);
    return {};
}

QString checkAddress(const QString &address)
{
    const qsizetype at = address.lastIndexOf(u'@');
    if (at <= 0 || at == address.size() - 1 || address.size() > 320 || hasControl(address))
        return QStringLiteral("\"%1\" is not a mail address (name@example.com)").arg(address);
    for (QChar c : address) {
        if (c.isSpace() || c == u'<' || c == u'>' || c == u',' || c == u';')
            return QStringLiteral("\"%1\" is not a mail address (name@example.com)").arg(address);
    }
    return {};
}

QString checkMail(const MailAccount &mail)
{
    if (mail.identities.isEmpty())
        return QStringLiteral("a mail account needs at least one address");
    for (const Identity &identity : mail.identities) {
        if (QString problem = checkAddress(identity.address); !problem.isEmpty())
            return problem;
        if (hasControl(identity.displayName) || identity.displayName.size() > 200)
            return QStringLiteral("the display name for %1 has control characters or is too long")
                .arg(identity.address);
        if (identity.signature.contains(QChar(0)) || hasControl(identity.signature, true) ||
            identity.signature.size() > 64 * 1024)
            return QStringLiteral("the signature for %1 has control characters or is over 64 KiB")
                .arg(identity.address);
    }
    if (QString problem = checkEndpoint(mail.incoming, {Protocol::Imap, Protocol::Pop3},
                                        QStringLiteral("the incoming server"));
        !problem.isEmpty())
        return problem;
    if (mail.outgoing) {
        if (QString problem = checkEndpoint(*mail.outgoing, {Protocol::Smtp},
                                            QStringLiteral("the outgoing server"));
            !problem.isEmpty())
            return problem;
    }
    if (mail.deleteFromServerAfterDays < 0 || mail.deleteFromServerAfterDays > 36500)
        return QStringLiteral("delete-after-days must be from 0 (never) to 36500");
    if (mail.incoming.protocol != Protocol::Pop3 &&
        (!mail.leaveOnServer || mail.deleteFromServerAfterDays != 0))
        return QStringLiteral("leave-on-server and delete-after-days apply to POP3 accounts only");
    if (!mail.leaveOnServer && mail.deleteFromServerAfterDays != 0)
        return QStringLiteral("delete-after-days needs leave-on-server (without it, mail is "
                              "removed from the server at once)");
    if (mail.checkIntervalMinutes < 1 || mail.checkIntervalMinutes > kMaxCheckIntervalMinutes)
        return QStringLiteral("the check interval must be from 1 to %1 minutes")
            .arg(kMaxCheckIntervalMinutes);
    if (mail.imapConnections < 1 || mail.imapConnections > kMaxImapConnections)
        return QStringLiteral("connections must be from 1 to %1").arg(kMaxImapConnections);
    if (mail.offlineDays < 0 || mail.offlineDays > 36500)
        return QStringLiteral("offline-days must be from 0 (every message) to 36500");
    if (mail.incoming.protocol != Protocol::Imap &&
        (mail.imapConnections != 3 || mail.offlineDays != 0))
        return QStringLiteral("connections and offline-days apply to IMAP accounts only");
    for (auto it = mail.folderRoles.begin(); it != mail.folderRoles.end(); ++it) {
        if (it.value().isEmpty() || hasControl(it.value()) || it.value().size() > 1000)
            return QStringLiteral("the %1 folder name is empty, too long or has control characters")
                .arg(remoteFolderRoleName(it.key()));
    }
    return {};
}

QString checkSite(const FtpSite &site)
{
    if (QString problem = checkEndpoint(site.server, {Protocol::Ftp}, QStringLiteral("the server"));
        !problem.isEmpty())
        return problem;
    if (hasControl(site.initialRemoteFolder) || hasControl(site.initialLocalFolder))
        return QStringLiteral("a folder name has control characters");
    if (site.parallelTransfers < kMinParallelTransfers ||
        site.parallelTransfers > kMaxParallelTransfers)
        return QStringLiteral("parallel transfers must be from %1 to %2")
            .arg(kMinParallelTransfers)
            .arg(kMaxParallelTransfers);
    if (!site.publicUrlPrefix.isEmpty()) {
        const QUrl url(site.publicUrlPrefix, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != u"https" && url.scheme() != u"http"))
            return QStringLiteral("the public URL prefix \"%1\" is not an http(s) URL")
                .arg(site.publicUrlPrefix);
    }
    return {};
}

void readMail(FieldReader &reader, MailAccount &mail)
{
    reader.allowOnly({QLatin1StringView("id"), QLatin1StringView("name"), QLatin1StringView("kind"),
                      QLatin1StringView("identities"), QLatin1StringView("incoming"),
                      QLatin1StringView("leave_on_server"), QLatin1StringView("delete_after_days"),
                      QLatin1StringView("outgoing"), QLatin1StringView("folder_roles"),
                      QLatin1StringView("check_interval_minutes"),
                      QLatin1StringView("imap_connections"), QLatin1StringView("offline_days")});
    const QJsonArray identities = reader.array(QLatin1StringView("identities"));
    for (qsizetype i = 0; i < identities.size() && !reader.failed(); ++i) {
        if (!identities[i].isObject()) {
            reader.failField(QStringLiteral("identities"), QStringLiteral("must hold objects"));
            break;
        }
        Error itemError;
        FieldReader item(identities[i].toObject(),
                         reader.where() + QStringLiteral(", identity %1").arg(i + 1),
                         ErrorKind::Usage, &itemError);
        item.allowOnly({QLatin1StringView("display_name"), QLatin1StringView("address"),
                        QLatin1StringView("signature")});
        Identity identity;
        identity.displayName = item.text(QLatin1StringView("display_name"));
        identity.address = item.text(QLatin1StringView("address"), true);
        identity.signature = item.text(QLatin1StringView("signature"));
        if (item.failed()) {
            reader.fail(itemError.message());
            break;
        }
        mail.identities.append(identity);
    }
    mail.incoming = readEndpoint(reader, reader.object(QLatin1StringView("incoming"), true),
                                 reader.where() + QStringLiteral(", incoming"));
    mail.leaveOnServer = reader.boolean(QLatin1StringView("leave_on_server"), true);
    mail.deleteFromServerAfterDays =
        reader.integer(QLatin1StringView("delete_after_days"), 0, 0, 36500);
    mail.checkIntervalMinutes =
        reader.integer(QLatin1StringView("check_interval_minutes"), 5, 1, kMaxCheckIntervalMinutes);
    mail.imapConnections =
        reader.integer(QLatin1StringView("imap_connections"), 3, 1, kMaxImapConnections);
    mail.offlineDays = reader.integer(QLatin1StringView("offline_days"), 0, 0, 36500);
    const QJsonObject outgoing = reader.object(QLatin1StringView("outgoing"), false);
    if (!outgoing.isEmpty()) {
        mail.outgoing =
            readEndpoint(reader, outgoing, reader.where() + QStringLiteral(", outgoing"));
    }
    const QJsonObject roles = reader.object(QLatin1StringView("folder_roles"), false);
    for (auto it = roles.begin(); it != roles.end() && !reader.failed(); ++it) {
        const auto role = remoteFolderRoleFromName(it.key());
        if (!role || !it.value().isString()) {
            reader.fail(QStringLiteral("%1: folder_roles takes drafts, sent, trash, archive and "
                                       "junk, each a folder name")
                            .arg(reader.where()));
            break;
        }
        mail.folderRoles.insert(*role, it.value().toString());
    }
}

void readSite(FieldReader &reader, FtpSite &site)
{
    reader.allowOnly({QLatin1StringView("id"), QLatin1StringView("name"), QLatin1StringView("kind"),
                      QLatin1StringView("server"), QLatin1StringView("initial_remote_folder"),
                      QLatin1StringView("initial_local_folder"), QLatin1StringView("passive"),
                      QLatin1StringView("parallel_transfers"),
                      QLatin1StringView("public_url_prefix")});
    site.server = readEndpoint(reader, reader.object(QLatin1StringView("server"), true),
                               reader.where() + QStringLiteral(", server"));
    site.initialRemoteFolder = reader.text(QLatin1StringView("initial_remote_folder"));
    site.initialLocalFolder = reader.text(QLatin1StringView("initial_local_folder"));
    site.passive = reader.boolean(QLatin1StringView("passive"), true);
    site.parallelTransfers = reader.integer(QLatin1StringView("parallel_transfers"), 2,
                                            kMinParallelTransfers, kMaxParallelTransfers);
    site.publicUrlPrefix = reader.text(QLatin1StringView("public_url_prefix"));
}

} // namespace

QString profileKindName(ProfileKind kind)
{
    return kind == ProfileKind::Mail ? QStringLiteral("mail") : QStringLiteral("ftp-site");
}

QString remoteFolderRoleName(RemoteFolderRole role)
{
    switch (role) {
    case RemoteFolderRole::Drafts:
        return QStringLiteral("drafts");
    case RemoteFolderRole::Sent:
        return QStringLiteral("sent");
    case RemoteFolderRole::Trash:
        return QStringLiteral("trash");
    case RemoteFolderRole::Archive:
        return QStringLiteral("archive");
    case RemoteFolderRole::Junk:
        return QStringLiteral("junk");
    }
    return {};
}

std::optional<RemoteFolderRole> remoteFolderRoleFromName(const QString &name)
{
    for (RemoteFolderRole role :
         {RemoteFolderRole::Drafts, RemoteFolderRole::Sent, RemoteFolderRole::Trash,
          RemoteFolderRole::Archive, RemoteFolderRole::Junk}) {
        if (name.compare(remoteFolderRoleName(role), Qt::CaseInsensitive) == 0)
            return role;
    }
    return std::nullopt;
}

QString Profile::newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

Error Profile::validate(ErrorKind errorKind) const
{
    auto fail = [&](const QString &problem) {
        return Error(errorKind, QStringLiteral("Profile \"%1\": %2").arg(name, problem));
    };
    if (name.trimmed() != name || name.isEmpty() || name.size() > 100 || hasControl(name) ||
        name.startsWith(u'-')) {
        return fail(QStringLiteral("a name must be 1 to 100 characters, without control "
                                   "characters, leading dash or surrounding spaces"));
    }
    if (!id.isEmpty() && (QUuid::fromString(id).isNull() ||
                          QUuid::fromString(id).toString(QUuid::WithoutBraces) != id)) {
        return fail(QStringLiteral("\"%1\" is not a profile id (a UUID)").arg(id));
    }
    const QString problem = kind == ProfileKind::Mail ? checkMail(mail) : checkSite(site);
    return problem.isEmpty() ? Error() : fail(problem);
}

QJsonObject Profile::toJson() const
{
    QJsonObject object;
    if (!id.isEmpty())
        object[QStringLiteral("id")] = id;
    object[QStringLiteral("name")] = name;
    object[QStringLiteral("kind")] = profileKindName(kind);
    if (kind == ProfileKind::Mail) {
        QJsonArray identities;
        for (const Identity &identity : mail.identities) {
            QJsonObject item{{QStringLiteral("address"), identity.address}};
            if (!identity.displayName.isEmpty())
                item[QStringLiteral("display_name")] = identity.displayName;
            if (!identity.signature.isEmpty())
                item[QStringLiteral("signature")] = identity.signature;
            identities.append(item);
        }
        object[QStringLiteral("identities")] = identities;
        object[QStringLiteral("incoming")] = endpointJson(mail.incoming);
        if (mail.incoming.protocol == Protocol::Pop3) {
            object[QStringLiteral("leave_on_server")] = mail.leaveOnServer;
            object[QStringLiteral("delete_after_days")] = mail.deleteFromServerAfterDays;
        } else {
            object[QStringLiteral("imap_connections")] = mail.imapConnections;
            object[QStringLiteral("offline_days")] = mail.offlineDays;
        }
        object[QStringLiteral("check_interval_minutes")] = mail.checkIntervalMinutes;
        if (mail.outgoing)
            object[QStringLiteral("outgoing")] = endpointJson(*mail.outgoing);
        if (!mail.folderRoles.isEmpty()) {
            QJsonObject roles;
            for (auto it = mail.folderRoles.begin(); it != mail.folderRoles.end(); ++it)
                roles[remoteFolderRoleName(it.key())] = it.value();
            object[QStringLiteral("folder_roles")] = roles;
        }
    } else {
        object[QStringLiteral("server")] = endpointJson(site.server);
        if (!site.initialRemoteFolder.isEmpty())
            object[QStringLiteral("initial_remote_folder")] = site.initialRemoteFolder;
        if (!site.initialLocalFolder.isEmpty())
            object[QStringLiteral("initial_local_folder")] = site.initialLocalFolder;
        object[QStringLiteral("passive")] = site.passive;
        object[QStringLiteral("parallel_transfers")] = site.parallelTransfers;
        if (!site.publicUrlPrefix.isEmpty())
            object[QStringLiteral("public_url_prefix")] = site.publicUrlPrefix;
    }
    return object;
}

std::optional<Profile> Profile::fromJson(const QJsonObject &object, ErrorKind errorKind,
                                         Error *error)
{
    const QString label = object.value(QLatin1StringView("name")).toString();
    if (const QString key = findSecretKey(object); !key.isEmpty()) {
        if (error) {
            *error = Error(errorKind,
                           QStringLiteral("Refusing profile \"%1\" with a \"%2\" field: passwords "
                                          "and tokens belong in the system keychain, never in a "
                                          "profile file; remove the field, then set the password "
                                          "with wharf-cli profile password NAME")
                               .arg(label, key));
        }
        return std::nullopt;
    }
    Profile profile;
    FieldReader reader(object, QStringLiteral("Profile \"%1\"").arg(label), errorKind, error);
    profile.id = reader.text(QLatin1StringView("id"));
    profile.name = reader.text(QLatin1StringView("name"), true);
    const QString kind = reader.text(QLatin1StringView("kind"), true);
    if (kind == profileKindName(ProfileKind::Mail)) {
        profile.kind = ProfileKind::Mail;
        readMail(reader, profile.mail);
    } else if (kind == profileKindName(ProfileKind::FtpSite)) {
        profile.kind = ProfileKind::FtpSite;
        readSite(reader, profile.site);
    } else if (!reader.failed()) {
        reader.failField(QStringLiteral("kind"),
                         QStringLiteral("must be \"mail\" or \"ftp-site\""));
    }
    if (reader.failed())
        return std::nullopt;
    if (const Error invalid = profile.validate(errorKind)) {
        if (error)
            *error = invalid;
        return std::nullopt;
    }
    return profile;
}

bool operator==(const Profile &a, const Profile &b)
{
    if (a.id != b.id || a.name != b.name || a.kind != b.kind)
        return false;
    if (a.kind == ProfileKind::Mail) {
        const MailAccount &x = a.mail;
        const MailAccount &y = b.mail;
        return x.identities == y.identities && endpointEquals(x.incoming, y.incoming) &&
               x.leaveOnServer == y.leaveOnServer &&
               x.deleteFromServerAfterDays == y.deleteFromServerAfterDays &&
               x.outgoing.has_value() == y.outgoing.has_value() &&
               (!x.outgoing || endpointEquals(*x.outgoing, *y.outgoing)) &&
               x.folderRoles == y.folderRoles && x.checkIntervalMinutes == y.checkIntervalMinutes &&
               x.imapConnections == y.imapConnections && x.offlineDays == y.offlineDays;
    }
    const FtpSite &x = a.site;
    const FtpSite &y = b.site;
    return endpointEquals(x.server, y.server) && x.initialRemoteFolder == y.initialRemoteFolder &&
           x.initialLocalFolder == y.initialLocalFolder && x.passive == y.passive &&
           x.parallelTransfers == y.parallelTransfers && x.publicUrlPrefix == y.publicUrlPrefix;
}

QString findSecretKey(const QJsonValue &value)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (looksSecret(it.key()))
                return it.key();
            if (QString inner = findSecretKey(it.value()); !inner.isEmpty())
                return it.key() + u'.' + inner;
        }
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (QString inner = findSecretKey(array[i]); !inner.isEmpty())
                return inner;
        }
    }
    return {};
}

} // namespace wharf::store
