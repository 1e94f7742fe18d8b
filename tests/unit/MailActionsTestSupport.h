// Shared by the MailActions and ActionReplayer tests: an account store whose folders mirror
// server mailboxes, and a replay that records what it said.
#pragma once

#include "ImapSessionTestSupport.h"
#include "MailStoreTestSupport.h"
#include "controllers/ActionReplayer.h"
#include "controllers/MailActions.h"

#include <QTemporaryDir>

#include <optional>

namespace wharf::testing {

using store::MailStore;
using store::MessageRecord;
using store::PendingAction;

inline constexpr quint32 kInboxValidity = 7;
inline constexpr quint32 kArchiveValidity = 9;
inline constexpr quint32 kTrashValidity = 11;
inline constexpr quint32 kSentValidity = 3;
inline constexpr char kDate[] = "Thu, 05 Mar 2026 14:07:09 +0000";

// What one replay said.
struct Outcome
{
    QList<PendingAction> replayed;
    QList<std::pair<PendingAction, Error>> refused;
    std::optional<Error> finished;
};

// A store with INBOX, Archive, Trash and Sent mirroring server mailboxes, and Local, which
// does not.
struct Account
{
    QTemporaryDir dir;
    std::optional<MailStore> store;
    qint64 inbox = 0, archive = 0, trash = 0, sent = 0, local = 0;

    Error open()
    {
        store.emplace();
        if (Error error = store->open(dir.path()))
            return error;
        inbox = store->folderForRole(store::FolderRole::Inbox)->id;
        trash = store->folderForRole(store::FolderRole::Trash)->id;
        sent = store->folderForRole(store::FolderRole::Sent)->id;
        if (Error error = store->createFolder(QStringLiteral("Archive"), &archive))
            return error;
        if (Error error = store->createFolder(QStringLiteral("Local"), &local))
            return error;
        const std::pair<qint64, store::RemoteFolderState> states[] = {
            {inbox, {"INBOX", kInboxValidity}},
            {archive, {"Archive", kArchiveValidity}},
            {trash, {"Trash", kTrashValidity}},
            {sent, {"Sent", kSentValidity}},
        };
        for (const auto &[folderId, state] : states) {
            if (Error error = store->setRemoteFolderState(folderId, state))
                return error;
        }
        return {};
    }

    qint64 add(qint64 folderId, quint32 uidValidity, quint32 uid, MessageFlags flags = {})
    {
        store::AddOptions options;
        options.flags = flags;
        options.remote = {uidValidity, uid, {}};
        const QByteArray id = "m" + QByteArray::number(uid) + "@example.org";
        qint64 messageId = 0;
        const Error error = store->addMessage(
            folderId, makeMessage("Message " + QByteArray::number(uid), kDate, id, "text"), options,
            &messageId);
        return error ? 0 : messageId;
    }

    MessageRecord record(qint64 id)
    {
        std::optional<MessageRecord> found;
        store->message(id, &found);
        return found.value_or(MessageRecord());
    }

    QList<PendingAction> queue()
    {
        QList<PendingAction> actions;
        store->pendingActions().list(&actions);
        return actions;
    }
};

inline Outcome replay(controllers::ActionReplayer &replayer, imap::ImapSession *session,
                      qint64 folderId)
{
    Outcome outcome;
    QObject context;
    QObject::connect(&replayer, &controllers::ActionReplayer::actionReplayed, &context,
                     [&](const PendingAction &action) { outcome.replayed.append(action); });
    QObject::connect(&replayer, &controllers::ActionReplayer::actionRefused, &context,
                     [&](const PendingAction &action, const Error &error) {
                         outcome.refused.append({action, error});
                     });
    QObject::connect(&replayer, &controllers::ActionReplayer::finished, &context,
                     [&](const Error &error) { outcome.finished = error; });
    replayer.replay(session, folderId);
    (void)QTest::qWaitFor([&] { return outcome.finished.has_value(); }, 10'000);
    return outcome;
}

inline QString selectScenario(int tag, const char *mailbox, quint32 uidValidity)
{
    return QStringLiteral(R"(
        C: A%1 SELECT %2
        S: * 3 EXISTS
        S: * OK [UIDVALIDITY %3] UIDs valid
        S: A%1 OK [READ-WRITE] selected
    )")
        .arg(tag)
        .arg(QString::fromLatin1(mailbox))
        .arg(uidValidity);
}

} // namespace wharf::testing

#define VERIFY_FINISHED_OK(outcome)                                                                \
    do {                                                                                           \
        QVERIFY2((outcome).finished.has_value(), "the replay did not finish");                     \
        QVERIFY2(!*(outcome).finished, qPrintable((outcome).finished->message()));                 \
    } while (false)
