#include "cli/PasswordPrompt.h"

#include <QByteArray>
#include <QString>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

namespace wharf::cli {

namespace {

constexpr qsizetype kMaxPasswordBytes = 4096;

volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void onPromptSignal(int)
{
    g_interrupted = 1;
}

// While the terminal does not echo, Ctrl+C must not end the process with echo still off:
// the handler only interrupts read(), and the caller restores the terminal.
class PromptGuard
{
public:
    explicit PromptGuard(bool terminal)
        : m_terminal(terminal)
    {
        g_interrupted = 0;
        struct sigaction action = {};
        action.sa_handler = onPromptSignal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = 0; // no SA_RESTART: read() returns EINTR
        sigaction(SIGINT, &action, &m_oldInt);
        sigaction(SIGTERM, &action, &m_oldTerm);
        if (m_terminal && tcgetattr(STDIN_FILENO, &m_saved) == 0) {
            struct termios quiet = m_saved;
            quiet.c_lflag &= ~tcflag_t(ECHO);
            quiet.c_lflag |= ECHONL;
            m_restore = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }

    ~PromptGuard()
    {
        if (m_restore)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &m_saved);
        sigaction(SIGINT, &m_oldInt, nullptr);
        sigaction(SIGTERM, &m_oldTerm, nullptr);
    }

    PromptGuard(const PromptGuard &) = delete;
    PromptGuard &operator=(const PromptGuard &) = delete;

private:
    bool m_terminal;
    bool m_restore = false;
    struct termios m_saved = {};
    struct sigaction m_oldInt = {};
    struct sigaction m_oldTerm = {};
};

} // namespace

std::optional<QString> readPassword(const QString &prompt, Error *error)
{
    auto fail = [error](ErrorKind kind, const QString &message) -> std::optional<QString> {
        if (error)
            *error = Error(kind, message);
        return std::nullopt;
    };
    const bool terminal = isatty(STDIN_FILENO) == 1;
    QByteArray line;
    bool tooLong = false;
    {
        PromptGuard guard(terminal);
        if (terminal) { // after echo is off: whoever sees the prompt may type at once
            std::fprintf(stderr, "%s", qUtf8Printable(prompt));
            std::fflush(stderr);
        }
        // One byte at a time: nothing after the first line is consumed from a pipe.
        for (;;) {
            // A Ctrl+C that lands between this check and read() would leave read() blocked
            // for good, so read() is entered only once poll() says a byte is there, and poll()
            // wakes up often enough to see the flag.
            if (g_interrupted)
                break;
            struct pollfd input = {STDIN_FILENO, POLLIN, 0};
            const int ready = ::poll(&input, 1, 100);
            if (ready == 0 || (ready < 0 && errno == EINTR))
                continue;
            char c = 0;
            const ssize_t got = ::read(STDIN_FILENO, &c, 1);
            if (got < 0 && errno == EINTR && !g_interrupted)
                continue;
            if (got < 0 && g_interrupted)
                break;
            if (got < 0) {
                line.fill('\0');
                return fail(ErrorKind::LocalFile, QStringLiteral("Cannot read the password from "
                                                                 "standard input"));
            }
            if (got == 0 || c == '\n')
                break;
            if (line.size() >= kMaxPasswordBytes)
                tooLong = true;
            else
                line.append(c);
        }
    }
    if (g_interrupted) {
        if (terminal)
            std::fputc('\n', stderr); // the prompt's line was left open
        line.fill('\0');
        return fail(ErrorKind::Cancelled, QStringLiteral("interrupted; nothing was stored"));
    }
    if (line.endsWith('\r'))
        line.chop(1);
    const QString password = QString::fromUtf8(line);
    line.fill('\0'); // best effort: do not leave the bytes around longer than needed
    if (tooLong)
        return fail(ErrorKind::Usage, QStringLiteral("The password is longer than 4096 bytes"));
    if (password.isEmpty()) {
        return fail(ErrorKind::Usage, terminal ? QStringLiteral("No password given")
                                               : QStringLiteral("No password on standard input "
                                                                "(the first line is used)"));
    }
    return password;
}

} // namespace wharf::cli
