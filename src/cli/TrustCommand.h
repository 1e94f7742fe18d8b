#pragma once

#include "cli/CliContext.h"
#include "controllers/ServerProbe.h"
#include "store/TrustedCertificates.h"

#include <functional>
#include <optional>

namespace wharf::cli {

// wharf-cli trust list|remove|add: the certificates the user chose to trust, each pinned to
// one key for one host and port. `trust add` is a script's only way past a certificate the
// system does not trust. Returns the process exit code.
int runTrust(const CliContext &context, const QStringList &arguments);

// The key pinned for the endpoint (none for plaintext). Returns ExitOk, or an exit code
// after printing why the trusted certificates cannot be read.
int loadPin(const ServerEndpoint &endpoint, std::optional<store::TrustedCertificate> *pin);
// A certificate question only a pin may answer: reject an untrusted certificate; a changed
// key cancels, prints the warning and exits with code 4.
void answerWithPin(const store::TrustedCertificate &pin, const QString &url,
                   const net::CertificateDecision &decision, const std::function<void()> &reject,
                   const std::function<void()> &cancel);

// For a command that connects (anything with certificateDecisionRequested(),
// rejectCertificate() and cancel(): a probe, an IMAP pool): puts the key pinned for the
// endpoint into *pinnedKey, and makes any other key end the command with exit code 4 and a
// message that says the key changed. Call before starting it. Returns ExitOk, or an exit
// code after printing why the trusted certificates cannot be read.
template <typename Connecting>
int usePinnedKey(const ServerEndpoint &endpoint, Connecting *connecting, QByteArray *pinnedKey)
{
    std::optional<store::TrustedCertificate> pin;
    if (const int failed = loadPin(endpoint, &pin))
        return failed;
    if (!pin)
        return 0;
    *pinnedKey = pin->publicKeySha256;
    const QString url = endpoint.toUrl();
    QObject::connect(connecting, &Connecting::certificateDecisionRequested, connecting,
                     [connecting, pin = *pin, url](const net::CertificateDecision &decision) {
                         // Answered from the event loop, not inside the TLS handshake.
                         QMetaObject::invokeMethod(
                             connecting,
                             [connecting, pin, url, decision] {
                                 answerWithPin(
                                     pin, url, decision,
                                     [connecting] { connecting->rejectCertificate(); },
                                     [connecting] { connecting->cancel(); });
                             },
                             Qt::QueuedConnection);
                     });
    return 0;
}

} // namespace wharf::cli
