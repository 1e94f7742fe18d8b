// libFuzzer target: the FTP reply readers (PASV, EPSV, path, SIZE, MDTM, FEAT) must never
// crash, overflow or hit undefined behaviour on anything a server sends, and what they
// return must hold the promises the session relies on: a port is never 0, a path can be
// sent back in a command line, a time formats and reads back as the same second.

#include "net/NumericReply.h"
#include "protocols/ftp/ReplyData.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace wharf;
using namespace wharf::ftp;

namespace {

void require(bool condition)
{
    if (!condition)
        std::abort();
}

void checkTime(const QDateTime &time)
{
    require(time.isValid() && time.timeSpec() == Qt::UTC);
    const QByteArray text = formatFtpTime(time);
    require(text.size() == 14);
    const std::optional<QDateTime> back = parseFtpTime(text);
    // The text keeps whole seconds (toSecsSinceEpoch() would round pre-1970 times the
    // other way).
    require(back && *back == time.addMSecs(-time.time().msec()));
}

void checkFeatures(const net::NumericReply &reply)
{
    const FeatureSet set = FeatureSet::fromReply(reply);
    require(set.isEmpty() == set.lines().isEmpty());
    require(reply.code == 211 || set.isEmpty());
    // Every line is found by its own first word; lookups are linear, so a reply of
    // thousands of lines is checked only at its start.
    const QByteArrayList lines = set.lines();
    for (qsizetype i = 0; i < lines.size() && i < 64; ++i) {
        const QByteArray &line = lines.at(i);
        require(!line.isEmpty() && line == line.trimmed());
        const qsizetype space = line.indexOf(' ');
        const QByteArray word = space < 0 ? line : line.first(space);
        require(set.has(word) && set.has(word.toLower()));
    }
    const QByteArrayList facts = set.mlstFacts();
    for (const QByteArray &fact : set.mlstSelectedFacts())
        require(facts.contains(fact));
    for (const QByteArray &fact : facts)
        require(!fact.isEmpty() && fact == fact.toLower() && !fact.endsWith('*'));
    for (const QByteArray &mechanism : set.authMechanisms())
        require(!mechanism.isEmpty() && mechanism == mechanism.toUpper() &&
                !mechanism.contains(';') && !mechanism.contains(' '));
    (void)set.supportsRestStream();
    (void)set.supportsMlsd();
}

void checkReply(const net::NumericReply &reply)
{
    require(replyClass(reply.code) != ReplyClass::Invalid);

    if (const std::optional<PassiveAddress> pasv = parsePasvReply(reply)) {
        require(reply.code == 227 && pasv->port != 0);
        const QHostAddress host(QString::fromLatin1(pasv->announcedHost));
        require(host.protocol() == QAbstractSocket::IPv4Protocol);
        // What Wharf would send in PORT for the same address reads back the same.
        if (!host.isEqual(QHostAddress(QHostAddress::AnyIPv4))) {
            const std::optional<QByteArray> port = portArgument(host, pasv->port);
            require(port.has_value());
            const std::optional<PassiveAddress> back =
                parsePasvReply(net::NumericReply{227, {"Entering Passive Mode (" + *port + ")"}});
            require(back && back->port == pasv->port && back->announcedHost == pasv->announcedHost);
        }
    }
    if (const std::optional<quint16> epsv = parseEpsvReply(reply))
        require(reply.code == 229 && *epsv != 0);
    if (const std::optional<QByteArray> path = parsePathReply(reply)) {
        require(reply.code == 257 && !path->isEmpty());
        require(!path->contains('\0') && !path->contains('\r') && !path->contains('\n'));
    }
    if (const std::optional<qint64> size = parseSizeReply(reply))
        require(reply.code == 213 && *size >= 0);
    if (const std::optional<QDateTime> time = parseMdtmReply(reply)) {
        require(reply.code == 213);
        checkTime(*time);
    }
    checkFeatures(reply);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    net::NumericReplyParser parser;
    for (QByteArray line : input.split('\n')) {
        if (line.endsWith('\r'))
            line.chop(1);
        // The same text as an MLSD modify fact.
        if (const std::optional<QDateTime> time = parseFtpTime(line))
            checkTime(*time);
        const net::NumericReplyParser::Result result = parser.addLine(line);
        if (result == net::NumericReplyParser::Result::Complete)
            checkReply(parser.take());
    }
    return 0;
}
