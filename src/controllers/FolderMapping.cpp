#include "controllers/FolderMapping.h"

#include "controllers/ImapConnectionPool.h"
#include "core/Logging.h"
#include "protocols/imap/MailboxData.h"
#include "protocols/imap/commands/ListCommand.h"
#include "store/MailStore.h"

#include <QTimer>

#include <algorithm>
#include <optional>

namespace wharf::controllers {

namespace {

// The special uses the store has a role folder for.
std::optional<store::FolderRole> roleFor(const QByteArray &specialUse)
{
    if (specialUse == "\\Sent")
        return store::FolderRole::Sent;
    if (specialUse == "\\Drafts")
        return store::FolderRole::Drafts;
    if (specialUse == "\\Trash")
        return store::FolderRole::Trash;
    return std::nullopt;
}

} // namespace

QMap<store::FolderRole, QString>
FolderMapping::preferredMailboxesOf(const store::MailAccount &account)
{
    static const QMap<store::RemoteFolderRole, store::FolderRole> roles{
        {store::RemoteFolderRole::Drafts, store::FolderRole::Drafts},
        {store::RemoteFolderRole::Sent, store::FolderRole::Sent},
        {store::RemoteFolderRole::Trash, store::FolderRole::Trash}};
    QMap<store::FolderRole, QString> preferred;
    for (auto role = account.folderRoles.cbegin(); role != account.folderRoles.cend(); ++role) {
        if (roles.contains(role.key()) && !role.value().isEmpty())
            preferred.insert(roles.value(role.key()), role.value());
    }
    return preferred;
}

FolderMapping::FolderMapping(ImapConnectionPool *pool, store::MailStore *store, QObject *parent)
    : QObject(parent)
    , m_pool(pool)
    , m_store(store)
{}

FolderMapping::~FolderMapping()
{
    if (m_pool && m_session)
        m_pool->release(m_session);
}

void FolderMapping::start()
{
    if (m_running)
        return;
    m_running = true;
    m_mapped.clear();
    m_error = {};
    if (!m_pool) {
        QTimer::singleShot(0, this, [this] {
            finish(
                Error(ErrorKind::Usage, QStringLiteral("No IMAP account to match folders with")));
        });
        return;
    }
    m_pool->acquire(
        this, [this](imap::ImapSession *session) { onSession(session); },
        [this](const Error &error) { finish(error); });
}

void FolderMapping::onSession(imap::ImapSession *session)
{
    m_session = session;
    // ListCommand asks for RETURN (SPECIAL-USE) when the server offers it; a server without
    // it may still send the attributes in a plain LIST, and those count the same.
    auto *list = new imap::ListCommand("*");
    connect(list, &imap::ImapCommand::finished, this, [this, list] {
        if (list->error())
            return finish(list->error());
        finish(apply(list->entries()));
    });
    session->enqueue(list);
}

Error FolderMapping::apply(const QList<imap::ListEntry> &entries)
{
    // The user's choices first, then the server's marks for the roles still open.
    QList<store::FolderRole> seen;
    for (auto preferred = m_preferred.cbegin(); preferred != m_preferred.cend(); ++preferred) {
        const auto entry = std::find_if(entries.cbegin(), entries.cend(), [&](const auto &e) {
            return e.name == preferred.value() && e.isSelectable();
        });
        if (entry == entries.cend()) {
            qCInfo(lcController) << "the server has no mailbox" << preferred.value()
                                 << "(the profile's choice); using its special use";
            continue;
        }
        seen.append(preferred.key());
        if (const Error error = map(preferred.key(), *entry))
            return error;
    }
    for (const imap::ListEntry &entry : entries) {
        const std::optional<store::FolderRole> role = roleFor(entry.specialUse());
        if (!role || !entry.isSelectable() ||
            entry.wireName.compare("INBOX", Qt::CaseInsensitive) == 0)
            continue;
        if (seen.contains(*role)) {
            qCInfo(lcController) << "the server marks" << entry.name << "as" << entry.specialUse()
                                 << "too; keeping the first one or the profile's";
            continue;
        }
        seen.append(*role);
        if (const Error error = map(*role, entry))
            return error;
    }
    return {};
}

Error FolderMapping::map(store::FolderRole role, const imap::ListEntry &entry)
{
    const std::optional<store::FolderRecord> folder = m_store->folderForRole(role);
    if (!folder || !folder->remoteName.isEmpty())
        return {}; // mirrors what an earlier sync or mapping chose
    if (const auto other = m_store->folderForRemoteName(entry.wireName)) {
        qCInfo(lcController) << "local folder" << other->name << "mirrors" << entry.name
                             << "already; leaving" << folder->name << "unmapped";
        return {};
    }
    store::RemoteFolderState state;
    state.remoteName = entry.wireName;
    if (const Error error = m_store->setRemoteFolderState(folder->id, state))
        return error;
    qCInfo(lcController) << "local folder" << folder->name << "now mirrors" << entry.name;
    m_mapped.append({role, folder->id, entry.wireName, entry.name});
    return {};
}

void FolderMapping::finish(const Error &error)
{
    if (!m_running)
        return;
    m_running = false;
    m_error = error;
    if (m_pool && m_session)
        m_pool->release(m_session);
    m_session.clear();
    Q_EMIT finished();
}

} // namespace wharf::controllers
