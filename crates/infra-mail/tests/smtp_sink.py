#!/usr/bin/env python3
"""A real SMTP server for Roster's tests (M1), on aiosmtpd.

  smtp_sink.py serve PORT DIR   accept mail on 127.0.0.1:PORT; each message is written to
                                DIR/<n>.eml (temp file + rename), until killed.
  smtp_sink.py parse FILE...    print the messages as a JSON list (from, to, subject, message_id,
                                date, content_type, body decoded), parsed by Python's
                                standard `email` package: what a mail client would read.
"""
import json
import os
import sys
import threading
import time


def serve(port, directory):
    from aiosmtpd.controller import Controller

    lock = threading.Lock()
    counter = [0]

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            with lock:
                counter[0] += 1
                n = counter[0]
            tmp = os.path.join(directory, f".{n}.tmp")
            with open(tmp, "wb") as f:
                f.write(envelope.original_content or envelope.content)
            os.rename(tmp, os.path.join(directory, f"{n}.eml"))
            return "250 Message accepted for delivery"

    os.makedirs(directory, exist_ok=True)
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


def parse(paths):
    print(json.dumps([parse_one(p) for p in paths]))


def parse_one(path):
    from email import policy
    from email.parser import BytesParser

    with open(path, "rb") as f:
        msg = BytesParser(policy=policy.default).parse(f)
    body = msg.get_body(preferencelist=("plain",))
    return {
        "from": str(msg["From"]),
        "to": str(msg["To"]),
        "subject": str(msg["Subject"]),
        "message_id": str(msg["Message-ID"]),
        "date": str(msg["Date"]),
        "content_type": body.get_content_type() if body else None,
        "body": body.get_content() if body else None,
        "defects": [type(d).__name__ for d in msg.defects],
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        serve(int(sys.argv[2]), sys.argv[3])
    elif sys.argv[1:2] == ["parse"]:
        parse(sys.argv[2:])
    else:
        sys.exit(__doc__)
