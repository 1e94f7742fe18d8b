#pragma once

#include "protocols/imap/ImapCommand.h"

namespace wharf::imap {

// The commands that change the folder tree: CREATE, DELETE, RENAME (RFC 3501 6.3.3-6.3.5),
// SUBSCRIBE and UNSUBSCRIBE (6.3.6-6.3.7). CREATE with a SPECIAL-USE attribute (RFC 6154
// CREATE-SPECIAL-USE) when asked and offered.
class MailboxCommand : public ImapCommand
{
    Q_OBJECT
public:
    enum class Action
    {
        Create,
        Delete,
        Rename,
        Subscribe,
        Unsubscribe,
    };

    MailboxCommand(Action action, const QByteArray &wireName, QObject *parent = nullptr);
    // RENAME's new name.
    void setNewWireName(const QByteArray &wireName) { m_newName = wireName; }
    // CREATE's special use ("\Sent"); sent only when the server offers CREATE-SPECIAL-USE.
    void setSpecialUse(const QByteArray &attribute) { m_specialUse = attribute; }
    // A RENAME or DELETE of the selected mailbox would pull it from under pipelined fetches.
    Scheduling scheduling() const override
    {
        return m_action == Action::Rename || m_action == Action::Delete ? Scheduling::Exclusive
                                                                        : Scheduling::Pipelined;
    }
    // CREATE of a mailbox that exists already: [ALREADYEXISTS] (RFC 5530).
    bool alreadyExists() const { return completion().code.is("ALREADYEXISTS"); }

protected:
    CommandText command() const override;
    QByteArray name() const override;

private:
    Action m_action;
    QByteArray m_name;
    QByteArray m_newName;
    QByteArray m_specialUse;
};

} // namespace wharf::imap
