#include "store/MaildirFolder.h"

#include "store/DurableFiles.h"

#include <QDateTime>
#include <QFile>
#include <QRandomGenerator>
#include <QSysInfo>

#include <atomic>
#include <cerrno>
#include <ctime>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

namespace wharf::store {

namespace {

struct FlagLetter
{
    char letter;
    MessageFlag flag;
};

// Maildir info letters in ASCII order, as the specification requires them written.
constexpr FlagLetter kFlagLetters[] = {
    {'D', MessageFlag::Draft},    {'F', MessageFlag::Flagged}, {'P', MessageFlag::Forwarded},
    {'R', MessageFlag::Answered}, {'S', MessageFlag::Seen},    {'T', MessageFlag::Deleted},
};

QString escapedHostName()
{
    QString host = QSysInfo::machineHostName();
    if (host.isEmpty())
        host = QStringLiteral("localhost");
    host.replace(u'/', QStringLiteral("\\057"));
    host.replace(u':', QStringLiteral("\\072"));
    return host;
}

// A one-character extra flag goes into the file name; '/' and ' ' never can.
bool isNameLetter(QStringView entry)
{
    return entry.size() == 1 && entry.front() != u'/' && entry.front() != u' ';
}

qint64 mtimeNanoseconds(const QString &path)
{
    struct stat status
    {};
    if (::stat(QFile::encodeName(path).constData(), &status) != 0)
        return -1;
    return qint64(status.st_mtim.tv_sec) * 1'000'000'000 + status.st_mtim.tv_nsec;
}

} // namespace

QString MaildirFolder::absolutePath(const QString &relativePath) const
{
    return m_path + u'/' + relativePath;
}

bool MaildirFolder::exists() const
{
    struct stat status
    {};
    return ::stat(QFile::encodeName(m_path + QStringLiteral("/cur")).constData(), &status) == 0 &&
           S_ISDIR(status.st_mode);
}

Error MaildirFolder::create() const
{
    for (const char16_t *sub : {u"tmp", u"new", u"cur"}) {
        if (Error error = makePrivateDirectory(m_path + u'/' + QString::fromUtf16(sub)))
            return error;
    }
    return {};
}

QString MaildirFolder::newKey()
{
    static const QString host = escapedHostName();
    static std::atomic<quint64> counter{0};
    struct timeval now
    {};
    ::gettimeofday(&now, nullptr);
    return QStringLiteral("%1.M%2P%3Q%4R%5.%6")
        .arg(qint64(now.tv_sec))
        .arg(qint64(now.tv_usec))
        .arg(qint64(::getpid()))
        .arg(++counter)
        .arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0'))
        .arg(host);
}

QString MaildirFolder::infoSuffix(MessageFlags flags, const QString &extraFlags)
{
    QString letters;
    for (const FlagLetter &entry : kFlagLetters) {
        if (flags.testFlag(entry.flag))
            letters += QLatin1Char(entry.letter);
    }
    for (QStringView entry : QStringView(extraFlags).split(u' ', Qt::SkipEmptyParts)) {
        if (isNameLetter(entry) && !letters.contains(entry.front()))
            letters += entry.front();
    }
    std::sort(letters.begin(), letters.end());
    return QStringLiteral(":2,") + letters;
}

QString MaildirFolder::extraFlagsWithLetters(const QString &indexed, const QString &nameLetters)
{
    QStringList kept;
    for (const QString &entry : indexed.split(u' ', Qt::SkipEmptyParts)) {
        if (!isNameLetter(entry))
            kept.append(entry);
    }
    for (const QString &entry : nameLetters.split(u' ', Qt::SkipEmptyParts)) {
        if (isNameLetter(entry))
            kept.append(entry);
    }
    return kept.join(u' ');
}

std::optional<MaildirEntry> MaildirFolder::parseFileName(const QString &subdirectory,
                                                         const QString &fileName)
{
    if (fileName.isEmpty() || fileName.startsWith(u'.'))
        return std::nullopt;
    MaildirEntry entry;
    entry.relativePath = subdirectory + u'/' + fileName;
    const qsizetype info = fileName.indexOf(QStringLiteral(":2,"));
    if (info < 0) {
        // Files in cur/ without info exist (some tools drop it); they are messages too.
        entry.key = fileName.section(u':', 0, 0);
        return entry.key.isEmpty() ? std::nullopt : std::optional(entry);
    }
    entry.key = fileName.left(info);
    if (entry.key.isEmpty())
        return std::nullopt;
    for (QChar letter : QStringView(fileName).mid(info + 3)) {
        bool mapped = false;
        for (const FlagLetter &known : kFlagLetters) {
            if (letter == QLatin1Char(known.letter)) {
                entry.flags |= known.flag;
                mapped = true;
            }
        }
        if (!mapped && letter != u' ' && !entry.extraFlags.contains(letter)) {
            if (!entry.extraFlags.isEmpty())
                entry.extraFlags += u' ';
            entry.extraFlags += letter;
        }
    }
    return entry;
}

Error MaildirFolder::list(QList<MaildirEntry> *entries) const
{
    for (const char16_t *sub : {u"new", u"cur"}) {
        const QString subdirectory = QString::fromUtf16(sub);
        const QString directoryPath = m_path + u'/' + subdirectory;
        DIR *directory = ::opendir(QFile::encodeName(directoryPath).constData());
        if (!directory)
            return errorFromErrno(errno, QStringLiteral("read folder"), directoryPath);
        errno = 0;
        while (const dirent *item = ::readdir(directory)) {
            if (item->d_type != DT_REG && item->d_type != DT_UNKNOWN)
                continue;
            if (auto entry = parseFileName(subdirectory, QFile::decodeName(item->d_name)))
                entries->append(std::move(*entry));
        }
        const int savedErrno = errno;
        ::closedir(directory);
        if (savedErrno != 0)
            return errorFromErrno(savedErrno, QStringLiteral("read folder"), directoryPath);
    }
    return {};
}

QString MaildirFolder::temporaryPathFor(const QString &key) const
{
    return m_path + QStringLiteral("/tmp/") + key;
}

QString MaildirFolder::relativePathFor(const QString &key, MessageFlags flags,
                                       const QString &extraFlags)
{
    const QString suffix = infoSuffix(flags, extraFlags);
    if (suffix.size() == 3) // no letter: IMAP keywords alone leave it unseen in new/
        return QStringLiteral("new/") + key;
    return QStringLiteral("cur/") + key + suffix;
}

Error MaildirFolder::publish(const QString &key, const QString &relativePath, bool sync) const
{
    if (Error error = renamePath(temporaryPathFor(key), absolutePath(relativePath)))
        return error;
    if (sync)
        return syncPath(absolutePath(relativePath.section(u'/', 0, 0)));
    return {};
}

Error MaildirFolder::syncDirectories() const
{
    if (Error error = syncPath(m_path + QStringLiteral("/new")))
        return error;
    return syncPath(m_path + QStringLiteral("/cur"));
}

MaildirFolder::Stamp MaildirFolder::stamp() const
{
    return {mtimeNanoseconds(m_path + QStringLiteral("/new")),
            mtimeNanoseconds(m_path + QStringLiteral("/cur"))};
}

MaildirFolder::Stamp MaildirFolder::stampToRemember() const
{
    constexpr qint64 kSettled = 2'000'000'000; // ns
    struct timespec now
    {};
    ::clock_gettime(CLOCK_REALTIME, &now);
    const qint64 nowNs = qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
    Stamp stamp = this->stamp();
    if (nowNs - stamp.newDirectory < kSettled)
        stamp.newDirectory = -1;
    if (nowNs - stamp.curDirectory < kSettled)
        stamp.curDirectory = -1;
    return stamp;
}

void MaildirFolder::removeStaleTemporaryFiles() const
{
    const QString directoryPath = m_path + QStringLiteral("/tmp");
    DIR *directory = ::opendir(QFile::encodeName(directoryPath).constData());
    if (!directory)
        return;
    // ctime, not mtime: Wharf sets a message's mtime to its arrival date while it is still
    // in tmp/, and a message from 2019 being imported right now is not stale.
    const qint64 cutoff = QDateTime::currentSecsSinceEpoch() - 36 * 3600;
    while (const dirent *item = ::readdir(directory)) {
        if (item->d_name[0] == '.')
            continue;
        const QByteArray path = QFile::encodeName(directoryPath) + '/' + item->d_name;
        struct stat status
        {};
        if (::stat(path.constData(), &status) == 0 && S_ISREG(status.st_mode) &&
            status.st_ctim.tv_sec < cutoff) {
            ::unlink(path.constData());
        }
    }
    ::closedir(directory);
}

} // namespace wharf::store
