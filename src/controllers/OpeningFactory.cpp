#include "controllers/OpeningFactory.h"

#include "protocols/ftp/FtpOpening.h"
#include "protocols/imap/ImapOpening.h"
#include "protocols/pop3/Pop3Opening.h"
#include "protocols/smtp/SmtpOpening.h"

namespace wharf::controllers {

net::OpeningHandshake *createOpening(Protocol protocol, net::Connection *connection,
                                     QObject *parent)
{
    switch (protocol) {
    case Protocol::Imap:
        return new imap::ImapOpening(connection, parent);
    case Protocol::Pop3:
        return new pop3::Pop3Opening(connection, parent);
    case Protocol::Smtp:
        return new smtp::SmtpOpening(connection, parent);
    case Protocol::Ftp:
        return new ftp::FtpOpening(connection, parent);
    }
    return nullptr;
}

} // namespace wharf::controllers
