#pragma once

#include "core/MessageFlags.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QString>

namespace wharf::store {

// Where a message came from on its server: IMAP UID within a UIDVALIDITY, or a POP3 UIDL.
struct RemoteId
{
    quint32 uidValidity = 0;
    quint32 uid = 0;
    QByteArray uidl;
    bool isEmpty() const { return uid == 0 && uidl.isEmpty(); }
};

// One row of the index: everything a message list, a search or a sync needs without
// opening the message file.
struct MessageRecord
{
    qint64 id = 0;
    qint64 folderId = 0;
    QString maildirKey;   // empty when only the headers are cached (no local copy)
    QString relativePath; // "cur/<key>:2,S" inside the folder's Maildir; empty with the key
    RemoteId remote;
    MessageFlags flags;
    // Space-separated: Maildir keyword letters (in the file name) and IMAP keywords (only
    // here); see MaildirFolder::infoSuffix.
    QString extraFlags;
    qint64 internalDate = 0; // ms since the epoch, UTC: when the message arrived
    qint64 size = 0;
    QString from;       // display form: "Name <address>"
    QString recipients; // To and Cc, display form, comma separated
    QString subject;
    QByteArray messageId; // without angle brackets
    QByteArray inReplyTo;
    QByteArrayList references;
    bool hasAttachments = false;

    bool hasLocalCopy() const { return !maildirKey.isEmpty(); }
};

// The searchable text of a message, kept beside its record.
struct MessageText
{
    QString addresses; // From, To, Cc, names and addresses
    QString body;      // the text a reader sees, capped
};

} // namespace wharf::store
