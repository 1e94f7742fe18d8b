#pragma once

// A fixture: version 1 of the mail index (before IMAP sync), as that Wharf wrote it, with
// a few rows in INBOX (folder 1), for the upgrade test. Its Maildir is the test's to make.
namespace wharf::testing {

inline const char *const kVersionOneIndex[] = {
    "CREATE TABLE folders (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL "
    "DEFAULT '', stamp_new INTEGER NOT NULL DEFAULT -1, stamp_cur INTEGER NOT NULL DEFAULT -1, "
    "uid_validity INTEGER NOT NULL DEFAULT 0, uid_next INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE messages (id INTEGER PRIMARY KEY, folder_id INTEGER NOT NULL REFERENCES "
    "folders(id) ON DELETE CASCADE, maildir_key TEXT, relative_path TEXT, remote_uid_validity "
    "INTEGER NOT NULL DEFAULT 0, remote_uid INTEGER NOT NULL DEFAULT 0, remote_uidl BLOB, flags "
    "INTEGER NOT NULL DEFAULT 0, extra_flags TEXT NOT NULL DEFAULT '', internal_date INTEGER NOT "
    "NULL DEFAULT 0, size INTEGER NOT NULL DEFAULT 0, sender TEXT NOT NULL DEFAULT '', recipients "
    "TEXT NOT NULL DEFAULT '', subject TEXT NOT NULL DEFAULT '', message_id BLOB NOT NULL DEFAULT "
    "'', in_reply_to BLOB NOT NULL DEFAULT '', message_references BLOB NOT NULL DEFAULT '', "
    "has_attachments INTEGER NOT NULL DEFAULT 0)",
    "CREATE UNIQUE INDEX messages_by_key ON messages(maildir_key) WHERE maildir_key IS NOT NULL",
    "CREATE INDEX messages_by_folder_date ON messages(folder_id, internal_date, id)",
    "CREATE INDEX messages_unread ON messages(folder_id) WHERE (flags & 1) = 0",
    "CREATE INDEX messages_by_message_id ON messages(message_id)",
    "CREATE INDEX messages_by_uid ON messages(folder_id, remote_uid_validity, remote_uid) WHERE "
    "remote_uid != 0",
    "CREATE INDEX messages_by_uidl ON messages(folder_id, remote_uidl) WHERE remote_uidl IS NOT "
    "NULL",
    "CREATE VIRTUAL TABLE message_text USING fts5(subject, addresses, body, tokenize = 'unicode61 "
    "remove_diacritics 2')",
    "INSERT INTO folders (id, name, role) VALUES (1, 'INBOX', 'inbox')",
    // A headers-only row, its duplicate (gone after the upgrade), and a local copy whose file
    // carries two Dovecot keyword letters.
    "INSERT INTO messages (id, folder_id, remote_uid_validity, remote_uid, subject) VALUES "
    "(1, 1, 7, 42, 'remote one'), (2, 1, 7, 42, 'remote one again')",
    "INSERT INTO message_text (rowid, subject, addresses, body) VALUES (1, 'remote one', '', ''), "
    "(2, 'remote one again', '', '')",
    "INSERT INTO messages (id, folder_id, maildir_key, relative_path, flags, extra_flags, subject) "
    "VALUES (3, 1, '1.old.host', 'cur/1.old.host:2,Sab', 1, 'ab', 'local')",
    "PRAGMA user_version=1",
};

} // namespace wharf::testing
