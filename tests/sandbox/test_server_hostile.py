"""The loopback sandbox server answers every hostile request with JSON, never a drop or a hang.

Raw sockets, so that every byte (framing included) is under the test's control. Every read has a
timeout: a server that hangs fails the test instead of stalling it.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from brevo_loyalty.sandbox import DEFAULT_API_KEY, Sandbox, serve
from brevo_loyalty.sandbox._server import MAX_BODY_BYTES

READ_TIMEOUT = 5.0


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


def _exchange(port: int, payload: bytes) -> list[Answer]:
    """Send ``payload``, read until the server closes the connection, parse every answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=READ_TIMEOUT) as sock:
        sock.sendall(payload)
        received = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                pytest.fail(f"the server neither answered nor closed: {received[:300]!r}")
            except ConnectionResetError:
                break
            if not chunk:
                break
            received += chunk
    answers = []
    while received:
        head, _, rest = received.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        answers.append(Answer(status, headers, rest[:length]))
        received = rest[length:]
    return answers


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[int, str]]:
    # One server for the module: each test also shows that the previous ones did not break it.
    sandbox = Sandbox(seed=3)
    program_id = sandbox.create_program()
    with serve(sandbox) as running:
        yield running.port, f"/v3/loyalty/offer/programs/{program_id}"


def _post(path: str, *headers: str, body: bytes = b"") -> bytes:
    head = [f"POST {path} HTTP/1.1", "Host: sandbox", f"api-key: {DEFAULT_API_KEY}", *headers]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def _is_json_error(answer: Answer, status: int) -> None:
    assert answer.status == status, answer
    assert answer.headers["content-type"] == "application/json"
    document = answer.json()
    assert isinstance(document, dict)
    assert set(document) == {"code", "message"}


def test_a_deeply_nested_body_is_a_400_not_a_500(server: tuple[int, str]) -> None:
    port, prefix = server
    deep = b"[" * 50_000 + b"]" * 50_000
    for content_type in ("application/json", "text/plain"):
        payload = _post(
            f"{prefix}/offers",
            f"Content-Type: {content_type}",
            f"Content-Length: {len(deep)}",
            body=deep,
        )
        [answer] = _exchange(port, payload)
        _is_json_error(answer, 400)


@pytest.mark.parametrize(
    ("length", "status"),
    [
        ("1000000000000", 413),
        (str(MAX_BODY_BYTES + 1), 413),
        ("abc", 400),
        ("-1", 400),
        ("+5", 400),
        ("5, 6", 400),
        ("0x10", 400),
        ("1" * 40, 400),
    ],
)
def test_a_bad_content_length_is_answered_and_the_connection_closed(
    server: tuple[int, str], length: str, status: int
) -> None:
    port, prefix = server
    [answer] = _exchange(port, _post(f"{prefix}/offers", f"Content-Length: {length}", body=b"{}"))
    _is_json_error(answer, status)
    assert answer.headers["connection"] == "close"


def test_two_different_content_lengths_are_refused(server: tuple[int, str]) -> None:
    port, prefix = server
    payload = _post(f"{prefix}/offers", "Content-Length: 2", "Content-Length: 3", body=b"{}x")
    [answer] = _exchange(port, payload)
    _is_json_error(answer, 400)


def _chunked(body: bytes, pieces: int = 3) -> bytes:
    size = max(1, len(body) // pieces)
    parts = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in parts) + b"0\r\n\r\n"


def test_a_chunked_body_is_decoded_and_its_framing_never_read_as_a_request(
    server: tuple[int, str],
) -> None:
    port, prefix = server
    body = json.dumps({"name": "Chunked gift", "publicName": "Gift"}).encode()
    first = _post(
        f"{prefix}/offers",
        "Content-Type: application/json",
        "Transfer-Encoding: chunked",
        body=_chunked(body),
    )
    second = (
        f"GET {prefix}/offers?limit=10 HTTP/1.1\r\nHost: sandbox\r\n"
        f"api-key: {DEFAULT_API_KEY}\r\nConnection: close\r\n\r\n"
    ).encode()
    answers = _exchange(port, first + second)  # pipelined on one connection
    assert [answer.status for answer in answers] == [200, 200], answers
    created = answers[0].json()
    assert isinstance(created, dict)
    listed = answers[1].json()
    assert isinstance(listed, dict)
    assert created["id"] in [item["id"] for item in listed["items"]]


@pytest.mark.parametrize(
    "framing",
    [
        ("Transfer-Encoding: chunked", "Content-Length: 4"),  # both: the smuggling shape
        ("Transfer-Encoding: gzip, chunked",),
        ("Transfer-Encoding: identity",),
    ],
)
def test_ambiguous_or_unknown_framing_is_refused(
    server: tuple[int, str], framing: tuple[str, ...]
) -> None:
    port, prefix = server
    [answer] = _exchange(port, _post(f"{prefix}/offers", *framing, body=_chunked(b"{}")))
    _is_json_error(answer, 400)
    assert answer.headers["connection"] == "close"


@pytest.mark.parametrize("bad", [b"zz\r\n{}\r\n0\r\n\r\n", b"2\r\n{}XX0\r\n\r\n", b"2\r\n{"])
def test_a_malformed_chunked_body_is_a_400(server: tuple[int, str], bad: bytes) -> None:
    port, prefix = server
    payload = _post(f"{prefix}/offers", "Transfer-Encoding: chunked", body=bad)
    # the truncated one ends when the client stops sending: shut our side down
    with socket.create_connection(("127.0.0.1", port), timeout=READ_TIMEOUT) as sock:
        sock.sendall(payload)
        sock.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    assert received.startswith(b"HTTP/1.1 400 "), received[:200]


def test_a_chunked_body_above_the_limit_is_a_413(server: tuple[int, str]) -> None:
    port, prefix = server
    big = b"%x\r\n" % (MAX_BODY_BYTES + 1)
    [answer] = _exchange(port, _post(f"{prefix}/offers", "Transfer-Encoding: chunked", body=big))
    _is_json_error(answer, 413)


@pytest.mark.parametrize("method", ["TRACE", "OPTIONS", "PROPFIND", "BREW", "PUT", "HEAD"])
def test_any_other_method_is_a_json_405_with_the_paths_allow(
    server: tuple[int, str], method: str
) -> None:
    port, prefix = server
    payload = f"{method} {prefix}/offers HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\n\r\n"
    [answer] = _exchange(port, payload.encode())
    assert answer.status == 405
    assert answer.headers["allow"] == "GET, POST"  # what /offers supports
    if method != "HEAD":  # a HEAD answer has no body
        _is_json_error(answer, 405)


def test_connect_is_answered_with_json_not_html(server: tuple[int, str]) -> None:
    port, _ = server
    payload = b"CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\nConnection: close\r\n\r\n"
    [answer] = _exchange(port, payload)
    assert 400 <= answer.status < 500
    assert answer.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    "payload",
    [
        b"GARBAGE\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n",
        b"GET / HTTP/1.1\r\nX: " + b"h" * 70_000 + b"\r\n\r\n",
    ],
    ids=["no-version", "bad-version", "long-target", "long-header"],
)
def test_errors_found_by_http_server_itself_are_json(
    server: tuple[int, str], payload: bytes
) -> None:
    port, _ = server
    [answer] = _exchange(port, payload)
    assert 400 <= answer.status < 600
    assert answer.headers["content-type"] == "application/json"
    assert isinstance(answer.json(), dict)


def test_the_server_still_answers_normally_after_all_that(server: tuple[int, str]) -> None:
    port, prefix = server
    for payload in (
        _post(f"{prefix}/offers", "Content-Length: abc"),
        b"TRACE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    ):
        _exchange(port, payload)
    get = (
        f"GET {prefix}/offers HTTP/1.1\r\nHost: sandbox\r\n"
        f"api-key: {DEFAULT_API_KEY}\r\nConnection: close\r\n\r\n"
    ).encode()
    [answer] = _exchange(port, get)
    assert answer.status == 200
