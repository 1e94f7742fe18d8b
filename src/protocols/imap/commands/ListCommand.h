#pragma once

#include "protocols/imap/ImapCommand.h"
#include "protocols/imap/MailboxData.h"

#include <QList>

namespace wharf::imap {

// LIST "" pattern (RFC 3501 6.3.8), asking for SPECIAL-USE attributes (RFC 6154) and, with
// LIST-STATUS (RFC 5819), each folder's counts in the same round trip.
class ListCommand : public ImapCommand
{
    Q_OBJECT
public:
    explicit ListCommand(const QByteArray &pattern = "*", QObject *parent = nullptr);
    // Status items to ask for with LIST-STATUS ("MESSAGES UNSEEN UIDNEXT"); ignored when
    // the server does not offer it.
    void setStatusItems(const QByteArray &items) { m_statusItems = items; }
    void setSubscribedOnly(bool subscribedOnly) { m_subscribedOnly = subscribedOnly; }

    const QList<ListEntry> &entries() const { return m_entries; }
    const QList<StatusData> &statuses() const { return m_statuses; }

protected:
    CommandText command() const override;
    QByteArray name() const override { return "LIST"; }
    bool handleUntagged(const Response &response) override;

private:
    QByteArray m_pattern;
    QByteArray m_statusItems;
    bool m_subscribedOnly = false;
    QList<ListEntry> m_entries;
    QList<StatusData> m_statuses;
};

// STATUS mailbox (items) (RFC 3501 6.3.10).
class StatusCommand : public ImapCommand
{
    Q_OBJECT
public:
    StatusCommand(const QByteArray &wireName, const QByteArray &items, QObject *parent = nullptr);
    const StatusData &status() const { return m_status; }

protected:
    CommandText command() const override;
    QByteArray name() const override { return "STATUS"; }
    bool handleUntagged(const Response &response) override;

private:
    QByteArray m_wireName;
    QByteArray m_items;
    StatusData m_status;
};

} // namespace wharf::imap
