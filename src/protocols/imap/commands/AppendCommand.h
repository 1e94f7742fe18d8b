#pragma once

#include "protocols/imap/ImapCommand.h"
#include "protocols/imap/MailboxData.h"

#include <QByteArrayList>
#include <QDateTime>

#include <optional>

namespace wharf::imap {

// APPEND mailbox (flags) "date" {size} (RFC 3501 6.3.11). The message goes as a literal:
// non-synchronising with LITERAL+, else after the server's "+". With UIDPLUS the new UID
// comes back as [APPENDUID validity uid].
class AppendCommand : public ImapCommand
{
    Q_OBJECT
public:
    AppendCommand(const QByteArray &targetWireName, const QByteArray &message,
                  const QByteArrayList &flags = {}, const QDateTime &internalDate = {},
                  QObject *parent = nullptr);

    const std::optional<CopyUidData> &appendUid() const { return m_appendUid; }
    bool targetMissing() const { return completion().code.is("TRYCREATE"); }

protected:
    CommandText command() const override;
    QByteArray name() const override { return "APPEND"; }
    void handleCompletion(const Response &response) override;

private:
    QByteArray m_target;
    QByteArray m_message;
    QByteArrayList m_flags;
    QDateTime m_internalDate;
    std::optional<CopyUidData> m_appendUid;
};

} // namespace wharf::imap
