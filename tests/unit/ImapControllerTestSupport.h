// Shared by the tests of the IMAP controllers: an account on a local scripted server, and
// the header-sync FETCH as Wharf sends it with a server's answer for one message, as
// scenario text.
#pragma once

#include "ImapSessionTestSupport.h"
#include "controllers/ImapConnectionPool.h"

#include <QString>

namespace wharf::test {

// user/secret on 127.0.0.1:port in plain text, as loginScenario() expects.
inline controllers::ImapAccountSettings accountOn(quint16 port, int maxConnections = 3)
{
    controllers::ImapAccountSettings settings;
    settings.endpoint.host = QStringLiteral("127.0.0.1");
    settings.endpoint.port = port;
    settings.endpoint.tlsMode = TlsMode::None;
    settings.endpoint.user = QStringLiteral("user");
    settings.password = QStringLiteral("secret");
    settings.timeoutMs = 10'000;
    settings.maxConnections = maxConnections;
    return settings;
}

inline QString envelope(int n)
{
    return QStringLiteral(
               R"(ENVELOPE ("Mon, 7 Feb 2022 21:52:25 +0000" "Subject %1" (("Ann" NIL "ann" "example.org")) NIL NIL (("Bob" NIL "bob" "example.org")) NIL NIL NIL "<m%1@example.org>"))")
        .arg(n);
}

// One header-sync FETCH response for `uid`, with flags as scenario text.
inline QString headerResponse(int sequence, int uid, const QString &flags)
{
    return QStringLiteral(
               R"(S: * %1 FETCH (UID %2 FLAGS (%3) INTERNALDATE "07-Feb-2022 21:52:25 +0000" RFC822.SIZE %4 %5 BODY[HEADER.FIELDS (REFERENCES)] "References: <r%2@example.org>")
)")
        .arg(sequence)
        .arg(uid)
        .arg(flags)
        .arg(1000 + uid)
        .arg(envelope(uid));
}

inline constexpr char kItems[] =
    "(UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY.PEEK[HEADER.FIELDS (REFERENCES)])";

inline QString fetchLine(const QString &tag, const QString &uids)
{
    return QStringLiteral("C: %1 UID FETCH %2 %3\n").arg(tag, uids, QString::fromLatin1(kItems));
}

// Login, SELECT and the UID search of a three-message INBOX; the two header fetches
// (2:3, then 1) follow, pipelined.
inline QString firstSyncOfThree()
{
    return modernLoginScenario() + QStringLiteral(R"(
        C: A3 SELECT INBOX (CONDSTORE)
        S: * 3 EXISTS
        S: * OK [UIDVALIDITY 7] x
        S: * OK [UIDNEXT 4] x
        S: * OK [HIGHESTMODSEQ 100] x
        S: A3 OK [READ-WRITE] selected
        C: A4 UID SEARCH RETURN (ALL) UID 1:4294967295
        S: * ESEARCH (TAG "A4") UID ALL 1:3
        S: A4 OK done
    )") + fetchLine(QStringLiteral("A5"), QStringLiteral("2:3")) +
           fetchLine(QStringLiteral("A6"), QStringLiteral("1"));
}

} // namespace wharf::test
