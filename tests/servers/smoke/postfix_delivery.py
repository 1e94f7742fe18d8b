#!/usr/bin/env python3
"""Postfix fixture: submission (STARTTLS + AUTH PLAIN) and SMTPS (AUTH LOGIN) deliver
through LMTP into Dovecot's Maildir; each message is then fetched over IMAPS."""
import email
import imaplib
import os
import smtplib
from email.message import EmailMessage

from common import check, load_env, tls_context, token, wait_until

pf = load_env("postfix")
dc = load_env("dovecot")
host = "localhost"
user, password = pf["POSTFIX_USER"], pf["POSTFIX_PASSWORD"]
recipient = pf["POSTFIX_RECIPIENT"]


def message(tok, how):
    msg = EmailMessage()
    msg["From"] = "Smoke Test <smoke@example.org>"
    msg["To"] = recipient
    msg["Subject"] = tok
    msg.set_content(f"sent via {how}\n")
    return msg


def in_maildir(tok):
    """Path of the delivered file whose Subject is tok, or None."""
    for sub in ("new", "cur"):
        folder = os.path.join(dc["DOVECOT_MAILDIR"], sub)
        for name in os.listdir(folder):
            try:
                with open(os.path.join(folder, name), "rb") as f:
                    if tok.encode() in f.read():
                        return os.path.join(folder, name)
            except FileNotFoundError:  # moved from new/ to cur/ meanwhile
                pass
    return None


def fetch_over_imap(tok):
    imap = imaplib.IMAP4_SSL(host, int(dc["DOVECOT_IMAPS_PORT"]), ssl_context=tls_context())
    imap.login(dc["DOVECOT_USER"], dc["DOVECOT_PASSWORD"])
    imap.select("INBOX", readonly=True)
    _, data = imap.search(None, "SUBJECT", tok)
    ids = data[0].split()
    check(len(ids) == 1, f"IMAP finds exactly one message {tok}")
    _, parts = imap.fetch(ids[0], "(RFC822)")
    imap.logout()
    return email.message_from_bytes(parts[0][1])


# Submission: AUTH only after STARTTLS, then AUTH PLAIN.
tok1 = token()
smtp = smtplib.SMTP(host, int(pf["POSTFIX_SUBMISSION_PORT"]), timeout=20)
smtp.ehlo()
check(smtp.has_extn("starttls") and not smtp.has_extn("auth"),
      "submission offers STARTTLS and no AUTH before TLS")
smtp.starttls(context=tls_context())
smtp.ehlo()
check("PLAIN" in smtp.esmtp_features.get("auth", ""), "submission offers AUTH PLAIN after TLS")
smtp.user, smtp.password = user, password
check(smtp.auth("PLAIN", smtp.auth_plain)[0] == 235, "submission AUTH PLAIN")
smtp.send_message(message(tok1, "submission"))
smtp.quit()

# SMTPS (implicit TLS): AUTH LOGIN.
tok2 = token()
smtp = smtplib.SMTP_SSL(host, int(pf["POSTFIX_SMTPS_PORT"]), context=tls_context(), timeout=20)
smtp.ehlo()
smtp.user, smtp.password = user, password
check(smtp.auth("LOGIN", smtp.auth_login)[0] == 235, "SMTPS AUTH LOGIN")
smtp.send_message(message(tok2, "smtps"))
smtp.quit()

# Nothing leaves the machine: relaying to another domain is refused without AUTH.
smtp = smtplib.SMTP(host, int(pf["POSTFIX_SMTP_PORT"]), timeout=20)
smtp.ehlo()
check(smtp.has_extn("starttls"), "plain SMTP port offers STARTTLS")
try:
    smtp.sendmail("smoke@example.org", ["someone@example.com"], "Subject: relay\r\n\r\nno\r\n")
    check(False, "relay to a foreign domain refused")
except smtplib.SMTPRecipientsRefused:
    check(True, "relay to a foreign domain refused")
smtp.quit()

# Delivery is asynchronous (queue manager -> LMTP): poll with a bounded wait.
for tok, how in ((tok1, "submission"), (tok2, "smtps")):
    path = wait_until(f"delivery of {tok} into the Maildir", lambda: in_maildir(tok), timeout=30)
    check(bool(path), f"{how} message delivered to {path}")
    msg = fetch_over_imap(tok)
    check(msg.get_payload().strip() == f"sent via {how}", f"{how} message fetched over IMAP")
print("postfix delivery test passed")
