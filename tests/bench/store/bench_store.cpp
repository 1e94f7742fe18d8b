// The store benchmark's timed work, one step per process so each starts cold (the file
// cache stays warm): import an mbox, open a folder's first page, scroll all of it, search.
// Prints one JSON object per line; tests/bench/store/run.sh runs the steps and the peers.
#include "controllers/MessageListModel.h"
#include "mime/Mbox.h"
#include "store/MailStore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cstdio>

using namespace wharf;

namespace {

// A line of /proc/self/status ("VmHWM:   1234 kB") in KiB.
qint64 statusKib(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = QByteArray(field) + ':';
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

double milliseconds(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

void print(const QJsonObject &object)
{
    std::fputs(QJsonDocument(object).toJson(QJsonDocument::Compact).constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

int fail(const QString &message)
{
    std::fprintf(stderr, "bench_store: %s\n", qPrintable(message));
    return 1;
}

// Opens the store and finds the folder, creating it when `create`.
Error openFolder(store::MailStore &mailStore, const QString &root, const QString &name, bool create,
                 qint64 *folderId)
{
    if (Error error = mailStore.open(root))
        return error;
    if (const std::optional<store::FolderRecord> folder = mailStore.folder(name)) {
        *folderId = folder->id;
        return {};
    }
    if (!create)
        return Error(ErrorKind::Usage, QStringLiteral("no folder %1 in %2").arg(name, root));
    return mailStore.createFolder(name, folderId);
}

int importMbox(const QString &root, const QString &mboxPath, const QString &name)
{
    QElapsedTimer timer;
    timer.start();
    store::MailStore mailStore;
    qint64 folderId = 0;
    if (Error error = openFolder(mailStore, root, name, true, &folderId))
        return fail(error.message());
    QFile mbox(mboxPath);
    if (!mbox.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read %1: %2").arg(mboxPath, mbox.errorString()));
    qint64 messages = 0;
    Error firstError;
    const bool read = mime::forEachMboxMessage(mbox, [&](QByteArray raw) {
        if (firstError)
            return;
        firstError = mailStore.addToBatch(folderId, raw, store::AddOptions{});
        ++messages;
    });
    if (!firstError)
        firstError = mailStore.flushBatch();
    if (firstError)
        return fail(firstError.message());
    if (!read)
        return fail(QStringLiteral("cannot read %1").arg(mboxPath));
    print({{QStringLiteral("step"), QStringLiteral("import")},
           {QStringLiteral("messages"), messages},
           {QStringLiteral("seconds"), milliseconds(timer) / 1000},
           {QStringLiteral("peak_kib"), statusKib("VmHWM")}});
    return 0;
}

// Reads what a view shows of one row: every column, and the roles its delegate asks for.
qsizetype readRow(const controllers::MessageListModel &model, int row)
{
    qsizetype seen = 0;
    for (int column = 0; column < controllers::MessageListModel::ColumnCount; ++column)
        seen += model.index(row, column).data().toString().size();
    const QModelIndex first = model.index(row, 0);
    seen += first.data(controllers::MessageListModel::MessageIdRole).toLongLong() != 0;
    seen += first.data(controllers::MessageListModel::UnreadRole).toBool();
    seen += first.data(controllers::MessageListModel::HasAttachmentsRole).toBool();
    return seen;
}

// Open (and with `scroll`, read every row of) the folder through the list model; the peak
// memory is measured from what the process held before it opened the store.
int list(const QString &root, const QString &name, bool scroll)
{
    const qint64 baselineKib = statusKib("VmHWM");
    QElapsedTimer timer;
    timer.start();
    store::MailStore mailStore;
    qint64 folderId = 0;
    if (Error error = openFolder(mailStore, root, name, false, &folderId))
        return fail(error.message());
    const double openMs = milliseconds(timer);

    timer.restart();
    controllers::MessageListModel model(&mailStore);
    if (Error error = model.setFolder(folderId))
        return fail(error.message());
    qsizetype seen = 0;
    const int firstPage = std::min(model.rowCount(), model.pageSize());
    for (int row = 0; row < firstPage; ++row)
        seen += readRow(model, row);
    const double firstPageMs = milliseconds(timer);
    if (model.lastError())
        return fail(model.lastError().message());

    QJsonObject result{
        {QStringLiteral("step"), scroll ? QStringLiteral("scroll") : QStringLiteral("open")},
        {QStringLiteral("rows"), model.rowCount()},
        {QStringLiteral("store_open_ms"), openMs},
        {QStringLiteral("first_page_ms"), firstPageMs}};
    if (scroll) {
        timer.restart();
        for (int row = 0; row < model.rowCount(); ++row)
            seen += readRow(model, row);
        result.insert(QStringLiteral("scroll_ms"), milliseconds(timer));
        if (model.lastError())
            return fail(model.lastError().message());
        result.insert(QStringLiteral("cached_pages"), model.cachedPageCount());
    }
    result.insert(QStringLiteral("baseline_kib"), baselineKib);
    result.insert(QStringLiteral("peak_kib"), statusKib("VmHWM"));
    result.insert(QStringLiteral("characters_read"), qint64(seen));
    print(result);
    return 0;
}

int search(const QString &root, const QString &name, int repeats, const QStringList &queries)
{
    store::MailStore mailStore;
    qint64 folderId = 0;
    if (Error error = openFolder(mailStore, root, name, false, &folderId))
        return fail(error.message());
    controllers::MessageListModel model(&mailStore);
    if (Error error = model.setFolder(folderId))
        return fail(error.message());
    for (const QString &query : queries) {
        QList<double> times;
        int hits = 0;
        for (int i = 0; i < repeats; ++i) {
            QElapsedTimer timer;
            timer.start();
            if (Error error = model.setSearchQuery(query))
                return fail(error.message());
            // What the user sees at once: the first screenful of results.
            for (int row = 0; row < std::min(model.rowCount(), 50); ++row)
                readRow(model, row);
            times.append(milliseconds(timer));
            hits = model.rowCount();
            if (Error error = model.setSearchQuery(QString()))
                return fail(error.message());
        }
        const double first = times.value(0);
        std::sort(times.begin(), times.end());
        print({{QStringLiteral("step"), QStringLiteral("search")},
               {QStringLiteral("query"), query},
               {QStringLiteral("hits"), hits},
               {QStringLiteral("limit"), controllers::MessageListModel::kSearchLimit},
               {QStringLiteral("first_ms"), first},
               {QStringLiteral("median_ms"), times.value(times.size() / 2)}});
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    const QString step = args.value(0);
    if (step == u"import" && args.size() == 4)
        return importMbox(args[1], args[2], args[3]);
    if ((step == u"open" || step == u"scroll") && args.size() == 3)
        return list(args[1], args[2], step == u"scroll");
    if (step == u"search" && args.size() >= 5)
        return search(args[1], args[2], args[3].toInt(), args.mid(4));
    std::fputs("usage: bench_store import ROOT MBOX FOLDER\n"
               "       bench_store open|scroll ROOT FOLDER\n"
               "       bench_store search ROOT FOLDER REPEATS QUERY...\n",
               stderr);
    return 2;
}
