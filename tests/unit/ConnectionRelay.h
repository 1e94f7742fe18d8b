// Relay: a ScriptedServer serves exactly one connection, so tests of reconnecting
// controllers put a Relay in front: each connection made to it goes to the next server of
// its list (0: closed at once), and the relay counts them.
#pragma once

#include <QList>
#include <QTcpServer>
#include <QTcpSocket>

#include <memory>

namespace wharf::test {

// A byte-for-byte TCP forwarder to a list of servers, one per accepted connection.
class Relay : public QObject
{
public:
    explicit Relay(QList<quint16> targets)
        : m_targets(std::move(targets))
    {
        connect(&m_server, &QTcpServer::newConnection, this, &Relay::onNewConnection);
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    int connections() const { return m_connections; }

private:
    void onNewConnection()
    {
        while (QTcpSocket *client = m_server.nextPendingConnection()) {
            ++m_connections;
            const quint16 target = m_targets.isEmpty() ? 0 : m_targets.takeFirst();
            if (target == 0) {
                client->disconnectFromHost();
                continue;
            }
            auto *upstream = new QTcpSocket(this);
            auto early = std::make_shared<QByteArray>(); // sent before upstream connected
            connect(client, &QTcpSocket::readyRead, upstream, [client, upstream, early] {
                const QByteArray bytes = client->readAll();
                if (upstream->state() == QAbstractSocket::ConnectedState)
                    upstream->write(bytes);
                else
                    early->append(bytes);
            });
            connect(upstream, &QTcpSocket::connected, upstream, [upstream, early] {
                upstream->write(*early);
                early->clear();
            });
            connect(upstream, &QTcpSocket::readyRead, client,
                    [client, upstream] { client->write(upstream->readAll()); });
            connect(upstream, &QTcpSocket::disconnected, client, [client, upstream] {
                client->write(upstream->readAll());
                client->disconnectFromHost();
            });
            connect(client, &QTcpSocket::disconnected, upstream,
                    [upstream] { upstream->disconnectFromHost(); });
            upstream->connectToHost(QHostAddress::LocalHost, target);
        }
    }

    QTcpServer m_server;
    QList<quint16> m_targets;
    int m_connections = 0;
};

} // namespace wharf::test
