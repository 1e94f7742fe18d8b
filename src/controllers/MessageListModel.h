#pragma once

#include "core/Error.h"
#include "core/MessageFlags.h"

#include <QAbstractTableModel>
#include <QList>
#include <QString>
#include <vector>

namespace wharf::store {
class MailStore;
struct MessageRecord;
} // namespace wharf::store

namespace wharf::controllers {

// The mailbox view's list: one folder of a MailStore, newest first, or the results of a
// search. A folder of any size opens with one count and one page: rows are read from the
// index page by page as the view asks for them, and only the last few pages used are kept,
// so memory stays the same for ten messages or a million. The store belongs to the caller
// and must outlive the model; the store has no change signals, so whoever changes the
// folder calls refresh().
class MessageListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        SubjectColumn,
        FromColumn,
        DateColumn,
        SizeColumn,
        FlagsColumn,
        ColumnCount
    };

    enum Role
    {
        MessageIdRole = Qt::UserRole + 1, // qint64, the store's id
        FlagsRole,                        // int, MessageFlags::toInt()
        UnreadRole,                       // bool
        FlaggedRole,                      // bool
        HasAttachmentsRole,               // bool
        DateRole,                         // QDateTime (UTC); invalid when unknown
        SizeRole,                         // qint64 bytes
        SubjectRole,                      // QString
        FromRole,                         // QString, display form
        RecipientsRole,                   // QString, To and Cc
    };

    static constexpr int kDefaultPageSize = 256;
    static constexpr int kDefaultCachedPages = 12;
    static constexpr qint64 kSearchLimit = 1000;

    explicit MessageListModel(store::MailStore *store, QObject *parent = nullptr);
    ~MessageListModel() override;

    // Lists this folder (0: nothing, or every folder while searching).
    Error setFolder(qint64 folderId);
    qint64 folderId() const { return m_folderId; }
    // Counts again and forgets every cached row: after adds, moves, flag changes.
    Error refresh();
    // Lists the store's search results (at most kSearchLimit, newest first) for the folder
    // in place of the folder; empty text goes back to the folder.
    Error setSearchQuery(const QString &text);
    QString searchQuery() const { return m_searchQuery; }
    bool isSearching() const { return m_searching; }
    // Unread messages in the folder at the last refresh (the whole folder, not the search).
    qint64 unreadCount() const { return m_unread; }
    bool isNewestFirst() const { return m_newestFirst; }

    // How many rows one index query reads, and how many such pages stay in memory.
    void setPageSize(int rows);
    int pageSize() const { return m_pageSize; }
    void setCacheCapacity(int pages);
    int cacheCapacity() const { return m_cacheCapacity; }
    int cachedPageCount() const { return int(m_pages.size()); }
    // The last failure to read the index (data() cannot return one); cleared by refresh().
    Error lastError() const { return m_lastError; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    // The index keeps messages in date order only: the date column sorts, the others keep
    // the current order.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    // What a list row shows; kept small because pages of it are what the model holds.
    struct Row
    {
        qint64 id = 0;
        qint64 internalDate = 0;
        qint64 size = 0;
        QString subject;
        QString from;
        QString recipients;
        MessageFlags flags;
        bool hasAttachments = false;
    };

    struct Page
    {
        qint64 number = -1;
        quint64 lastUse = 0;
        QList<Row> rows;
    };

    static Row rowFrom(const store::MessageRecord &record);
    Error reload();
    const Row *rowAt(int row) const;
    const Page &pageFor(qint64 number) const;

    store::MailStore *m_store = nullptr;
    qint64 m_folderId = 0;
    QString m_searchQuery;
    bool m_searching = false; // asked on every data() call: kept, not derived
    bool m_newestFirst = true;
    int m_pageSize = kDefaultPageSize;
    int m_cacheCapacity = kDefaultCachedPages;
    qint64 m_rowCount = 0;
    qint64 m_unread = 0;
    QList<Row> m_searchRows;
    // Few enough (a dozen) that a linear scan beats any map; least recently used goes first.
    mutable std::vector<Page> m_pages;
    mutable quint64 m_useClock = 0;
    mutable Error m_lastError;
};

} // namespace wharf::controllers
