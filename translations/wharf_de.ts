<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>CertificateDialog</name>
    <message>
        <location filename="../ui/CertificateDialog.ui" line="+14"/>
        <source>Untrusted Certificate</source>
        <translation>Nicht vertrauenswürdiges Zertifikat</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>The server&apos;s key has changed since you accepted it. Someone may be intercepting the connection. Accept only if the server&apos;s administrator has confirmed the new key.</source>
        <translation>Der Schlüssel des Servers hat sich geändert, seit Sie ihn akzeptiert haben. Möglicherweise hört jemand die Verbindung ab. Akzeptieren Sie nur, wenn die Administration des Servers den neuen Schlüssel bestätigt hat.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Certificate</source>
        <translation>Zertifikat</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Server:</source>
        <translation>Server:</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Subject:</source>
        <translation>Inhaber:</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Issuer:</source>
        <translation>Aussteller:</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Valid:</source>
        <translation>Gültig:</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>SHA-256 of public key:</source>
        <translation>SHA-256 des öffentlichen Schlüssels:</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>SHA-256 of certificate:</source>
        <translation>SHA-256 des Zertifikats:</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Key you trusted before:</source>
        <translation>Zuvor vertrauter Schlüssel:</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>If you trust this key, Wharf remembers it for this server and port and accepts it from now on, also in a renewed certificate with the same key; if the server ever presents another key, Wharf warns you. Compare the fingerprints with the ones your provider or administrator published before trusting. You can remove it later under File → Trusted Certificates.</source>
        <translation>Wenn Sie diesem Schlüssel vertrauen, merkt Wharf ihn sich für diesen Server und Port und akzeptiert ihn ab jetzt, auch in einem erneuerten Zertifikat mit demselben Schlüssel; legt der Server jemals einen anderen Schlüssel vor, warnt Wharf Sie. Vergleichen Sie die Fingerabdrücke vorher mit denen, die Ihr Anbieter oder Ihre Administration veröffentlicht hat. Sie können ihn später unter Datei → Vertrauenswürdige Zertifikate entfernen.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&amp;Why you trust it:</source>
        <translation>&amp;Warum Sie ihm vertrauen:</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Optional, e.g. “fingerprint confirmed by phone with the administrator”</source>
        <translation>Optional, z. B. „Fingerabdruck telefonisch mit der Administration bestätigt“</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>I have confirmed the new key with the server&apos;s administrator</source>
        <translation>Ich habe den neuen Schlüssel mit der Administration des Servers bestätigt</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../ui/MainWindow.ui" line="+72"/>
        <source>Welcome to Wharf</source>
        <translation>Willkommen bei Wharf</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Wharf reads your mail over IMAP and POP3, sends it over SMTP, and moves your files over FTP. Connections are encrypted unless you explicitly choose otherwise.</source>
        <translation>Wharf liest Ihre E-Mails über IMAP und POP3, sendet sie über SMTP und überträgt Ihre Dateien über FTP. Verbindungen sind verschlüsselt, außer Sie wählen ausdrücklich etwas anderes.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Accounts, mailboxes, the composer and the file browser are still being built. What works today: checking how a server answers and how it secures the connection.</source>
        <translation>Konten, Postfächer, der Editor für neue Nachrichten und der Dateibrowser entstehen noch. Was heute schon geht: prüfen, wie ein Server antwortet und wie er die Verbindung absichert.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Check a server connection…</source>
        <translation>Serververbindung prüfen …</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Check Server Connection…</source>
        <translation>Server&amp;verbindung prüfen …</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Trusted Certificates…</source>
        <translation>&amp;Vertrauenswürdige Zertifikate …</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;About Wharf</source>
        <translation>Ü&amp;ber Wharf</translation>
    </message>
</context>
<context>
    <name>ReportFormatter</name>
    <message>
        <location filename="../ui/ReportFormatter.cpp" line="+83"/>
        <source>not valid yet</source>
        <translation>noch nicht gültig</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>expired</source>
        <translation>abgelaufen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>currently valid</source>
        <translation>derzeit gültig</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 to %2 UTC (%3)</source>
        <translation>%1 bis %2 UTC (%3)</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Greeting before TLS</source>
        <translation>Begrüßung vor TLS</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>(sent unencrypted, so not trusted)</source>
        <translation>(unverschlüsselt gesendet, daher nicht vertrauenswürdig)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Greeting</source>
        <translation>Begrüßung</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Capabilities</source>
        <translation>Fähigkeiten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none announced</source>
        <translation>keine angekündigt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Encryption</source>
        <translation>Verschlüsselung</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>None: plaintext, as you chose</source>
        <translation>Keine: Klartext, wie von Ihnen gewählt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>TLS version</source>
        <translation>TLS-Version</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cipher</source>
        <translation>Chiffre</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Not trusted by the system; you trusted this key, and Wharf accepts it for this server from now on</source>
        <translation>Vom System nicht als vertrauenswürdig eingestuft; Sie vertrauen diesem Schlüssel, und Wharf akzeptiert ihn ab jetzt für diesen Server</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Key pinned by you on %1: Wharf accepts this key, and only this key, for this server</source>
        <translation>Von Ihnen am %1 festgelegter Schlüssel: Wharf akzeptiert für diesen Server diesen und nur diesen Schlüssel</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Trust</source>
        <translation>Vertrauen</translation>
    </message>
    <message>
        <location line="-14"/>
        <source>Certificate trusted by the system</source>
        <translation>Zertifikat vom System als vertrauenswürdig eingestuft</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Subject</source>
        <translation>Inhaber</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Issuer</source>
        <translation>Aussteller</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Valid</source>
        <translation>Gültig</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SHA-256 (certificate)</source>
        <translation>SHA-256 (Zertifikat)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SHA-256 (public key)</source>
        <translation>SHA-256 (Schlüssel)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 answered</source>
        <translation>%1 hat geantwortet</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The check failed.</source>
        <translation>Die Prüfung ist fehlgeschlagen.</translation>
    </message>
</context>
<context>
    <name>ServerCheckDialog</name>
    <message>
        <location filename="../ui/ServerCheckDialog.ui" line="+14"/>
        <source>Check Server Connection</source>
        <translation>Serververbindung prüfen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Connects to a server, shows how it answers and how the connection is secured. Nothing is sent except what the protocol needs before login.</source>
        <translation>Verbindet sich mit einem Server und zeigt, wie er antwortet und wie die Verbindung abgesichert ist. Gesendet wird nur, was das Protokoll vor der Anmeldung braucht.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Server &amp;URL:</source>
        <translation>Server-&amp;URL:</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>imaps, pop3s, smtps and ftps use TLS from the first byte; imap, pop3, smtp and ftp require STARTTLS.</source>
        <translation>imaps, pop3s, smtps und ftps verwenden TLS ab dem ersten Byte; imap, pop3, smtp und ftp verlangen STARTTLS.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>&amp;Security:</source>
        <translation>Si&amp;cherheit:</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>From URL</source>
        <translation>Aus der URL</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Implicit TLS</source>
        <translation>Implizites TLS</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>STARTTLS (required)</source>
        <translation>STARTTLS (verpflichtend)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>None — plaintext</source>
        <translation>Keine – Klartext</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Without TLS, everything you send, including your password, can be read and changed by anyone on the way.</source>
        <translation>Ohne TLS kann jeder auf dem Weg alles, was Sie senden, mitlesen und verändern – auch Ihr Passwort.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Trusted CAs:</source>
        <translation>Vertraute CAs:</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>A PEM file with CA certificates to trust in addition to the system&apos;s, e.g. for a company CA.</source>
        <translation>Eine PEM-Datei mit CA-Zertifikaten, denen zusätzlich zu denen des Systems vertraut wird, z. B. für eine Firmen-CA.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>System CAs only</source>
        <translation>Nur System-CAs</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Extra CA &amp;file…</source>
        <translation>Zusätzliche CA-&amp;Datei …</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>C&amp;heck</source>
        <translation>&amp;Prüfen</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>The server&apos;s greeting, capabilities and certificate appear here.</source>
        <translation>Hier erscheinen Begrüßung, Fähigkeiten und Zertifikat des Servers.</translation>
    </message>
</context>
<context>
    <name>wharf::ui::CertificateDialog</name>
    <message>
        <location filename="../ui/CertificateDialog.cpp" line="+26"/>
        <source>&amp;Trust the new key</source>
        <translation>Dem neuen Schlüssel &amp;vertrauen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Trust this key</source>
        <translation>Diesem Schlüssel &amp;vertrauen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Reject</source>
        <translation>A&amp;blehnen</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Server Key Changed</source>
        <translation>Serverschlüssel geändert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 presented a different key</source>
        <translation>%1 hat einen anderen Schlüssel vorgelegt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Wharf cannot confirm that this is %1</source>
        <translation>Wharf kann nicht bestätigen, dass dies %1 ist</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The system does not trust the certificate the server presented:</source>
        <translation>Das System vertraut dem Zertifikat nicht, das der Server vorgelegt hat:</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>(no certificate)</source>
        <translation>(kein Zertifikat)</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>The server&apos;s key has changed since you trusted it on %1. Someone may be intercepting the connection. Trust the new key only if the server&apos;s administrator has confirmed it.</source>
        <translation>Der Schlüssel des Servers hat sich geändert, seit Sie ihm am %1 vertraut haben. Möglicherweise hört jemand die Verbindung ab. Vertrauen Sie dem neuen Schlüssel nur, wenn die Administration des Servers ihn bestätigt hat.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Wharf could not remember this key, so it is not trusted: %1</source>
        <translation>Wharf konnte sich diesen Schlüssel nicht merken, daher wird ihm nicht vertraut: %1</translation>
    </message>
</context>
<context>
    <name>wharf::ui::MainWindow</name>
    <message>
        <location filename="../ui/MainWindow.cpp" line="+102"/>
        <source>About Wharf</source>
        <translation>Über Wharf</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;h3&gt;Wharf %1&lt;/h3&gt;&lt;p&gt;A desktop client for mail (IMAP, POP3, SMTP) and file transfer (FTP).&lt;/p&gt;&lt;p&gt;Built with Qt %2.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Wharf %1&lt;/h3&gt;&lt;p&gt;Ein Desktop-Programm für E-Mail (IMAP, POP3, SMTP) und Dateiübertragung (FTP).&lt;/p&gt;&lt;p&gt;Erstellt mit Qt %2.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>wharf::ui::ServerCheckDialog</name>
    <message>
        <location filename="../ui/ServerCheckDialog.cpp" line="+107"/>
        <source>Connecting to %1:%2…</source>
        <translation>Verbinde mit %1:%2 …</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Check cancelled.</source>
        <translation>Prüfung abgebrochen.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Choose an Extra CA Certificate</source>
        <translation>Zusätzliches CA-Zertifikat wählen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PEM certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>PEM-Zertifikate (*.pem *.crt *.cer);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Waiting for your decision about the certificate…</source>
        <translation>Warte auf Ihre Entscheidung zum Zertifikat …</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Certificate accepted; continuing…</source>
        <translation>Zertifikat akzeptiert; es geht weiter …</translation>
    </message>
</context>
<context>
    <name>wharf::ui::TrustedCertificatesDialog</name>
    <message>
        <location filename="../ui/TrustedCertificatesDialog.cpp" line="+47"/>
        <source>Trusted Certificates</source>
        <translation>Vertrauenswürdige Zertifikate</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Certificates you chose to trust although the system does not. Each is pinned to one key for one server and port: Wharf accepts that key there, and warns you if the server ever presents another.</source>
        <translation>Zertifikate, denen Sie vertrauen, obwohl das System es nicht tut. Jedes ist an einen Schlüssel für einen Server und Port gebunden: Wharf akzeptiert dort diesen Schlüssel und warnt Sie, falls der Server jemals einen anderen vorlegt.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Subject</source>
        <translation>Inhaber</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Key SHA-256</source>
        <translation>SHA-256 des Schlüssels</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Trusted since</source>
        <translation>Vertraut seit</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Remove…</source>
        <translation>&amp;Entfernen …</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Subject: %1
Issuer: %2
Expires: %3</source>
        <translation>Inhaber: %1
Aussteller: %2
Läuft ab: %3</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Remove Trusted Certificate</source>
        <translation>Vertrauenswürdiges Zertifikat entfernen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop trusting the key of %1?</source>
        <translation>Dem Schlüssel von %1 nicht mehr vertrauen?</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The next time Wharf connects there, the system&apos;s CAs decide again; a certificate they do not trust is asked about as if it were new.</source>
        <translation>Bei der nächsten Verbindung dorthin entscheiden wieder die CAs des Systems; nach einem Zertifikat, dem sie nicht vertrauen, wird gefragt, als wäre es neu.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
</context>
</TS>
