#pragma once

#include <QByteArrayView>
#include <QList>
#include <QString>

namespace wharf::mime {

// One mailbox of an address header (From, To, Cc, Reply-To, ...), or one empty group.
struct MailAddress
{
    // Display name: RFC 2047 decoded, unquoted, unescaped; may be empty. Control characters
    // (C0, DEL) are replaced by spaces so a name can never fake extra header lines or hide
    // text in a single-line view.
    QString name;
    // addr-spec "local@domain" as written, with comments and folding whitespace removed. A
    // quoted local part is unquoted only when that loses nothing ("john"@x -> john@x). Text
    // without an "@" is kept as it is, so nothing the sender wrote disappears. Empty for an
    // empty group such as "undisclosed-recipients:;".
    QString address;
    // Name of the group the mailbox was listed in, empty if none.
    QString group;

    // "Name <addr>" for showing to a person. The real address is always shown, the name is
    // quoted when it contains address syntax and stripped of bidi controls, so a name such as
    // "boss@bank.example" cannot pass for the address (Mailsploit).
    QString toDisplayString() const;

    friend bool operator==(const MailAddress &, const MailAddress &) = default;
};

} // namespace wharf::mime

// Three QStrings move with memcpy, which lets a long list grow by realloc instead of
// moving each element (a 10 MB header has two million of them).
Q_DECLARE_TYPEINFO(wharf::mime::MailAddress, Q_RELOCATABLE_TYPE);

namespace wharf::mime {

// Parses an unfolded or folded address-list header value as mail really has it: RFC 5322
// including the obsolete syntax, RFC 6532 UTF-8, and the usual breakage (stray commas,
// missing ">" or "@", unbalanced quotes and comments). Never fails; linear in the input.
QList<MailAddress> parseAddressList(QByteArrayView headerValue);

} // namespace wharf::mime
