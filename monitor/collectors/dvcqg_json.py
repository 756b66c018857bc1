"""The national sync JSON (a top-level array of dossiers), read one element at a time.

The standard library's decoder parses each element from a sliding text buffer, so memory holds
one chunk and one dossier, not the file. Anything that is not a well-formed array raises
UnreadableInput with the line where reading stopped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, TextIO

from monitor.ingest import UnreadableInput

CHUNK = 1 << 20
MAX_ELEMENT = 64 << 20  # a single dossier larger than this is not a dossier
_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class _Buffer:
    def __init__(self, fh: TextIO) -> None:
        self.fh = fh
        self.text = ""
        self.pos = 0
        self.eof = False
        self.lines_before = 0  # newlines in text already dropped, for error messages

    def fill(self) -> bool:
        """Read one more chunk; False at end of file."""
        if self.eof:
            return False
        try:
            chunk = self.fh.read(CHUNK)
        except UnicodeDecodeError:
            raise UnreadableInput(
                f"Tệp JSON không phải UTF-8 hợp lệ (gần dòng {self.line()})."
            ) from None
        if not chunk:
            self.eof = True
            return False
        if self.pos > len(self.text) // 2:
            self.lines_before += self.text.count("\n", 0, self.pos)
            self.text, self.pos = self.text[self.pos :], 0
        self.text += chunk
        return True

    def skip_ws(self) -> str:
        """The next non-blank character (not consumed), or '' at end of file."""
        while True:
            self.pos = _WS.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.fill():
                return ""

    def line(self) -> int:
        return self.lines_before + self.text.count("\n", 0, self.pos) + 1

    def decode(self) -> Any:
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError:
                end = -1
            # A value ending exactly at the buffer's end may be a number cut by the chunk.
            if end != -1 and (end < len(self.text) or self.eof):
                self.pos = end
                return value
            if len(self.text) - self.pos > MAX_ELEMENT or not self.fill():
                if end != -1:
                    self.pos = end
                    return value
                raise UnreadableInput(
                    f"Tệp JSON hỏng: không đọc được phần tử ở dòng {self.line()}."
                )


def iter_json_array(fh: TextIO) -> Iterator[tuple[int, Any]]:
    """(position from 1, element) for each element of the top-level array in ``fh``."""
    buf = _Buffer(fh)
    if buf.skip_ws() != "[":
        raise UnreadableInput("Tệp JSON phải là một mảng hồ sơ (bắt đầu bằng '[').")
    buf.pos += 1
    n = 0
    if buf.skip_ws() == "]":
        buf.pos += 1
    else:
        while True:
            if not buf.skip_ws():
                raise UnreadableInput(_NOT_CLOSED)
            n += 1
            yield n, buf.decode()
            sep = buf.skip_ws()
            if sep == "]":
                buf.pos += 1
                break
            if sep == "":
                raise UnreadableInput(_NOT_CLOSED)
            if sep != ",":
                raise UnreadableInput(f"Tệp JSON hỏng: thiếu ',' hoặc ']' ở dòng {buf.line()}.")
            buf.pos += 1
    if buf.skip_ws() != "":
        raise UnreadableInput(f"Tệp JSON hỏng: còn dữ liệu sau ']' ở dòng {buf.line()}.")


_NOT_CLOSED = "Tệp JSON hỏng hoặc bị cắt cụt: mảng không được đóng bằng ']'."
