"""Helpers for the fixture smoke tests: read the servers' env files, TLS contexts."""
import os
import ssl
import sys
import time
import uuid


def state_dir():
    d = os.environ.get("WHARF_TEST_SERVERS")
    if not d:
        sys.exit("WHARF_TEST_SERVERS is not set (run through ctest)")
    return d


def pki_dir():
    return os.environ.get("WHARF_TEST_PKI") or os.path.join(state_dir(), "pki")


def load_env(name):
    """KEY=VALUE lines of STATE_DIR/<name>.env as a dict."""
    path = os.path.join(state_dir(), name + ".env")
    if not os.path.exists(path):
        sys.exit(f"{path} missing: is the '{name}' fixture running?")
    env = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                key, _, value = line.partition("=")
                env[key] = value
    return env


def tls_context(ca="ca.pem"):
    """A verifying client context that trusts only the given test CA."""
    return ssl.create_default_context(cafile=os.path.join(pki_dir(), ca))


def token():
    return "wharf-smoke-" + uuid.uuid4().hex


def wait_until(what, predicate, timeout=20.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            sys.exit(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def check(condition, message):
    if not condition:
        sys.exit("FAILED: " + message)
    print("ok:", message)
