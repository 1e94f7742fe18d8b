#pragma once

#include "mime/Message.h"

#include <QList>
#include <QString>

namespace wharf::mime {

// "Re: subject", without stacking: any number of leading Re-family prefixes (Re, RE, Aw, AW,
// Sv, Antw, any case, optionally numbered "Re[2]:") collapse into one "Re: ". Other prefixes
// ("Fwd:") stay, as most clients keep them.
QString replySubject(const QString &subject);

// "Fwd: subject", leading Fwd/FW/WG prefixes collapsed the same way.
QString forwardSubject(const QString &subject);

// Who a reply-all goes to: Reply-To (or else From) first, then To and Cc; each address once
// (compared case-insensitively) and none of the user's own addresses.
QList<MailAddress> replyAllRecipients(const Message &original, const QList<QString> &ownAddresses);

// "On <date>, <name> wrote:" and the body with every line quoted by "> ", "\n" line ends.
QString quotedReply(const Message &original, const QString &bodyText);

} // namespace wharf::mime
