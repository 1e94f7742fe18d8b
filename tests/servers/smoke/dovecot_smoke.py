#!/usr/bin/env python3
"""Dovecot fixture: IMAPS, IMAP+STARTTLS, plain IMAP LOGIN, POP3S, POP3+STLS, doveadm."""
import imaplib
import poplib
import ssl
import subprocess

from common import check, load_env, tls_context, token

env = load_env("dovecot")
host = "localhost"  # the name in the certificate
user, password = env["DOVECOT_USER"], env["DOVECOT_PASSWORD"]

# IMAPS, verifying the test CA and the host name.
imap = imaplib.IMAP4_SSL(host, int(env["DOVECOT_IMAPS_PORT"]), ssl_context=tls_context())
check(imap.login(user, password)[0] == "OK", "IMAPS login")
status, boxes = imap.list()
check(status == "OK" and any(b"\\Sent" in b for b in boxes), "IMAP LIST shows special-use folders")
imap.logout()

# A different CA must not be accepted (proves verification is really on).
try:
    imaplib.IMAP4_SSL(host, int(env["DOVECOT_IMAPS_PORT"]), ssl_context=tls_context("other-ca.pem"))
    check(False, "IMAPS rejected with the wrong CA")
except ssl.SSLCertVerificationError:
    check(True, "IMAPS rejected with the wrong CA")

# Plain port: STARTTLS offered and working.
imap = imaplib.IMAP4(host, int(env["DOVECOT_IMAP_PORT"]))
check("STARTTLS" in imap.capabilities, "IMAP offers STARTTLS")
imap.starttls(ssl_context=tls_context())
check(imap.login(user, password)[0] == "OK", "IMAP login after STARTTLS")
imap.logout()

# Plain port without TLS also accepts LOGIN (disable_plaintext_auth = no).
imap = imaplib.IMAP4("127.0.0.1", int(env["DOVECOT_IMAP_PORT"]))
check(imap.login(user, password)[0] == "OK", "IMAP plaintext login")

# doveadm with DOVECOT_CONF can inject a message that IMAP then sees.
tok = token()
subprocess.run(["doveadm", "-c", env["DOVECOT_CONF"], "save", "-u", user],
               input=f"Subject: {tok}\r\n\r\nsaved by doveadm\r\n".encode(), check=True)
imap.select("INBOX")
status, data = imap.search(None, "SUBJECT", tok)
check(status == "OK" and len(data[0].split()) == 1, "message saved with doveadm is visible over IMAP")
imap.logout()

# POP3S and POP3 + STLS.
pop = poplib.POP3_SSL(host, int(env["DOVECOT_POP3S_PORT"]), context=tls_context())
pop.user(user)
check(pop.pass_(password).startswith(b"+OK"), "POP3S login")
check(pop.stat()[0] >= 1, "POP3 sees the INBOX")
pop.quit()

pop = poplib.POP3(host, int(env["DOVECOT_POP3_PORT"]))
check("STLS" in pop.capa(), "POP3 offers STLS")
pop.stls(context=tls_context())
pop.user(user)
check(pop.pass_(password).startswith(b"+OK"), "POP3 login after STLS")
pop.quit()
print("dovecot smoke test passed")
