#pragma once

#include <QByteArray>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcNet)
Q_DECLARE_LOGGING_CATEGORY(lcImap)
Q_DECLARE_LOGGING_CATEGORY(lcPop3)
Q_DECLARE_LOGGING_CATEGORY(lcSmtp)
Q_DECLARE_LOGGING_CATEGORY(lcFtp)
Q_DECLARE_LOGGING_CATEGORY(lcStore)
Q_DECLARE_LOGGING_CATEGORY(lcController)

namespace wharf {

// Replaces credentials in a command line before it reaches any log: IMAP LOGIN and
// AUTHENTICATE, POP3/FTP PASS and ACCT, POP3 APOP, POP3/SMTP AUTH with an initial response.
// The command word and mechanism stay visible so the log still shows what happened.
QByteArray redactCredentials(const QByteArray &commandLine);

inline constexpr QByteArrayView kRedacted = "<redacted>";

} // namespace wharf
