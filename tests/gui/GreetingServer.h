#pragma once

#include <QByteArray>
#include <QList>
#include <QPointer>
#include <QSslConfiguration>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <memory>

namespace wharf::test {

// A server that only greets: enough for a probe when the greeting lists the capabilities.
// With a TLS configuration it speaks implicit TLS. Listens on 127.0.0.1, port chosen by the
// system, so tests can run in parallel.
class GreetingServer
{
public:
    explicit GreetingServer(QByteArray greeting, const QSslConfiguration *tls = nullptr)
        : m_greeting(std::move(greeting))
    {
        if (tls) {
            auto server = std::make_unique<QSslServer>();
            server->setSslConfiguration(*tls);
            m_server = std::move(server);
        } else {
            m_server = std::make_unique<QTcpServer>();
        }
        QObject::connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, m_server.get(),
                         [this] { acceptPending(); });
    }

    bool listen() { return m_server->listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server->serverPort(); }
    int connectionCount() const { return m_connections; }

private:
    void acceptPending()
    {
        while (QTcpSocket *socket = m_server->nextPendingConnection()) {
            ++m_connections;
            auto *tls = qobject_cast<QSslSocket *>(socket);
            if (tls && !tls->isEncrypted()) {
                QObject::connect(tls, &QSslSocket::encrypted, tls,
                                 [this, tls] { tls->write(m_greeting); });
            } else {
                socket->write(m_greeting);
            }
        }
    }

    QByteArray m_greeting;
    std::unique_ptr<QTcpServer> m_server;
    int m_connections = 0;
};

inline const QByteArray kImapGreeting = "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] test ready\r\n";

} // namespace wharf::test
