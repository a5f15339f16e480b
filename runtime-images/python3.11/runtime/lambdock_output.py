"""Counts the bytes a function writes to stdout and stderr.

The runtime sends how many were written during an invocation with its answer
(Lambdock-Runtime-Output-Bytes), so the worker closes that invocation's log once they
have all arrived instead of guessing from a quiet stream. Writes that bypass sys.stdout
and sys.stderr (child processes, os.write on the descriptors) are not counted; for them
the worker still waits for the stream to settle.
"""

import io
import os
import sys


class OutputCounter:
    """Replaces sys.stdout and sys.stderr with unbuffered streams that count their bytes."""

    def __init__(self):
        self.bytes = 0
        sys.stdout = self._counted(sys.stdout)
        sys.stderr = self._counted(sys.stderr)

    def _counted(self, stream):
        raw = _CountedDescriptor(stream.fileno(), self)
        return io.TextIOWrapper(raw, encoding=stream.encoding, errors=stream.errors, write_through=True)


class _CountedDescriptor(io.RawIOBase):
    def __init__(self, fd, counter):
        super().__init__()
        self._fd = fd
        self._counter = counter

    def writable(self):
        return True

    def fileno(self):
        return self._fd

    def write(self, data):
        view = memoryview(data)
        done = 0
        while done < len(view):
            done += os.write(self._fd, view[done:])
        self._counter.bytes += done
        return done
