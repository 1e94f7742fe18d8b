// The mailbox list over a real MailStore: rows in the store's order across page boundaries,
// a bounded page cache that never serves a stale or wrong row, flag roles, search mode, and
// what a refresh shows after the folder changed. QAbstractItemModelTester watches every step.
#include "controllers/MessageListModel.h"
#include "store/MailStore.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace wharf;
using namespace wharf::controllers;
using namespace wharf::store;

#define VERIFY_OK(expression)                                                                      \
    do {                                                                                           \
        const wharf::Error error_ = (expression);                                                  \
        QVERIFY2(!error_, qPrintable(error_.message()));                                           \
    } while (false)

namespace {

constexpr int kMessages = 53; // not a multiple of any page size used below

QDateTime baseDate()
{
    return QDateTime(QDate(2025, 6, 1), QTime(9, 0), QTimeZone::utc());
}

// Message n: dated n / 2 hours after the base, so pairs share a date and the id decides.
QByteArray makeMessage(int n)
{
    const QByteArray date = baseDate().addSecs(3600 * (n / 2)).toString(Qt::RFC2822Date).toLatin1();
    const QByteArray number = QByteArray::number(n);
    QByteArray headers = "From: Sender " + number + " <sender" + number +
                         "@example.org>\r\n"
                         "To: Reader <reader@example.net>\r\n"
                         "Subject: Message " +
                         number + (n % 10 == 0 ? " walrus" : "") +
                         "\r\n"
                         "Date: " +
                         date +
                         "\r\n"
                         "Message-ID: <m" +
                         number +
                         "@example.org>\r\n"
                         "MIME-Version: 1.0\r\n";
    const QByteArray text = "Body of message " + number + ".\r\n";
    if (n % 7 != 0)
        return headers + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + text;
    return headers +
           "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
           "--b\r\nContent-Type: text/plain\r\n\r\n" +
           text +
           "--b\r\nContent-Type: application/pdf\r\n"
           "Content-Disposition: attachment; filename=\"report.pdf\"\r\n"
           "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n";
}

MessageFlags flagsFor(int n)
{
    MessageFlags flags;
    if (n % 3 != 0)
        flags |= MessageFlag::Seen;
    if (n % 5 == 0)
        flags |= MessageFlag::Flagged;
    return flags;
}

qint64 idAt(const MessageListModel &model, int row)
{
    return model.index(row, MessageListModel::SubjectColumn)
        .data(MessageListModel::MessageIdRole)
        .toLongLong();
}

} // namespace

class TestMessageListModel : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    MailStore m_store;
    qint64 m_inbox = 0;
    // Store id of message n.
    QHash<int, qint64> m_ids;

    QList<MessageRecord> storeOrder(bool newestFirst = true)
    {
        QList<MessageRecord> records;
        const Error error = m_store.page(m_inbox, 0, 100000, &records, newestFirst);
        if (error)
            qWarning("%s", qPrintable(error.message()));
        return records;
    }

    // Compares every row with the store, visiting them in `rows` order.
    void expectStoreRows(const MessageListModel &model, const QList<int> &rows,
                         bool newestFirst = true)
    {
        const QList<MessageRecord> expected = storeOrder(newestFirst);
        QCOMPARE(model.rowCount(), expected.size());
        for (int row : rows) {
            const MessageRecord &record = expected.at(row);
            QCOMPARE(idAt(model, row), record.id);
            QCOMPARE(model.index(row, MessageListModel::SubjectColumn).data().toString(),
                     record.subject);
            QCOMPARE(model.index(row, MessageListModel::FromColumn).data().toString(), record.from);
            QVERIFY(model.cachedPageCount() <= model.cacheCapacity());
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        VERIFY_OK(m_store.open(m_dir.path() + QStringLiteral("/account")));
        const std::optional<FolderRecord> inbox = m_store.folderForRole(FolderRole::Inbox);
        QVERIFY(inbox);
        m_inbox = inbox->id;
        // Added out of date order, so ids and dates disagree.
        for (int i = 0; i < kMessages; ++i) {
            const int n = (i * 7) % kMessages;
            AddOptions options;
            options.flags = flagsFor(n);
            qint64 id = 0;
            VERIFY_OK(m_store.addMessage(m_inbox, makeMessage(n), options, &id));
            m_ids.insert(n, id);
        }
    }

    void opensWithCountAndFirstPageOnly()
    {
        MessageListModel model(&m_store);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPageSize(8);
        VERIFY_OK(model.setFolder(m_inbox));
        QCOMPARE(model.rowCount(), kMessages);
        QCOMPARE(model.columnCount(), int(MessageListModel::ColumnCount));
        QCOMPARE(model.unreadCount(), qint64((kMessages + 2) / 3));
        // The tester reads a few rows; nothing beyond what a page holds is fetched.
        QVERIFY(model.cachedPageCount() <= 2);
        QVERIFY(!model.lastError());
    }

    void rowsFollowTheStoreAcrossPageBoundaries()
    {
        MessageListModel model(&m_store);
        model.setPageSize(8);
        model.setCacheCapacity(3);
        VERIFY_OK(model.setFolder(m_inbox));
        QList<int> rows;
        for (int row = 0; row < kMessages; ++row)
            rows.append(row);
        expectStoreRows(model, rows);

        // Newest first, ties by the later id first; the newest message is number 52.
        QCOMPARE(idAt(model, 0), m_ids.value(52));
        QCOMPARE(idAt(model, kMessages - 1), m_ids.value(0));
        for (int row = 1; row < kMessages; ++row) {
            const QDateTime newer =
                model.index(row - 1, 0).data(MessageListModel::DateRole).toDateTime();
            const QDateTime older =
                model.index(row, 0).data(MessageListModel::DateRole).toDateTime();
            QVERIFY(newer >= older);
            if (newer == older)
                QVERIFY(idAt(model, row - 1) > idAt(model, row));
        }
    }

    void evictionKeepsRowsCorrect()
    {
        MessageListModel model(&m_store);
        model.setPageSize(5);
        model.setCacheCapacity(2);
        VERIFY_OK(model.setFolder(m_inbox));
        QList<int> rows;
        for (int row = kMessages - 1; row >= 0; --row) // backwards
            rows.append(row);
        for (int i = 0; i < 200; ++i) // jumping between far pages
            rows.append((i * 37) % kMessages);
        for (int i = 0; i < 30; ++i) // back and forth over one boundary
            rows.append(i % 2 ? 24 : 25);
        expectStoreRows(model, rows);
        QCOMPARE(model.cachedPageCount(), 2);

        model.setCacheCapacity(1);
        QCOMPARE(model.cachedPageCount(), 1);
        expectStoreRows(model, {0, 52, 1, 51, 26});
    }

    void flagRolesShowTheStoredFlags()
    {
        MessageListModel model(&m_store);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        VERIFY_OK(model.setFolder(m_inbox));
        int flagged = 0, unread = 0, attachments = 0;
        for (int row = 0; row < model.rowCount(); ++row) {
            const qint64 id = idAt(model, row);
            const int n = m_ids.key(id, -1);
            QVERIFY(n >= 0);
            const QModelIndex index = model.index(row, MessageListModel::FlagsColumn);
            QCOMPARE(MessageFlags::fromInt(index.data(MessageListModel::FlagsRole).toInt()),
                     flagsFor(n));
            QCOMPARE(index.data(MessageListModel::UnreadRole).toBool(), n % 3 == 0);
            QCOMPARE(index.data(MessageListModel::FlaggedRole).toBool(), n % 5 == 0);
            QCOMPARE(index.data(MessageListModel::HasAttachmentsRole).toBool(), n % 7 == 0);
            QCOMPARE(index.data(MessageListModel::DateRole).toDateTime(),
                     baseDate().addSecs(3600 * (n / 2)));
            QCOMPARE(index.data(MessageListModel::SizeRole).toLongLong(),
                     qint64(makeMessage(n).size()));
            QCOMPARE(index.data(MessageListModel::RecipientsRole).toString(),
                     QStringLiteral("Reader <reader@example.net>"));
            const QString tip = index.data(Qt::ToolTipRole).toString();
            QCOMPARE(tip.contains(QStringLiteral("Flagged")), n % 5 == 0);
            QCOMPARE(tip.contains(QStringLiteral("attachments")), n % 7 == 0);
            flagged += n % 5 == 0;
            unread += n % 3 == 0;
            attachments += n % 7 == 0;
        }
        QCOMPARE(flagged, 11);
        QCOMPARE(unread, 18);
        QCOMPARE(attachments, 8);
        QVERIFY(!model.index(0, MessageListModel::DateColumn).data().toString().isEmpty());
        QVERIFY(!model.index(0, MessageListModel::SizeColumn).data().toString().isEmpty());
        QCOMPARE(model.headerData(MessageListModel::SubjectColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Subject"));
    }

    void searchListsTheStoreResults()
    {
        MessageListModel model(&m_store);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPageSize(4);
        VERIFY_OK(model.setFolder(m_inbox));
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);

        VERIFY_OK(model.setSearchQuery(QStringLiteral("walrus")));
        QVERIFY(model.isSearching());
        QCOMPARE(resets.size(), 1);
        QList<MessageRecord> expected;
        VERIFY_OK(m_store.search(QStringLiteral("walrus"), m_inbox, MessageListModel::kSearchLimit,
                                 &expected));
        QCOMPARE(expected.size(), 6); // messages 0, 10, ..., 50
        QCOMPARE(model.rowCount(), expected.size());
        for (int row = 0; row < model.rowCount(); ++row) {
            QCOMPARE(idAt(model, row), expected.at(row).id);
            QVERIFY(model.index(row, 0).data().toString().contains(QStringLiteral("walrus")));
        }
        QCOMPARE(model.cachedPageCount(), 0);

        VERIFY_OK(model.setSearchQuery(QStringLiteral("sender17@example.org")));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(idAt(model, 0), m_ids.value(17));

        VERIFY_OK(model.setSearchQuery(QStringLiteral("nothingmatchesthis")));
        QCOMPARE(model.rowCount(), 0);

        VERIFY_OK(model.setSearchQuery(QStringLiteral("  ")));
        QVERIFY(!model.isSearching());
        QCOMPARE(model.rowCount(), kMessages);
        QCOMPARE(idAt(model, 0), m_ids.value(52));
    }

    void dateColumnSortsBothWays()
    {
        MessageListModel model(&m_store);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPageSize(6);
        VERIFY_OK(model.setFolder(m_inbox));
        model.sort(MessageListModel::DateColumn, Qt::AscendingOrder);
        QVERIFY(!model.isNewestFirst());
        QList<int> rows;
        for (int row = 0; row < kMessages; ++row)
            rows.append(row);
        expectStoreRows(model, rows, false);

        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        model.sort(MessageListModel::SubjectColumn, Qt::DescendingOrder);
        QCOMPARE(resets.size(), 0);

        VERIFY_OK(model.setSearchQuery(QStringLiteral("walrus")));
        QCOMPARE(idAt(model, 0), m_ids.value(0));
        model.sort(MessageListModel::DateColumn, Qt::DescendingOrder);
        QCOMPARE(idAt(model, 0), m_ids.value(50));
    }

    void refreshShowsAddedMessages()
    {
        MailStore store;
        QTemporaryDir dir;
        VERIFY_OK(store.open(dir.path()));
        const qint64 folder = store.folderForRole(FolderRole::Inbox)->id;
        MessageListModel model(&store);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPageSize(3);
        VERIFY_OK(model.setFolder(folder));
        QCOMPARE(model.rowCount(), 0);

        for (int n = 0; n < 10; ++n)
            VERIFY_OK(store.addToBatch(folder, makeMessage(n), AddOptions{}));
        VERIFY_OK(store.flushBatch());
        // Unchanged until refreshed: the store has no signals.
        QCOMPARE(model.rowCount(), 0);
        VERIFY_OK(model.refresh());
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.unreadCount(), qint64(10));
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("Message 9"));
        QCOMPARE(model.index(9, 0).data().toString(), QStringLiteral("Message 0 walrus"));

        // A newer message lands on top; the cached first page must not hide it.
        qint64 id = 0;
        AddOptions seen;
        seen.flags = MessageFlag::Seen;
        VERIFY_OK(store.addMessage(folder, makeMessage(40), seen, &id));
        VERIFY_OK(model.refresh());
        QCOMPARE(model.rowCount(), 11);
        QCOMPARE(idAt(model, 0), id);
        QCOMPARE(model.unreadCount(), qint64(10));
        QCOMPARE(model.index(3, 0).data().toString(), QStringLiteral("Message 7"));

        // Rows past the end of a folder that shrank since the last refresh are empty, never
        // another message's data; pages read later show the folder as it is now.
        VERIFY_OK(store.removePermanently(id));
        QCOMPARE(model.index(9, 0).data().toString(), QStringLiteral("Message 0 walrus"));
        QVERIFY(model.index(10, 0).data(MessageListModel::MessageIdRole).isNull());
        QVERIFY(model.index(10, 0).data().isNull());
        VERIFY_OK(model.refresh());
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("Message 9"));
    }

    void noFolderNoRows()
    {
        MessageListModel model(&m_store);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        VERIFY_OK(model.setFolder(m_inbox));
        VERIFY_OK(model.setFolder(0));
        QCOMPARE(model.rowCount(), 0);
        MessageListModel detached(nullptr);
        VERIFY_OK(detached.setFolder(m_inbox));
        QCOMPARE(detached.rowCount(), 0);
        QVERIFY(!detached.index(0, 0).isValid());
    }
};

QTEST_GUILESS_MAIN(TestMessageListModel)
#include "tst_message_list_model.moc"
