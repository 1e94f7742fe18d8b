#include "controllers/FolderMapping.h"

#include "controllers/ImapConnectionPool.h"
#include "core/Logging.h"
#include "protocols/imap/MailboxData.h"
#include "protocols/imap/commands/ListCommand.h"
#include "store/MailStore.h"

#include <QTimer>

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
    QList<store::FolderRole> seen;
    for (const imap::ListEntry &entry : entries) {
        const std::optional<store::FolderRole> role = roleFor(entry.specialUse());
        if (!role || !entry.isSelectable() ||
            entry.wireName.compare("INBOX", Qt::CaseInsensitive) == 0)
            continue;
        if (seen.contains(*role)) {
            qCInfo(lcController) << "the server marks" << entry.name << "as" << entry.specialUse()
                                 << "too; keeping the first one";
            continue;
        }
        seen.append(*role);
        const std::optional<store::FolderRecord> folder = m_store->folderForRole(*role);
        if (!folder || !folder->remoteName.isEmpty())
            continue; // mirrors what an earlier sync or mapping chose
        if (const auto other = m_store->folderForRemoteName(entry.wireName)) {
            qCInfo(lcController) << "local folder" << other->name << "mirrors" << entry.name
                                 << "already; leaving" << folder->name << "unmapped";
            continue;
        }
        store::RemoteFolderState state;
        state.remoteName = entry.wireName;
        if (const Error error = m_store->setRemoteFolderState(folder->id, state))
            return error;
        qCInfo(lcController) << "local folder" << folder->name << "now mirrors" << entry.name;
        m_mapped.append({*role, folder->id, entry.wireName, entry.name});
    }
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
