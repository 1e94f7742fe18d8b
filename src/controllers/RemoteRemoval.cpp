#include "controllers/RemoteRemoval.h"

#include "controllers/FtpConnectionPool.h"
#include "protocols/ftp/FtpSession.h"
#include "protocols/ftp/commands/SimpleCommands.h"
#include "protocols/ftp/commands/TransferCommands.h"

namespace wharf::controllers {

RemoteRemoval::RemoteRemoval(ftp::FtpSession *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{}

RemoteRemoval::RemoteRemoval(FtpConnectionPool *pool, QObject *parent)
    : QObject(parent)
    , m_pool(pool)
{}

void RemoteRemoval::addFile(const QByteArray &path)
{
    m_steps.prepend({path, Step::Kind::File});
}

void RemoteRemoval::addFolder(const QByteArray &path)
{
    m_steps.prepend({path, Step::Kind::ListFolder});
}

void RemoteRemoval::start()
{
    if (m_session) {
        next();
        return;
    }
    if (!m_pool) {
        finish(Error(ErrorKind::Cancelled, QStringLiteral("No connection")));
        return;
    }
    m_pool->acquire(
        this, [this](ftp::FtpSession *session) { run(session); },
        [this](const Error &error) { finish(error); });
}

void RemoteRemoval::run(ftp::FtpSession *session)
{
    m_session = session;
    next();
}

void RemoteRemoval::next()
{
    if (m_finished)
        return;
    if (m_steps.isEmpty()) {
        finish();
        return;
    }
    if (!m_session) {
        finish(Error(ErrorKind::ClosedByPeer, QStringLiteral("The connection was lost")));
        return;
    }
    const Step step = m_steps.takeLast();
    ftp::FtpCommand *command = nullptr;
    switch (step.kind) {
    case Step::Kind::File:
        command = new ftp::DeleteFileCommand(step.path);
        connect(command, &ftp::FtpCommand::finished, this, [this, command] {
            if (command->error()) {
                finish(command->error());
                return;
            }
            ++m_files;
            next();
        });
        break;
    case Step::Kind::ListFolder: {
        auto *list = new ftp::ListingCommand(step.path);
        command = list;
        connect(list, &ftp::FtpCommand::finished, this, [this, list, path = step.path] {
            if (list->error()) {
                finish(list->error());
                return;
            }
            onListing(path, list->listing());
            next();
        });
        break;
    }
    case Step::Kind::RemoveFolder:
        command = new ftp::RemoveDirectoryCommand(step.path);
        connect(command, &ftp::FtpCommand::finished, this, [this, command] {
            if (command->error()) {
                finish(command->error());
                return;
            }
            ++m_folders;
            next();
        });
        break;
    }
    m_session->enqueue(command);
}

void RemoteRemoval::onListing(const QByteArray &folder, const ftp::Listing &listing)
{
    if (!listing.refused.isEmpty() || !listing.unparsed.isEmpty()) {
        // A name Wharf cannot say back to the server would stay behind and RMD would fail:
        // stop before deleting anything in this folder.
        const ftp::ListingProblem &problem =
            listing.refused.isEmpty() ? listing.unparsed.first() : listing.refused.first();
        finish(
            Error(ErrorKind::ProtocolError, QStringLiteral("%1 cannot be removed whole: %2")
                                                .arg(QString::fromUtf8(folder), problem.reason)));
        return;
    }
    m_steps.append({folder, Step::Kind::RemoveFolder});
    for (const ftp::RemoteEntry &entry : listing.entries) {
        const QByteArray path =
            folder.endsWith('/') ? folder + entry.wireName : folder + '/' + entry.wireName;
        m_steps.append({path, entry.type == ftp::RemoteEntry::Type::Directory
                                  ? Step::Kind::ListFolder
                                  : Step::Kind::File});
    }
}

void RemoteRemoval::finish(const Error &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_error = error;
    if (m_pool && m_session)
        m_pool->release(m_session);
    Q_EMIT finished();
}

} // namespace wharf::controllers
