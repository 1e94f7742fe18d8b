#include "controllers/MessageListModel.h"

#include "store/MailStore.h"

#include <QDateTime>
#include <QLocale>
#include <QTimeZone>
#include <algorithm>
#include <climits>

namespace wharf::controllers {

MessageListModel::MessageListModel(store::MailStore *store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
{}

MessageListModel::~MessageListModel() = default;

Error MessageListModel::setFolder(qint64 folderId)
{
    m_folderId = folderId;
    return refresh();
}

Error MessageListModel::setSearchQuery(const QString &text)
{
    m_searchQuery = text;
    m_searching = !text.trimmed().isEmpty();
    return refresh();
}

Error MessageListModel::refresh()
{
    beginResetModel();
    m_lastError = {};
    const Error error = reload();
    if (error)
        m_lastError = error;
    endResetModel();
    return error;
}

void MessageListModel::setPageSize(int rows)
{
    beginResetModel();
    m_pageSize = std::max(1, rows);
    m_pages.clear();
    endResetModel();
}

void MessageListModel::setCacheCapacity(int pages)
{
    m_cacheCapacity = std::max(1, pages);
    while (int(m_pages.size()) > m_cacheCapacity) {
        const auto oldest =
            std::min_element(m_pages.begin(), m_pages.end(),
                             [](const Page &a, const Page &b) { return a.lastUse < b.lastUse; });
        m_pages.erase(oldest);
    }
}

Error MessageListModel::reload()
{
    m_pages.clear();
    m_searchRows.clear();
    m_rowCount = 0;
    m_unread = 0;
    if (!m_store)
        return {};
    if (m_folderId != 0) {
        qint64 total = 0;
        if (Error error = m_store->count(m_folderId, &total, &m_unread))
            return error;
        m_rowCount = total;
    }
    if (!isSearching())
        return {};

    // Results are bounded by the limit, so they are held whole; a page cache would cost
    // one full-text query per page for nothing.
    QList<store::MessageRecord> records;
    if (Error error = m_store->search(m_searchQuery, m_folderId, kSearchLimit, &records)) {
        m_rowCount = 0;
        return error;
    }
    m_searchRows.reserve(records.size());
    for (const store::MessageRecord &record : std::as_const(records))
        m_searchRows.append(rowFrom(record));
    if (!m_newestFirst)
        std::reverse(m_searchRows.begin(), m_searchRows.end());
    m_rowCount = m_searchRows.size();
    return {};
}

MessageListModel::Row MessageListModel::rowFrom(const store::MessageRecord &record)
{
    Row row;
    row.id = record.id;
    row.internalDate = record.internalDate;
    row.size = record.size;
    row.subject = record.subject;
    row.from = record.from;
    row.recipients = record.recipients;
    row.flags = record.flags;
    row.hasAttachments = record.hasAttachments;
    return row;
}

const MessageListModel::Page &MessageListModel::pageFor(qint64 number) const
{
    for (Page &page : m_pages) {
        if (page.number == number) {
            page.lastUse = ++m_useClock;
            return page;
        }
    }

    Page fetched;
    fetched.number = number;
    fetched.lastUse = ++m_useClock;
    QList<store::MessageRecord> records;
    // Scrolling down reads on from the previous page's last row, which costs the same
    // anywhere in the folder; a jump (the scroll bar dragged) counts rows from the top.
    const Page *previous = nullptr;
    for (const Page &page : m_pages) {
        if (page.number == number - 1 && page.rows.size() == m_pageSize)
            previous = &page;
    }
    Error error;
    if (previous) {
        store::MessageRecord last;
        last.id = previous->rows.last().id;
        last.internalDate = previous->rows.last().internalDate;
        error = m_store->pageAfter(m_folderId, last, m_pageSize, &records, m_newestFirst);
    } else {
        error = m_store->page(m_folderId, number * m_pageSize, m_pageSize, &records, m_newestFirst);
    }
    // A page that cannot be read is kept empty: retrying on every paint would not help, and
    // refresh() (or its eviction) tries again.
    if (error) {
        m_lastError = error;
    } else {
        fetched.rows.reserve(records.size());
        for (const store::MessageRecord &record : std::as_const(records))
            fetched.rows.append(rowFrom(record));
    }

    if (int(m_pages.size()) < m_cacheCapacity) {
        m_pages.push_back(std::move(fetched));
        return m_pages.back();
    }
    const auto oldest =
        std::min_element(m_pages.begin(), m_pages.end(),
                         [](const Page &a, const Page &b) { return a.lastUse < b.lastUse; });
    *oldest = std::move(fetched);
    return *oldest;
}

const MessageListModel::Row *MessageListModel::rowAt(int row) const
{
    if (row < 0 || row >= m_rowCount)
        return nullptr;
    if (isSearching())
        return row < m_searchRows.size() ? &m_searchRows[row] : nullptr;
    const Page &page = pageFor(row / m_pageSize);
    const qsizetype offset = row % m_pageSize;
    // Shorter than expected when messages went away since the last refresh.
    return offset < page.rows.size() ? &page.rows[offset] : nullptr;
}

int MessageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(std::min<qint64>(m_rowCount, INT_MAX));
}

int MessageListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

namespace {

QDateTime utcDate(qint64 msecs)
{
    return msecs == 0 ? QDateTime() : QDateTime::fromMSecsSinceEpoch(msecs, QTimeZone::utc());
}

QString flagsDescription(MessageFlags flags, bool hasAttachments)
{
    QStringList parts;
    parts.append(flags.testFlag(MessageFlag::Seen) ? MessageListModel::tr("Read")
                                                   : MessageListModel::tr("Unread"));
    if (flags.testFlag(MessageFlag::Flagged))
        parts.append(MessageListModel::tr("Flagged"));
    if (flags.testFlag(MessageFlag::Answered))
        parts.append(MessageListModel::tr("Answered"));
    if (flags.testFlag(MessageFlag::Forwarded))
        parts.append(MessageListModel::tr("Forwarded"));
    if (hasAttachments)
        parts.append(MessageListModel::tr("Has attachments"));
    return parts.join(QStringLiteral(", "));
}

} // namespace

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    // Quietly, unlike checkIndex(): views ask for invalid indexes in ordinary use.
    if (!index.isValid() || index.model() != this || index.column() >= ColumnCount)
        return {};
    const Row *row = rowAt(index.row());
    if (!row)
        return {};

    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SubjectColumn:
            return row->subject;
        case FromColumn:
            return row->from;
        case DateColumn:
            return row->internalDate == 0
                       ? QString()
                       : QLocale().toString(utcDate(row->internalDate).toLocalTime(),
                                            QLocale::ShortFormat);
        case SizeColumn:
            return QLocale().formattedDataSize(row->size, 1, QLocale::DataSizeTraditionalFormat);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == FlagsColumn)
            return flagsDescription(row->flags, row->hasAttachments);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case MessageIdRole:
        return row->id;
    case FlagsRole:
        return row->flags.toInt();
    case UnreadRole:
        return !row->flags.testFlag(MessageFlag::Seen);
    case FlaggedRole:
        return row->flags.testFlag(MessageFlag::Flagged);
    case HasAttachmentsRole:
        return row->hasAttachments;
    case DateRole:
        return utcDate(row->internalDate);
    case SizeRole:
        return row->size;
    case SubjectRole:
        return row->subject;
    case FromRole:
        return row->from;
    case RecipientsRole:
        return row->recipients;
    default:
        return {};
    }
}

QVariant MessageListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case SubjectColumn:
        return tr("Subject");
    case FromColumn:
        return tr("From");
    case DateColumn:
        return tr("Date");
    case SizeColumn:
        return tr("Size");
    case FlagsColumn:
        return tr("Flags");
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(MessageIdRole, "messageId");
    names.insert(FlagsRole, "flags");
    names.insert(UnreadRole, "unread");
    names.insert(FlaggedRole, "flagged");
    names.insert(HasAttachmentsRole, "hasAttachments");
    names.insert(DateRole, "date");
    names.insert(SizeRole, "size");
    names.insert(SubjectRole, "subject");
    names.insert(FromRole, "from");
    names.insert(RecipientsRole, "recipients");
    return names;
}

void MessageListModel::sort(int column, Qt::SortOrder order)
{
    const bool newestFirst = order == Qt::DescendingOrder;
    if (column != DateColumn || newestFirst == m_newestFirst)
        return;
    m_newestFirst = newestFirst;
    refresh();
}

} // namespace wharf::controllers
