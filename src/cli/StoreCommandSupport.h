#pragma once

#include "cli/CliContext.h"
#include "store/MailStore.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QJsonObject>

namespace wharf::cli {

// What every `wharf-cli store` action shares: which store it works on (--profile NAME, the
// account's mail; Local Folders without it), JSON or text, and how it reports.
class StoreCommandLine
{
public:
    StoreCommandLine(const CliContext &context, QString action, QString usage);

    QCommandLineParser &parser() { return m_parser; }
    // Parses what follows "store ACTION"; prints the usage and returns false when the
    // arguments do not fit (positionals outside [minimum, maximum]).
    bool parse(const QStringList &arguments, qsizetype minimum, qsizetype maximum);
    QStringList positional() const { return m_parser.positionalArguments(); }
    bool json() const;
    int usage(const QString &why = {}) const;

    // A number option (--limit, --offset, ...) at least `minimum`; nullopt (after saying
    // why) when it is not one.
    std::optional<qint64> number(const QString &name, qint64 fallback, qint64 minimum) const;

    // Opens the store the options name; prints why and returns the exit code when it
    // cannot. Says so on stderr when a missing or damaged index had to be rebuilt.
    int open(store::MailStore *store);
    QString storeName() const { return m_storeName; }

    // The folder --folder names, which must exist; nullopt after saying which ones do.
    std::optional<store::FolderRecord> existingFolder(const store::MailStore &store,
                                                      const QString &name) const;

private:
    const CliContext &m_context;
    QString m_action;
    QString m_usage;
    QCommandLineParser m_parser;
    QString m_storeName;
};

int failWith(const Error &error);

QString flagLetters(MessageFlags flags);
QString utcText(qint64 msecsSinceEpoch);
QJsonObject messageJson(store::MailStore &store, const store::MessageRecord &record);
// One line of a message list: id, date, flags, sender, subject.
QString messageLine(const store::MessageRecord &record, const QString &folderName = {});
void printJson(const QJsonValue &value);

} // namespace wharf::cli
