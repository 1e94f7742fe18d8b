#!/usr/bin/env python3
"""pyftpdlib fixture: login, upload, MLSD listing with facts, download, delete."""
import ftplib
import io
import os

from common import check, load_env, token

env = load_env("pyftpdlib")
name = token() + " é.txt"  # a space and a non-ASCII character on purpose
payload = os.urandom(100_000)

ftp = ftplib.FTP()
ftp.connect("127.0.0.1", int(env["PYFTPDLIB_PORT"]), timeout=20)
ftp.login(env["PYFTPDLIB_USER"], env["PYFTPDLIB_PASSWORD"])
ftp.storbinary(f"STOR {name}", io.BytesIO(payload))
facts = dict(ftp.mlsd(facts=["type", "size", "modify"]))
check(name in facts, "MLSD lists the uploaded file")
check(facts[name]["type"] == "file" and int(facts[name]["size"]) == len(payload),
      "MLSD facts type=file and the right size")
check(os.path.exists(os.path.join(env["PYFTPDLIB_ROOT"], name)), "file is in PYFTPDLIB_ROOT")
out = io.BytesIO()
ftp.retrbinary(f"RETR {name}", out.write)
check(out.getvalue() == payload, "download matches the upload")
ftp.delete(name)
ftp.quit()
print("pyftpdlib MLSD test passed")
