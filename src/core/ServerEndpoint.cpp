#include "core/ServerEndpoint.h"

#include <QUrl>

namespace wharf {

namespace {

struct Scheme
{
    QLatin1StringView name;
    Protocol protocol;
    TlsMode mode;
};

constexpr Scheme kSchemes[] = {
    {QLatin1StringView("imaps"), Protocol::Imap, TlsMode::Implicit},
    {QLatin1StringView("imap"), Protocol::Imap, TlsMode::StartTls},
    {QLatin1StringView("pop3s"), Protocol::Pop3, TlsMode::Implicit},
    {QLatin1StringView("pop3"), Protocol::Pop3, TlsMode::StartTls},
    {QLatin1StringView("smtps"), Protocol::Smtp, TlsMode::Implicit},
    {QLatin1StringView("smtp"), Protocol::Smtp, TlsMode::StartTls},
    {QLatin1StringView("ftps"), Protocol::Ftp, TlsMode::Implicit},
    {QLatin1StringView("ftp"), Protocol::Ftp, TlsMode::StartTls},
};

const Scheme *findScheme(const QString &name)
{
    for (const Scheme &scheme : kSchemes) {
        if (name == scheme.name)
            return &scheme;
    }
    return nullptr;
}

QString schemeFor(Protocol protocol, TlsMode mode)
{
    const TlsMode wanted = mode == TlsMode::Implicit ? TlsMode::Implicit : TlsMode::StartTls;
    for (const Scheme &scheme : kSchemes) {
        if (scheme.protocol == protocol && scheme.mode == wanted)
            return scheme.name;
    }
    return {};
}

} // namespace

QString protocolName(Protocol protocol)
{
    switch (protocol) {
    case Protocol::Imap:
        return QStringLiteral("IMAP");
    case Protocol::Pop3:
        return QStringLiteral("POP3");
    case Protocol::Smtp:
        return QStringLiteral("SMTP");
    case Protocol::Ftp:
        return QStringLiteral("FTP");
    }
    return {};
}

QString tlsModeName(TlsMode mode)
{
    switch (mode) {
    case TlsMode::Implicit:
        return QStringLiteral("implicit");
    case TlsMode::StartTls:
        return QStringLiteral("starttls");
    case TlsMode::None:
        return QStringLiteral("none");
    }
    return {};
}

std::optional<TlsMode> tlsModeFromName(const QString &name)
{
    for (TlsMode mode : {TlsMode::Implicit, TlsMode::StartTls, TlsMode::None}) {
        if (name.compare(tlsModeName(mode), Qt::CaseInsensitive) == 0)
            return mode;
    }
    return std::nullopt;
}

quint16 defaultPort(Protocol protocol, TlsMode mode)
{
    const bool implicit = mode == TlsMode::Implicit;
    switch (protocol) {
    case Protocol::Imap:
        return implicit ? 993 : 143;
    case Protocol::Pop3:
        return implicit ? 995 : 110;
    case Protocol::Smtp:
        return implicit ? 465 : 587; // submission (RFC 6409), not relay port 25
    case Protocol::Ftp:
        return implicit ? 990 : 21;
    }
    return 0;
}

std::optional<ServerEndpoint> ServerEndpoint::fromUrl(const QString &text, Error *error,
                                                      std::optional<TlsMode> tlsOverride)
{
    auto fail = [error](const QString &message) -> std::optional<ServerEndpoint> {
        if (error)
            *error = Error(ErrorKind::Usage, message);
        return std::nullopt;
    };

    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid())
        return fail(QStringLiteral("Not a valid URL: %1").arg(text));
    const Scheme *scheme = findScheme(url.scheme().toLower());
    if (!scheme) {
        return fail(QStringLiteral("Unsupported URL scheme \"%1\" (use imaps, imap, pop3s, pop3, "
                                   "smtps, smtp, ftps or ftp)")
                        .arg(url.scheme()));
    }
    if (url.host().isEmpty())
        return fail(QStringLiteral("The URL has no host: %1").arg(text));
    if (!url.password().isEmpty()) {
        return fail(QStringLiteral("Refusing a password in the URL; use WHARF_PASSWORD, a saved "
                                   "profile or the prompt"));
    }

    ServerEndpoint endpoint;
    endpoint.protocol = scheme->protocol;
    endpoint.tlsMode = tlsOverride.value_or(scheme->mode);
    endpoint.host = url.host();
    const int port = url.port(-1);
    endpoint.port = port > 0 ? quint16(port) : defaultPort(scheme->protocol, scheme->mode);
    endpoint.user = url.userName();
    endpoint.path = url.path();
    if (endpoint.path.startsWith(u'/'))
        endpoint.path.remove(0, 1);
    return endpoint;
}

QString ServerEndpoint::toUrl() const
{
    QUrl url;
    url.setScheme(schemeFor(protocol, tlsMode));
    url.setHost(host);
    url.setPort(port);
    url.setUserName(user);
    if (!path.isEmpty())
        url.setPath(u'/' + path);
    return url.toString();
}

} // namespace wharf
