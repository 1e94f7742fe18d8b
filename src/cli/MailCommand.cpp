#include "cli/MailCommand.h"

#include "cli/ExitCode.h"
#include "mime/Mbox.h"
#include "mime/Message.h"
#include "mime/MessageWriter.h"

#include <QCommandLineParser>
#include <QCryptographicHash>
#include <QFileInfo>
#include <QSaveFile>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>

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

std::optional<QByteArray> readWhole(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        printError(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
        return std::nullopt;
    }
    return file.readAll();
}

QList<mime::MailAddress> addressesFrom(const QStringList &values)
{
    QList<mime::MailAddress> addresses;
    for (const QString &value : values)
        addresses += mime::parseAddressList(value.toUtf8());
    return addresses;
}

const char *const kComposeUsage =
    "usage: wharf-cli mail compose --from A --to B [--cc C] [--bcc D] [--subject S] "
    "[--body-file F] [--html-file F] [--attach F]... [-o OUT]";

int runCompose(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption from(QStringLiteral("from"), {}, QStringLiteral("A"));
    const QCommandLineOption to(QStringLiteral("to"), {}, QStringLiteral("B"));
    const QCommandLineOption cc(QStringLiteral("cc"), {}, QStringLiteral("C"));
    const QCommandLineOption bcc(QStringLiteral("bcc"), {}, QStringLiteral("D"));
    const QCommandLineOption subject(QStringLiteral("subject"), {}, QStringLiteral("S"));
    const QCommandLineOption body(QStringLiteral("body-file"), {}, QStringLiteral("F"));
    const QCommandLineOption html(QStringLiteral("html-file"), {}, QStringLiteral("F"));
    const QCommandLineOption attach(QStringLiteral("attach"), {}, QStringLiteral("F"));
    const QCommandLineOption output(QStringList{QStringLiteral("o"), QStringLiteral("output")}, {},
                                    QStringLiteral("OUT"));
    parser.addOptions({from, to, cc, bcc, subject, body, html, attach, output});
    if (!parser.parse(QStringList{QStringLiteral("compose")} + arguments) ||
        !parser.positionalArguments().isEmpty() || !parser.isSet(from) || !parser.isSet(to)) {
        printError(parser.errorText().isEmpty() ? QString::fromLatin1(kComposeUsage)
                                                : parser.errorText());
        return ExitUsage;
    }

    mime::Draft draft;
    const QList<mime::MailAddress> sender = addressesFrom({parser.value(from)});
    if (sender.size() != 1) {
        printError(QStringLiteral("--from takes exactly one address"));
        return ExitUsage;
    }
    draft.from = sender.first();
    draft.to = addressesFrom(parser.values(to));
    draft.cc = addressesFrom(parser.values(cc));
    draft.bcc = addressesFrom(parser.values(bcc));
    draft.subject = parser.value(subject);
    for (const auto &[option, text] :
         {std::pair{&body, &draft.plainText}, std::pair{&html, &draft.htmlText}}) {
        if (!parser.isSet(*option))
            continue;
        const auto bytes = readWhole(parser.value(*option));
        if (!bytes)
            return ExitLocalFile;
        *text = QString::fromUtf8(*bytes);
    }
    for (const QString &path : parser.values(attach)) {
        const auto bytes = readWhole(path);
        if (!bytes)
            return ExitLocalFile;
        draft.attachments.append({QFileInfo(path).fileName(), {}, *bytes, false, {}});
    }

    const auto written = mime::writeMessage(draft);
    if (const Error *error = std::get_if<Error>(&written)) {
        printError(error->message());
        return exitCodeFor(error->kind());
    }
    const QByteArray &message = std::get<QByteArray>(written);
    if (!parser.isSet(output)) {
        std::fwrite(message.constData(), 1, size_t(message.size()), stdout);
        return ExitOk;
    }
    QSaveFile file(parser.value(output)); // all or nothing: no half-written message
    if (!file.open(QIODevice::WriteOnly) || file.write(message) != message.size() ||
        !file.commit()) {
        printError(
            QStringLiteral("cannot write %1: %2").arg(parser.value(output), file.errorString()));
        return ExitLocalFile;
    }
    return ExitOk;
}

} // namespace

int runMail(const CliContext &context, const QStringList &arguments)
{
    const QString action = arguments.value(0);
    if (action == u"parse") {
        // "mail parse FILE... --json" as well as "--json mail parse FILE...".
        CliContext local = context;
        QStringList files = arguments.mid(1);
        local.json = files.removeAll(QStringLiteral("--json")) > 0 || context.json;
        return runParse(local, files);
    }
    if (action == u"compose")
        return runCompose(arguments.mid(1));
    printError(QStringLiteral("usage: wharf-cli mail parse FILE... [--json] | mail compose ..."));
    return ExitUsage;
}

} // namespace wharf::cli
