#include "cli/MailCommand.h"

#include "cli/ExitCode.h"
#include "mime/Mbox.h"
#include "mime/Message.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace wharf::cli {

namespace {

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QJsonArray addressesJson(const QList<mime::MailAddress> &addresses)
{
    QJsonArray array;
    for (const mime::MailAddress &address : addresses) {
        if (address.address.isEmpty())
            continue; // an empty group ("undisclosed-recipients:;") names nobody
        array.append(QJsonObject{{QStringLiteral("name"), address.name},
                                 {QStringLiteral("address"), address.address}});
    }
    return array;
}

QJsonObject messageJson(const mime::Message &message, const QString &file, int index)
{
    QJsonObject object;
    object[QStringLiteral("file")] = file;
    object[QStringLiteral("index")] = index;
    object[QStringLiteral("subject")] = mime::findField(message.headers(), "Subject")
                                            ? QJsonValue(message.subject())
                                            : QJsonValue(QJsonValue::Null);
    object[QStringLiteral("from")] = addressesJson(message.from());
    object[QStringLiteral("to")] = addressesJson(message.to());
    object[QStringLiteral("cc")] = addressesJson(message.cc());
    const auto date = message.date();
    object[QStringLiteral("date")] =
        date ? QJsonValue(date->toString(Qt::ISODate)) : QJsonValue(QJsonValue::Null);
    object[QStringLiteral("message_id")] = textOrNull(QString::fromLatin1(message.messageId()));

    QJsonArray parts;
    for (const mime::MessagePart *part : message.leafParts()) {
        const QByteArray bytes = part->decodedBytes();
        parts.append(QJsonObject{
            {QStringLiteral("part"), QString::fromLatin1(part->partNumber())},
            {QStringLiteral("content_type"), QString::fromLatin1(part->contentType())},
            {QStringLiteral("charset"), textOrNull(part->charset())},
            {QStringLiteral("disposition"), textOrNull(QString::fromLatin1(part->disposition()))},
            {QStringLiteral("filename"), textOrNull(part->fileName())},
            {QStringLiteral("size"), bytes.size()},
            {QStringLiteral("sha256"),
             QString::fromLatin1(
                 QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex())}});
    }
    object[QStringLiteral("parts")] = parts;
    return object;
}

QString addressesText(const QList<mime::MailAddress> &addresses)
{
    QStringList shown;
    for (const mime::MailAddress &address : addresses)
        shown.append(address.toDisplayString());
    return shown.join(QStringLiteral(", "));
}

QString messageText(const QJsonObject &json, const mime::Message &message)
{
    QString text = QStringLiteral("%1 #%2\n")
                       .arg(json[QStringLiteral("file")].toString())
                       .arg(json[QStringLiteral("index")].toInt());
    text += QStringLiteral("  Subject: %1\n").arg(message.subject());
    text += QStringLiteral("  From:    %1\n").arg(addressesText(message.from()));
    text += QStringLiteral("  To:      %1\n").arg(addressesText(message.to()));
    if (!message.cc().isEmpty())
        text += QStringLiteral("  Cc:      %1\n").arg(addressesText(message.cc()));
    text += QStringLiteral("  Date:    %1\n").arg(json[QStringLiteral("date")].toString());
    for (const QJsonValue &value : json[QStringLiteral("parts")].toArray()) {
        const QJsonObject part = value.toObject();
        text += QStringLiteral("  part %1  %2  %3 bytes  %4\n")
                    .arg(part[QStringLiteral("part")].toString(),
                         part[QStringLiteral("content_type")].toString())
                    .arg(part[QStringLiteral("size")].toInteger())
                    .arg(part[QStringLiteral("filename")].toString());
    }
    return text;
}

int runParse(const CliContext &context, const QStringList &files)
{
    if (files.isEmpty()) {
        printError(QStringLiteral("usage: wharf-cli mail parse FILE... [--json]"));
        return ExitUsage;
    }
    // Streamed: one message in memory at a time, whatever the size of an mbox.
    bool first = true;
    if (context.json)
        printOut(QStringLiteral("["));
    for (const QString &path : files) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            printError(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
            return ExitLocalFile;
        }
        int index = 0;
        auto parseOne = [&](const QByteArray &raw) {
            const mime::Message message = mime::Message::parse(raw);
            const QJsonObject json = messageJson(message, path, index++);
            if (!context.json) {
                printOut(messageText(json, message));
                return;
            }
            QByteArray text = QJsonDocument(json).toJson(QJsonDocument::Indented).trimmed();
            printOut((first ? QStringLiteral("\n") : QStringLiteral(",\n")) +
                     QString::fromUtf8(text));
            first = false;
        };
        const bool mbox = mime::looksLikeMbox(file.peek(5));
        const bool read = mbox ? mime::forEachMboxMessage(file, parseOne)
                               : (parseOne(file.readAll()), file.error() == QFile::NoError);
        if (!read) {
            printError(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
            return ExitLocalFile;
        }
    }
    if (context.json)
        printOut(QStringLiteral("\n]\n"));
    return ExitOk;
}

} // namespace

int runMail(const CliContext &context, const QStringList &arguments)
{
    const QString action = arguments.value(0);
    if (action == u"parse")
        return runParse(context, arguments.mid(1));
    printError(QStringLiteral("usage: wharf-cli mail parse FILE... [--json]"));
    return ExitUsage;
}

} // namespace wharf::cli
