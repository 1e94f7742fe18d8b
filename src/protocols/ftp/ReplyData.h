#pragma once

#include "net/NumericReply.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QByteArrayView>
#include <QDateTime>
#include <QHostAddress>

#include <optional>

// The contents of FTP replies, as pure functions of the reply's bytes: no sockets, so each
// can be tested with real servers' wordings and fuzzed. Every parser returns nullopt for a
// reply it cannot read with certainty (wrong code included) rather than a guess: the
// session then reports the reply instead of acting on a misread number.
namespace wharf::ftp {

// 227 to PASV. RFC 959 leaves the wording free and RFC 1123 (4.1.2.6) tells clients to
// look for the six numbers, so all of these are read:
//   "Entering Passive Mode (127,0,0,1,156,64)."   vsftpd, ProFTPD, IIS, most servers
//   "Entering passive mode (127,0,0,1,148,37)."   pyftpdlib
//   "Entering Passive Mode 127,0,0,1,4,1"          no parentheses
//   "Entering Passive Mode (10, 0, 0, 4, 4, 1)"    spaces after the commas
//   "Entering Passive Mode=127,0,0,1,4,1"           old Unix servers
// The first run of comma-separated numbers with exactly six members is the answer; a
// number over 255 (or over three digits) or port 0 in it refuses the reply.
struct PassiveAddress
{
    // "h1.h2.h3.h4", for logs only. Callers connect to the control connection's peer,
    // never to this: a server must not be able to point Wharf at another host (the FTP
    // bounce / PASV redirection attack, and NAT'd servers announcing private addresses).
    QByteArray announcedHost;
    quint16 port = 0; // never 0 when returned
};
std::optional<PassiveAddress> parsePasvReply(const net::NumericReply &reply);

// 229 to EPSV (RFC 2428): "Entering Extended Passive Mode (|||6446|)". The delimiter is
// the character after '(' and may be any of ASCII 33-126 except digits (which would make
// the port ambiguous); the address fields must be empty. Port 1..65535.
std::optional<quint16> parseEpsvReply(const net::NumericReply &reply);

// 257 to PWD and MKD: "\"/dir with \"\"quote\"\"\" is current directory" (RFC 959
// appendix II: a quote inside the name is doubled). Returns the path bytes as the server
// names them (its encoding, usually UTF-8). Servers that forget the quotes ("257 /home is
// current directory") are read when the first word starts with '/'. A missing closing
// quote, an empty path, or a path with NUL/CR/LF (which could not be sent back in a
// command line) gives nullopt.
std::optional<QByteArray> parsePathReply(const net::NumericReply &reply);

// 213 to SIZE (RFC 3659 section 4): a decimal count of octets, up to 2^63-1; a sign, other
// text or overflow gives nullopt.
std::optional<qint64> parseSizeReply(const net::NumericReply &reply);

// RFC 3659 time-val "YYYYMMDDHHMMSS[.sss]" in UTC (MDTM replies, MLSD modify/create facts).
// Fractions keep milliseconds (further digits are dropped); a leap second (:60) is read
// as :59. An impossible date or time (month 13, Feb 30, hour 24) gives nullopt.
std::optional<QDateTime> parseFtpTime(QByteArrayView text);
// 213 to MDTM: "213 20240229123456".
std::optional<QDateTime> parseMdtmReply(const net::NumericReply &reply);
// "YYYYMMDDHHMMSS" in UTC for MFMT; empty when the time is invalid or its year is outside
// 1..9999.
QByteArray formatFtpTime(const QDateTime &time);

// The FEAT reply (RFC 2389): "211-Features:", one " FEATURE [parameters]" per line,
// "211 End". Lookups by the first word are case-insensitive.
class FeatureSet
{
public:
    FeatureSet() = default;
    // A multi-line 211: the lines between the first and the last. A single-line 211 (no
    // features) or a 500/502 (no FEAT) gives an empty set.
    static FeatureSet fromReply(const net::NumericReply &reply);
    // Feature lines as stored in ServerInfo::capabilities: "MLST type*;size*;", "UTF8".
    static FeatureSet fromLines(const QByteArrayList &lines);

    bool isEmpty() const { return m_lines.isEmpty(); }
    bool has(QByteArrayView feature) const;
    // The text after the first word of the first line for `feature`, trimmed; empty when
    // the feature has none or is absent.
    QByteArray arguments(QByteArrayView feature) const;

    // "REST STREAM" (RFC 3659 section 5): REST may be used before RETR and STOR.
    bool supportsRestStream() const;
    // MLST announced (RFC 3659 section 7.8; MLSD comes with it); some servers, FileZilla
    // Server among them, list a separate "MLSD" line too, which counts as well.
    bool supportsMlsd() const;
    // "MLST type*;size*;modify*;" -> {"type", "size", "modify"}, lower-cased.
    QByteArrayList mlstFacts() const;
    // The facts marked '*': the ones the server sends without an OPTS MLST.
    QByteArrayList mlstSelectedFacts() const;
    // Upper-cased, without duplicates, in the order given: "AUTH TLS;SSL" (one line, IIS
    // and Serv-U) and "AUTH TLS" / "AUTH SSL" (a line each, vsftpd, pyftpdlib) both work.
    QByteArrayList authMechanisms() const;
    // Every feature line, trimmed, as sent.
    QByteArrayList lines() const { return m_lines; }

private:
    QByteArrayList m_lines;
};

// Active mode arguments for the address and port Wharf listens on. IPv4-mapped IPv6
// addresses (::ffff:a.b.c.d, from dual-stack sockets) are sent as IPv4; an IPv6 scope id
// is dropped (it means nothing to the server).
// EPRT (RFC 2428): "|1|132.235.1.2|6275|" or "|2|::1|6275|"; empty for a null address or
// port 0.
QByteArray eprtArgument(const QHostAddress &address, quint16 port);
// PORT (RFC 959): "132,235,1,2,24,131"; nullopt for IPv6, a null address or port 0.
std::optional<QByteArray> portArgument(const QHostAddress &address, quint16 port);

// RFC 959 section 4.2.1, by the first digit.
enum class ReplyClass
{
    Preliminary,      // 1yz: more replies follow (150 before a transfer)
    Completion,       // 2yz
    Intermediate,     // 3yz: send the next command of the sequence (331, 350)
    TransientFailure, // 4yz: may work later (421, 425, 426, 450, 451)
    PermanentFailure, // 5yz
    Invalid           // outside 100..599
};
ReplyClass replyClass(int code);

} // namespace wharf::ftp
