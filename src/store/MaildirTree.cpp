#include "store/MaildirTree.h"

#include <QDir>

namespace wharf::store {

namespace {

bool needsEscape(char16_t c)
{
    return c == u'.' || c == u'/' || c == u'%' || c < 0x20 || c == 0x7f;
}

} // namespace

QString folderRoleName(FolderRole role)
{
    switch (role) {
    case FolderRole::None:
        return {};
    case FolderRole::Inbox:
        return QStringLiteral("inbox");
    case FolderRole::Drafts:
        return QStringLiteral("drafts");
    case FolderRole::Sent:
        return QStringLiteral("sent");
    case FolderRole::Trash:
        return QStringLiteral("trash");
    case FolderRole::Outbox:
        return QStringLiteral("outbox");
    }
    return {};
}

FolderRole folderRoleFromName(QStringView name)
{
    for (FolderRole role : {FolderRole::Inbox, FolderRole::Drafts, FolderRole::Sent,
                            FolderRole::Trash, FolderRole::Outbox}) {
        if (name.compare(folderRoleName(role), Qt::CaseInsensitive) == 0)
            return role;
    }
    return FolderRole::None;
}

QString MaildirTree::defaultNameFor(FolderRole role)
{
    switch (role) {
    case FolderRole::None:
        return {};
    case FolderRole::Inbox:
        return QString::fromUtf16(kInbox);
    case FolderRole::Drafts:
        return QStringLiteral("Drafts");
    case FolderRole::Sent:
        return QStringLiteral("Sent");
    case FolderRole::Trash:
        return QStringLiteral("Trash");
    case FolderRole::Outbox:
        return QStringLiteral("Outbox");
    }
    return {};
}

QString MaildirTree::directoryNameFor(const QString &name)
{
    QString directory;
    const QStringList levels = name.split(u'/');
    for (const QString &level : levels) {
        directory += u'.';
        for (QChar c : level) {
            if (needsEscape(c.unicode()))
                directory +=
                    u'%' + QString::number(c.unicode(), 16).toUpper().rightJustified(2, u'0');
            else
                directory += c;
        }
    }
    return directory;
}

std::optional<QString> MaildirTree::folderNameFor(const QString &directoryName)
{
    if (!directoryName.startsWith(u'.') || directoryName == u"." || directoryName == u"..")
        return std::nullopt;
    QString name;
    const QStringView rest = QStringView(directoryName).mid(1);
    for (qsizetype i = 0; i < rest.size(); ++i) {
        const QChar c = rest[i];
        if (c == u'.') {
            name += u'/';
        } else if (c == u'%' && i + 2 < rest.size()) {
            bool ok = false;
            const ushort code = rest.mid(i + 1, 2).toUShort(&ok, 16);
            if (!ok)
                return std::nullopt;
            name += QChar(code);
            i += 2;
        } else {
            name += c;
        }
    }
    if (name.split(u'/').contains(QString()))
        return std::nullopt;
    return name;
}

std::optional<MaildirFolder> MaildirTree::folder(const QString &name, Error *error) const
{
    if (name.compare(QString::fromUtf16(kInbox), Qt::CaseInsensitive) == 0)
        return MaildirFolder(m_root);
    const QStringList levels = name.split(u'/');
    for (const QString &level : levels) {
        if (level.isEmpty() || level == u"." || level == u"..") {
            if (error) {
                *error = Error(ErrorKind::Usage,
                               QStringLiteral("\"%1\" is not a folder name: empty, \".\" or "
                                              "\"..\" levels are not allowed")
                                   .arg(name));
            }
            return std::nullopt;
        }
    }
    return MaildirFolder(m_root + u'/' + directoryNameFor(name));
}

Error MaildirTree::listFolderNames(QStringList *names) const
{
    names->clear();
    if (MaildirFolder(m_root).exists())
        names->append(QString::fromUtf16(kInbox));
    const QDir root(m_root);
    const QStringList directories =
        root.entryList(QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &directory : directories) {
        const std::optional<QString> name = folderNameFor(directory);
        if (name && MaildirFolder(root.filePath(directory)).exists())
            names->append(*name);
    }
    return {};
}

} // namespace wharf::store
