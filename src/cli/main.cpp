// wharf-cli: the scripting and test front end; it drives the same controllers as the GUI.

#include "cli/CliContext.h"
#include "cli/ExitCode.h"
#include "cli/FtpCli.h"
#include "cli/ImapCli.h"
#include "cli/MailCommand.h"
#include "cli/ProbeCommand.h"
#include "cli/ProfileCommand.h"
#include "cli/StoreCommand.h"
#include "cli/TrustCommand.h"
#include "core/AllocatorTuning.h"

#include <QCommandLineParser>
#include <QCoreApplication>

using namespace wharf;
using namespace wharf::cli;

int main(int argc, char **argv)
{
    tuneAllocatorForStreaming();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("wharf-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(WHARF_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Wharf's command line: mail and file transfer for scripts.\n\n"
        "Commands:\n"
        "  probe URL   connect, negotiate TLS, show greeting, capabilities and "
        "certificate\n"
        "  probe --profile NAME  the same for each server of a saved profile\n"
        "  profile list | show NAME | remove NAME | export FILE [NAME...]\n"
        "               | import FILE [--rename-on-clash]  account profiles and FTP sites\n"
        "  profile add NAME --incoming URL --address A [--outgoing URL] [--display-name N]\n"
        "               [--signature-file F] [--leave-on-server yes|no] [--delete-after-days N]\n"
        "               [--folder ROLE=NAME]... [--check-every MINUTES] [--connections N]\n"
        "               [--offline-days N]   a mail account (user defaults to the address)\n"
        "  profile add NAME --ftp URL [--local-folder DIR] [--active] [--parallel N]\n"
        "               [--public-url-prefix URL]  an FTP site\n"
        "  profile password NAME [--role incoming|outgoing] [--check | --forget]\n"
        "               save a password in the system keychain, from the terminal or the\n"
        "               first line of stdin (--check: exit 5 when none is saved)\n"
        "  mail parse FILE...  show what Wharf reads in messages or mbox files\n"
        "  mail compose --from A --to B [--cc C] [--subject S] [--body-file F]\n"
        "               [--html-file F] [--attach F]... [-o OUT]  write a message\n"
        "  trust list [--json] | trust remove HOST:PORT | trust add URL --key SHA256\n"
        "               [--reason TEXT]  certificates you trust, pinned to their key\n"
        "  store import-mbox FILE | export-mbox FILE [--force] | import-maildir DIR\n"
        "               --folder F  move mail in and out of Local Folders (or --profile NAME)\n"
        "  store list --folder F | search QUERY | folders | stats | rebuild  the local mail\n"
        "  imap folders URL | list URL/FOLDER [--json] | get URL/FOLDER/;UID=N [-o FILE]\n"
        "               | append URL/FOLDER FILE | sync URL/FOLDER --store DIR [--headers-only]\n"
        "               [--retries N] | open URL --store DIR ID [-o FILE] | idle URL/FOLDER\n"
        "               an IMAP server (password: WHARF_PASSWORD, else the terminal or the\n"
        "               first line of stdin); with --profile NAME a saved account instead of\n"
        "               the URL (FOLDER alone; the password from the keychain; its store)\n"
        "  ftp ls URL [--json] | get URL LOCAL [--resume | --ascii]\n"
        "               | put LOCAL URL [--resume | --ascii]\n"
        "               | mkdir URL | rm URL | rmdir URL | mv URL NEWPATH | chmod MODE URL\n"
        "               an FTP site (paths relative to the login folder, as curl reads\n"
        "               them; password as for imap); --profile NAME and a path for a saved\n"
        "               site\n\n"
        "URLs: imaps:// imap:// pop3s:// pop3:// smtps:// smtp:// ftps:// ftp:// "
        "(the plain forms require STARTTLS unless --tls none)\n"
        "Exit codes: 0 ok, 2 usage, 3 network, 4 TLS or certificate, "
        "5 authentication, 6 server or protocol, 7 local file, 8 interrupted"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption caFile(QStringLiteral("cacert"),
                                    QStringLiteral("Also trust the CA certificates in FILE (PEM)."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption tls(QStringLiteral("tls"),
                                 QStringLiteral("implicit, starttls or none (plaintext)."),
                                 QStringLiteral("MODE"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    const QCommandLineOption verbose(QStringLiteral("verbose"),
                                     QStringLiteral("Log the protocol dialogue to stderr "
                                                    "(credentials redacted)."));
    const QCommandLineOption timeout(QStringLiteral("timeout"),
                                     QStringLiteral("Seconds to wait for a connection or reply "
                                                    "(default 30)."),
                                     QStringLiteral("S"));
    parser.addOptions({caFile, tls, json, verbose, timeout});
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("What to do."));
    // Options after the command word belong to the command ("mail compose --to ...").
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    if (!parser.parse(QCoreApplication::arguments())) {
        printError(parser.errorText());
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(ExitOk);
    if (parser.isSet(QStringLiteral("version")))
        parser.showVersion();

    CliContext context;
    context.caFile = parser.value(caFile);
    context.json = parser.isSet(json);
    context.verbose = parser.isSet(verbose);
    if (parser.isSet(tls)) {
        context.tlsOverride = tlsModeFromName(parser.value(tls));
        if (!context.tlsOverride) {
            printError(QStringLiteral("--tls takes implicit, starttls or none"));
            return ExitUsage;
        }
    }
    if (parser.isSet(timeout)) {
        bool ok = false;
        const double seconds = parser.value(timeout).toDouble(&ok);
        if (!ok || seconds <= 0 || seconds > 86400) {
            printError(QStringLiteral("--timeout takes a number of seconds"));
            return ExitUsage;
        }
        context.timeoutMs = int(seconds * 1000);
    }

    QStringList positional = parser.positionalArguments();
    if (positional.isEmpty()) {
        printError(QStringLiteral("no command given; try wharf-cli --help"));
        return ExitUsage;
    }
    const QString command = positional.takeFirst();
    if (command == u"probe")
        return runProbe(context, positional);
    if (command == u"mail")
        return runMail(context, positional);
    if (command == u"profile")
        return runProfile(context, positional);
    if (command == u"trust")
        return runTrust(context, positional);
    if (command == u"store")
        return runStore(context, positional);
    if (command == u"imap")
        return runImap(context, positional);
    if (command == u"ftp")
        return runFtp(context, positional);
    printError(QStringLiteral("unknown command \"%1\"; try wharf-cli --help").arg(command));
    return ExitUsage;
}
