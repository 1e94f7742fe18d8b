#pragma once

#include "mime/AddressList.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QDateTime>
#include <QList>
#include <QString>

namespace wharf::mime {

// A file to send with a draft.
struct Attachment
{
    QString fileName;
    QByteArray mimeType; // empty: guessed with QMimeDatabase from the name and the data
    QByteArray data;
    // Shown in the body; with a contentId and an HTML body it goes into multipart/related
    // so the HTML can refer to it as "cid:<contentId>".
    bool inline_ = false;
    QByteArray contentId; // with or without angle brackets
};

// What the user composed. Text uses "\n" line ends; the written message has CRLF.
struct Draft
{
    // Display names are written trimmed: readers drop whitespace at their ends.
    MailAddress from;
    QList<MailAddress> to, cc, bcc, replyTo; // bcc is the transport's business, never written
    QString subject;
    QString plainText; // either or both
    QString htmlText;
    QList<Attachment> attachments;
    QByteArray inReplyTo;      // message id with <>
    QByteArrayList references; // message ids with <>, oldest first
    // Raw bytes of a forwarded message: a message/rfc822 part, or its plain text appended to
    // plainText when forwardAsAttachment is false.
    QByteArray forwardedMessage;
    bool forwardAsAttachment = true;
};

struct WriteOptions
{
    bool eightBitAllowed = false; // the server announced 8BITMIME (and SMTPUTF8 for headers)
    QDateTime date = {};          // invalid: now
    QByteArray messageIdDomain = "wharf.invalid";
};

} // namespace wharf::mime
