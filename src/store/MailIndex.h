#pragma once

#include "core/Error.h"
#include "store/IndexDatabase.h"
#include "store/MaildirFolder.h"
#include "store/MaildirTree.h"
#include "store/MessageRecord.h"

#include <QHash>
#include <QList>
#include <optional>

namespace wharf::store {

struct FolderRecord
{
    qint64 id = 0;
    QString name;
    FolderRole role = FolderRole::None;
    MaildirFolder::Stamp stamp; // what the Maildir looked like when the index last matched
    QByteArray remoteName;      // the server mailbox it mirrors; empty: local only
};

// The SQL of the index: one method per question the store asks. Every method works inside
// whatever transaction the caller has open.
class MailIndex
{
public:
    explicit MailIndex(IndexDatabase &database)
        : m_db(database)
    {}

    Error folders(QList<FolderRecord> *folders);
    Error addFolder(const QString &name, FolderRole role, qint64 *id);
    Error setFolderStamp(qint64 folderId, const MaildirFolder::Stamp &stamp);
    Error removeFolder(qint64 folderId);

    Error insertMessage(MessageRecord *record, const MessageText &text);
    // Folder, path, flags and IMAP uid of a message whose file moved or was renamed (or
    // that changed folder, so its uid no longer names it on the server).
    Error updateLocation(const MessageRecord &record);
    Error updateLocations(const QList<MessageRecord> &records);
    Error removeMessage(qint64 id);
    Error removeMessages(const QList<qint64> &ids);

    Error message(qint64 id, std::optional<MessageRecord> *record);
    // The rows of these ids that exist, by id.
    Error messages(const QList<qint64> &ids, QHash<qint64, MessageRecord> *records);
    Error messageByKey(const QString &key, std::optional<MessageRecord> *record);
    // The rows of a folder that have a local copy: what a Maildir scan is compared with.
    Error localCopies(qint64 folderId, QList<MessageRecord> *records);

    // Newest first (descending) or oldest first; ties by id so pages never overlap.
    Error page(qint64 folderId, qint64 offset, qint64 limit, bool newestFirst,
               QList<MessageRecord> *records);
    // The page that follows the row (afterDate, afterId) in the same order: what scrolling
    // on reads, at the same cost wherever it is in the folder (OFFSET walks every row
    // before it).
    Error pageAfter(qint64 folderId, qint64 afterDate, qint64 afterId, qint64 limit,
                    bool newestFirst, QList<MessageRecord> *records);
    Error count(qint64 folderId, qint64 *total, qint64 *unread);
    Error totals(qint64 *messages, qint64 *bytes, qint64 *localCopies);
    Error findByMessageId(const QByteArray &messageId, QList<MessageRecord> *records);
    Error flaggedIds(qint64 folderId, MessageFlag flag, QList<qint64> *ids);
    // Full-text search of subject, addresses and body. Every word of the query must match
    // (a prefix for the last one, as the user may still be typing); folderId 0 = all.
    Error search(const QString &query, qint64 folderId, qint64 limit,
                 QList<MessageRecord> *records);
    Error threadFields(qint64 folderId, QList<MessageRecord> *records);

private:
    IndexDatabase &m_db;
};

// The FTS5 query for words a user typed: each word quoted, so no input is FTS syntax.
QString ftsQueryFor(const QString &userQuery);

} // namespace wharf::store
