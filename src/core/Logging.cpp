#include "core/Logging.h"

#include <QList>

Q_LOGGING_CATEGORY(lcNet, "wharf.net", QtWarningMsg)
Q_LOGGING_CATEGORY(lcImap, "wharf.imap", QtWarningMsg)
Q_LOGGING_CATEGORY(lcPop3, "wharf.pop3", QtWarningMsg)
Q_LOGGING_CATEGORY(lcSmtp, "wharf.smtp", QtWarningMsg)
Q_LOGGING_CATEGORY(lcFtp, "wharf.ftp", QtWarningMsg)
Q_LOGGING_CATEGORY(lcStore, "wharf.store", QtWarningMsg)
Q_LOGGING_CATEGORY(lcController, "wharf.controller", QtWarningMsg)

namespace wharf {

namespace {

struct Word
{
    qsizetype begin;
    qsizetype end;
};

// The first few space-separated words, enough to recognise the command.
QList<Word> leadingWords(const QByteArray &line, int count)
{
    QList<Word> words;
    qsizetype pos = 0;
    while (words.size() < count && pos < line.size()) {
        while (pos < line.size() && line.at(pos) == ' ')
            ++pos;
        if (pos >= line.size())
            break;
        const qsizetype begin = pos;
        while (pos < line.size() && line.at(pos) != ' ')
            ++pos;
        words.append({begin, pos});
    }
    return words;
}

bool wordIs(const QByteArray &line, const Word &word, QByteArrayView name)
{
    return line.sliced(word.begin, word.end - word.begin).compare(name, Qt::CaseInsensitive) == 0;
}

// Keeps the line up to the end of words[keep - 1] and hides the rest, if there is a rest.
QByteArray keepWords(const QByteArray &line, const QList<Word> &words, qsizetype keep)
{
    if (words.size() <= keep)
        return line;
    return line.left(words.at(keep - 1).end) + ' ' + kRedacted.toByteArray();
}

} // namespace

QByteArray redactCredentials(const QByteArray &line)
{
    const QList<Word> words = leadingWords(line, 4);
    if (words.isEmpty())
        return line;

    // Untagged commands: POP3, SMTP, FTP.
    if (wordIs(line, words[0], "PASS") || wordIs(line, words[0], "ACCT"))
        return keepWords(line, words, 1);
    if (wordIs(line, words[0], "APOP"))
        return keepWords(line, words, 2);
    if (wordIs(line, words[0], "AUTH"))
        return keepWords(line, words, 2);

    // Tagged IMAP commands: "<tag> LOGIN user pass", "<tag> AUTHENTICATE PLAIN <ir>".
    if (words.size() >= 2) {
        if (wordIs(line, words[1], "LOGIN"))
            return keepWords(line, words, 2);
        if (wordIs(line, words[1], "AUTHENTICATE"))
            return keepWords(line, words, 3);
    }
    return line;
}

} // namespace wharf
