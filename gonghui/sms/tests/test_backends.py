"""The three backends: what each one does with a message, and how the gateway fails."""

from __future__ import annotations

import json
import socket
import stat
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from gonghui.sms.backends import (
    ConsoleBackend,
    FileBackend,
    HttpGatewayBackend,
    SmsError,
    get_backend,
    sent_to,
)

PHONE = "13800138000"
TEXT = "您的验证码是 482913，5 分钟内有效。"
KEY = "gateway-secret-key"


def test_the_console_backend_prints_the_number_and_the_text(capsys):
    ConsoleBackend().send(PHONE, TEXT)

    out = capsys.readouterr().out
    assert f"SMS to {PHONE}\n{TEXT}\n" in out


def test_the_backend_is_the_one_the_setting_names_at_call_time(settings):
    settings.SMS_BACKEND = "gonghui.sms.backends.FileBackend"
    assert isinstance(get_backend(), FileBackend)
    settings.SMS_BACKEND = "gonghui.sms.backends.ConsoleBackend"
    assert isinstance(get_backend(), ConsoleBackend)


def test_the_file_backend_appends_one_private_json_line_per_message(settings, tmp_path):
    settings.SMS_FILE_PATH = tmp_path / "new-folder" / "sms.jsonl"

    FileBackend().send(PHONE, "first")
    FileBackend().send("13900139000", "other")
    FileBackend().send(PHONE, TEXT)

    lines = settings.SMS_FILE_PATH.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [(r["phone"], r["text"]) for r in records] == [
        (PHONE, "first"),
        ("13900139000", "other"),
        (PHONE, TEXT),
    ]
    assert all(r["sent_at"] for r in records)
    assert stat.S_IMODE(settings.SMS_FILE_PATH.stat().st_mode) == 0o600
    assert stat.S_IMODE(settings.SMS_FILE_PATH.parent.stat().st_mode) == 0o700
    assert sent_to(PHONE) == ["first", TEXT]
    assert sent_to("13700137000") == []


def test_nothing_was_sent_when_the_file_does_not_exist(settings, tmp_path):
    settings.SMS_FILE_PATH = tmp_path / "sms.jsonl"
    assert sent_to(PHONE) == []


class StubGateway:
    """A local HTTP server standing in for a provider's gateway."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status = 200
        self.headers: dict[str, str] = {}
        self.release = threading.Event()  # a stalled answer waits for it
        self.stall = False
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                stub.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": self.rfile.read(length),
                    }
                )
                if stub.stall:
                    stub.release.wait(10)
                self.send_response(stub.status)
                for name, value in stub.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass  # the test output stays quiet

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms/send"
        # A short poll: shutdown() waits for it, once per test.
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    stub = StubGateway()
    settings.SMS_GATEWAY_URL = stub.url
    settings.SMS_GATEWAY_KEY = KEY
    settings.SMS_GATEWAY_TIMEOUT = 1
    settings.SMS_SIGNATURE = ""
    yield stub
    stub.close()


def assert_discreet(error: SmsError):
    """The message is logged and stored: never the phone, the text or the key."""
    message = str(error)
    assert message
    assert PHONE not in message and TEXT not in message and KEY not in message
    assert error.__cause__ is None


def test_the_gateway_receives_a_json_post_with_the_bearer_key(gateway):
    HttpGatewayBackend().send(PHONE, TEXT)

    [request] = gateway.requests
    assert request["method"] == "POST"
    assert request["path"] == "/sms/send"
    assert request["headers"]["Authorization"] == f"Bearer {KEY}"
    assert request["headers"]["Content-Type"].startswith("application/json")
    assert json.loads(request["body"].decode("utf-8")) == {"phone": PHONE, "text": TEXT}


def test_the_signature_goes_in_front_of_the_text(gateway, settings):
    settings.SMS_SIGNATURE = "【工会】"
    HttpGatewayBackend().send(PHONE, TEXT)
    settings.SMS_SIGNATURE = "工会"  # the brackets are added when left out
    HttpGatewayBackend().send(PHONE, TEXT)

    texts = [json.loads(r["body"])["text"] for r in gateway.requests]
    assert texts == [f"【工会】{TEXT}", f"【工会】{TEXT}"]


def test_any_2xx_answer_is_success(gateway):
    gateway.status = 202
    HttpGatewayBackend().send(PHONE, TEXT)
    assert len(gateway.requests) == 1


@pytest.mark.parametrize("status", [500, 400, 401, 404])
def test_an_error_answer_raises_without_the_phone_or_the_text(gateway, status):
    gateway.status = status
    with pytest.raises(SmsError) as caught:
        HttpGatewayBackend().send(PHONE, TEXT)
    assert str(status) in str(caught.value)
    assert_discreet(caught.value)


def test_a_redirect_is_a_failure_and_is_not_followed(gateway):
    gateway.status = 302
    gateway.headers = {"Location": gateway.url.replace("/sms/send", "/elsewhere")}
    with pytest.raises(SmsError) as caught:
        HttpGatewayBackend().send(PHONE, TEXT)
    assert_discreet(caught.value)
    assert [r["path"] for r in gateway.requests] == ["/sms/send"]


def test_a_gateway_that_does_not_answer_in_time_raises(gateway):
    gateway.stall = True
    with pytest.raises(SmsError) as caught:
        HttpGatewayBackend().send(PHONE, TEXT)
    assert "could not be reached" in str(caught.value)
    assert_discreet(caught.value)


def test_a_refused_connection_raises(settings):
    with socket.socket() as probe:  # a port nothing listens on once it is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{port}/sms/send"
    settings.SMS_GATEWAY_KEY = KEY
    with pytest.raises(SmsError) as caught:
        HttpGatewayBackend().send(PHONE, TEXT)
    assert "could not be reached" in str(caught.value)
    assert_discreet(caught.value)


@pytest.mark.parametrize("url", ["", "file:///etc/passwd", "ftp://127.0.0.1/sms"])
def test_a_gateway_url_other_than_http_is_refused(settings, url):
    settings.SMS_GATEWAY_URL = url
    with pytest.raises(SmsError) as caught:
        HttpGatewayBackend().send(PHONE, TEXT)
    assert_discreet(caught.value)
