// Parser for the ScriptedServer scenario language (see ScriptedServer.h for the syntax).
#pragma once

#include <QByteArray>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringView>

namespace wharf::test {

struct ScenarioStep
{
    enum class Kind
    {
        Send,        // S:, S-:, S*  (consecutive ones are merged into one write)
        ExpectLine,  // C:
        ExpectMatch, // C~
        StartTls,    // STARTTLS, or the implicit-TLS handshake right after accept
        Close,       // X
        ExpectClose, // EXPECT-CLOSE
        DataTls,     // DATA-TLS
        AcceptData,  // ACCEPT-DATA
        ConnectData, // CONNECT-DATA [FROM <address>] (bytes: the address, or empty)
        DataSend,    // D:, D-:, D*  (consecutive ones are merged into one write)
        DataClose,   // DX
        DataExpect,  // DC:  (consecutive ones are concatenated)
    };

    Kind kind = Kind::Send;
    int line = 0;               // 1-based scenario line (first line of a merged group)
    QByteArray bytes;           // payload to send / bytes or line to expect
    QRegularExpression pattern; // ExpectMatch only (anchored)
    QString source;             // the directive as written, for messages
};

struct Scenario
{
    QList<ScenarioStep> steps;
    QString error; // first parse error ("line N: ..."), empty if the scenario is valid

    bool needsTls() const;
    static Scenario parse(const QString &text);
};

// Decodes the escapes \r \n \t \\ \xHH of a scenario text; sets *error on a bad escape.
QByteArray unescapeScenarioText(QStringView text, QString *error);

// Printable rendering of raw bytes for failure messages (escapes control bytes, truncates).
QString describeBytes(const QByteArray &bytes, qsizetype maxBytes = 300);

} // namespace wharf::test
