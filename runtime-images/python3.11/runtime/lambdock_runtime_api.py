"""lambdock's Python runtime: its client of the Lambda Runtime API (bootstrap.py runs the loop).

One persistent HTTP/1.1 connection. An invocation's answer (POST /response or /error) and the
next GET /next leave in one write (pipelining), so the runtime never waits for the 202 before
asking again; http.client parses the answers from the connection's one buffered reader.
"""

import functools
import http.client
import re
import socket
import sys

API_PREFIX = "/2018-06-01/runtime"
NEXT_PATH = "/invocation/next"
_UNSAFE_PATH = re.compile(r"[^\x21-\x7e]")
_UNSAFE_HEADER_VALUE = re.compile(r"[^\t\x20-\x7e\x80-\xff]")


class _Answer(http.client.HTTPResponse):
    """An answer read from its connection's one buffered reader, which stays open after it."""

    def _close_conn(self):
        self.fp = None


class _SharedReader(object):
    """Gives http.client's response parser the connection's reader instead of a new one."""

    def __init__(self, reader):
        self._reader = reader

    def makefile(self, mode):
        return self._reader


class RuntimeClient(object):
    """One persistent HTTP/1.1 connection; an answer and the next /next share one write."""

    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self.address = address
        self.host = host.strip("[]")
        self.port = int(port)
        self.sock = None
        self.reader = None

    def _connect(self):
        self.sock = socket.create_connection((self.host, self.port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.reader = self.sock.makefile("rb")

    def _close(self):
        if self.sock is not None:
            self.reader.close()
            self.sock.close()
        self.sock = self.reader = None

    def _request(self, method, path, body=b"", headers=None):
        """The request's bytes; refuses what could split the head (as http.client does)."""
        if _UNSAFE_PATH.search(path):
            raise ValueError("unsafe characters in path {!r}".format(path))
        lines = ["{} {}{} HTTP/1.1".format(method, API_PREFIX, path), "Host: " + self.address]
        for name, value in (headers or {}).items():
            value = str(value)
            if _UNSAFE_HEADER_VALUE.search(value):
                raise ValueError("unsafe characters in header {}: {!r}".format(name, value))
            lines.append("{}: {}".format(name, value))
        if method == "POST":
            lines.append("Content-Length: {}".format(len(body)))
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
        return head + body

    def _read(self):
        answer = _Answer(_SharedReader(self.reader))
        answer.begin()
        data = answer.read()
        if answer.will_close:
            self._close()
        return answer, data

    def _exchange(self, requests):
        """Sends (request, on_answer) pairs in one write; each answer goes to its on_answer.

        Requests still unanswered when the connection ends (a refusal that closes it, or a
        connection the API dropped while idle) are sent once more on a new connection.
        """
        done = 0
        for attempt in (1, 2):
            try:
                if self.sock is None:
                    self._connect()
                self.sock.sendall(b"".join(request for request, _ in requests[done:]))
                while done < len(requests):
                    if self.sock is None:
                        raise ConnectionResetError("the Runtime API closed the connection")
                    answer, data = self._read()
                    requests[done][1](answer, data)
                    done += 1
                return
            except (http.client.HTTPException, ConnectionError):
                self._close()
                if attempt == 2:
                    raise

    @staticmethod
    def _check_posted(path, answer, data):
        if not 200 <= answer.status < 300:
            sys.stderr.write(
                "Runtime API {} answered {}: {}\n".format(path, answer.status, data[:512])
            )

    def next_invocation(self, answer=None):
        """GET /next; `answer` ((path, body, headers) to POST) goes first, in the same write."""
        event = []
        requests = [(self._request("GET", NEXT_PATH), lambda *got: event.extend(got))]
        if answer is not None:
            check = functools.partial(self._check_posted, answer[0])
            requests.insert(0, (self._request("POST", *answer), check))
        self._exchange(requests)
        response, body = event
        if response.status != 200:
            raise RuntimeError("Runtime API /next answered {}: {}".format(response.status, body))
        return response.headers, body

    def post_init_error(self, body, error_type):
        """POST /init/error: `body` is the error as JSON bytes."""
        headers = {
            "Content-Type": "application/json",
            "Lambda-Runtime-Function-Error-Type": error_type,
        }
        path = "/init/error"
        request = self._request("POST", path, body, headers)
        self._exchange([(request, functools.partial(self._check_posted, path))])
