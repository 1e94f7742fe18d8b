#include "net/OpeningHandshake.h"

namespace wharf::net {

namespace {

QByteArray firstWord(const QByteArray &entry)
{
    const qsizetype space = entry.indexOf(' ');
    return space < 0 ? entry : entry.left(space);
}

} // namespace

bool ServerInfo::hasCapability(QByteArrayView name) const
{
    for (const QByteArray &entry : capabilities) {
        if (firstWord(entry).compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QByteArrayList ServerInfo::capabilityArguments(QByteArrayView name) const
{
    for (const QByteArray &entry : capabilities) {
        if (firstWord(entry).compare(name, Qt::CaseInsensitive) == 0) {
            QByteArrayList words = entry.simplified().split(' ');
            words.removeFirst();
            return words;
        }
    }
    return {};
}

OpeningHandshake::OpeningHandshake(Connection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{}

void OpeningHandshake::start()
{
    connect(m_connection, &Connection::ready, this, [this] { m_step = Step::Greeting; });
    connect(m_connection, &Connection::readyRead, this, &OpeningHandshake::processLines);
    connect(m_connection, &Connection::encrypted, this, &OpeningHandshake::onEncrypted);
    connect(m_connection, &Connection::errorOccurred, this, [this](const Error &error) {
        m_step = Step::Done;
        Q_EMIT errorOccurred(error);
    });
    m_connection->open();
}

void OpeningHandshake::processLines()
{
    QByteArray line;
    // Stops at Upgrading: bytes after the STARTTLS go-ahead must stay unread for the check.
    while (m_step == Step::Greeting || m_step == Step::Capabilities || m_step == Step::StartTls) {
        if (m_connection->readLine(line) != Connection::ReadResult::Line)
            return;
        switch (m_step) {
        case Step::Greeting:
            switch (onGreetingLine(line)) {
            case Outcome::NeedMore:
                break;
            case Outcome::Preauthenticated:
                if (m_connection->settings().tlsMode == TlsMode::StartTls) {
                    fail(Error(ErrorKind::SecurityViolation,
                               QStringLiteral("%1 greeted with PREAUTH, which skips STARTTLS; "
                                              "refusing to continue without TLS")
                                   .arg(serverName())));
                    return;
                }
                m_info.preauthenticated = true;
                afterGreeting();
                break;
            case Outcome::Done:
                afterGreeting();
                break;
            case Outcome::Refused:
                fail(m_refusal);
                return;
            }
            break;
        case Step::Capabilities:
            switch (onCapabilityLine(line)) {
            case Outcome::NeedMore:
                break;
            case Outcome::Done:
            case Outcome::Preauthenticated:
                afterCapabilities();
                break;
            case Outcome::Refused:
                fail(m_refusal);
                return;
            }
            break;
        case Step::StartTls:
            switch (onStartTlsLine(line)) {
            case Outcome::NeedMore:
                break;
            case Outcome::Done:
            case Outcome::Preauthenticated:
                m_step = Step::Upgrading;
                m_connection->startTls();
                return;
            case Outcome::Refused:
                fail(Error(ErrorKind::SecurityViolation,
                           QStringLiteral("%1; refusing to continue without TLS")
                               .arg(m_refusal.message())));
                return;
            }
            break;
        default:
            return;
        }
    }
}

void OpeningHandshake::afterGreeting()
{
    m_step = Step::Capabilities;
    if (!requestCapabilities())
        afterCapabilities();
}

void OpeningHandshake::afterCapabilities()
{
    const bool needsUpgrade =
        m_connection->settings().tlsMode == TlsMode::StartTls && !m_connection->isEncrypted();
    if (!needsUpgrade) {
        finish();
        return;
    }
    if (!offersStartTls()) {
        fail(Error(ErrorKind::SecurityViolation,
                   QStringLiteral("%1 does not offer STARTTLS; refusing to continue without TLS "
                                  "(choose plaintext explicitly only if you accept it)")
                       .arg(serverName())));
        return;
    }
    m_step = Step::StartTls;
    requestStartTls();
}

void OpeningHandshake::onEncrypted()
{
    forgetServerState();
    afterGreeting();
    processLines();
}

OpeningHandshake::Outcome OpeningHandshake::collectReply(const QByteArray &line,
                                                         NumericReply &reply)
{
    switch (m_replyParser.addLine(line)) {
    case NumericReplyParser::Result::NeedMore:
        return Outcome::NeedMore;
    case NumericReplyParser::Result::Malformed:
        return refuse(ErrorKind::ProtocolError, QStringLiteral("%1 sent a malformed reply: %2")
                                                    .arg(serverName(), quoteForMessage(line)));
    case NumericReplyParser::Result::Complete:
        break;
    }
    reply = m_replyParser.take();
    return Outcome::Done;
}

OpeningHandshake::Outcome OpeningHandshake::expectReply(const QByteArray &line, int expected,
                                                        const QString &what, NumericReply *reply)
{
    NumericReply complete;
    const Outcome outcome = collectReply(line, complete);
    if (outcome != Outcome::Done)
        return outcome;
    if (complete.category() == 1)
        return Outcome::NeedMore;
    if (reply)
        *reply = complete;
    if (complete.code == expected)
        return Outcome::Done;
    return refuse(ErrorKind::ProtocolError,
                  QStringLiteral("%1 refused %2: %3")
                      .arg(serverName(), what, quoteForMessage(complete.toLine())));
}

void OpeningHandshake::forgetServerState()
{
    m_replyParser = {};
    const QByteArray plaintextGreeting = m_info.greeting;
    m_info = {};
    m_info.greetingBeforeTls = plaintextGreeting;
}

OpeningHandshake::Outcome OpeningHandshake::refuse(ErrorKind kind, const QString &message)
{
    m_refusal = Error(kind, message);
    return Outcome::Refused;
}

QString OpeningHandshake::serverName() const
{
    return QStringLiteral("%1:%2")
        .arg(m_connection->settings().host)
        .arg(m_connection->settings().port);
}

void OpeningHandshake::fail(const Error &error)
{
    m_step = Step::Done;
    disconnect(m_connection, nullptr, this, nullptr);
    m_connection->abort({});
    Q_EMIT errorOccurred(error);
}

void OpeningHandshake::finish()
{
    m_step = Step::Done;
    disconnect(m_connection, nullptr, this, nullptr);
    Q_EMIT finished(m_info);
}

} // namespace wharf::net
