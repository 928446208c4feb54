"""A real SMTP server for the tests (Debian's python3-aiosmtpd): accepts every mail on 127.0.0.1:PORT and writes each
one, exactly as received, to DIR/<ns>-<uuid>.eml (written to a .tmp name first, then renamed, so a reader never sees
half a file). Recipients at reject.example are refused with 550, to exercise permanent failures.

Usage: /usr/bin/python3 tests/smtp/sink.py HOST PORT DIR   (prints "ready" once listening; stops when stdin closes)
"""
import os
import sys
import time
import uuid

from aiosmtpd.controller import Controller


class FolderHandler:
    def __init__(self, folder):
        self.folder = folder

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().endswith("@reject.example"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = os.path.join(self.folder, f"{time.time_ns()}-{uuid.uuid4().hex}.eml")
        with open(name + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(name + ".tmp", name)
        return "250 Message accepted for delivery"


def main():
    host, port, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(folder, exist_ok=True)
    controller = Controller(FolderHandler(folder), hostname=host, port=port)
    controller.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()  # until the test closes our stdin (or dies)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
