"""The UTF-8 check of ingest on big files: blocks of ASCII are skipped, a character split
over two blocks is still whole, and a bad byte is named by its line."""

from __future__ import annotations

import hashlib

import pytest

from kraptemeter.core.errors import InputError
from schemas.ingest import fingerprint_utf8

BLOCK = 1 << 20  # what fingerprint_utf8 reads at a time


def ascii_lines(size: int) -> bytes:
    line = b"GM0344;40;M\n"  # 12 bytes
    return line * (size // len(line)) + b"x" * (size % len(line))


def test_a_character_split_over_two_blocks_is_valid(tmp_path):
    content = ascii_lines(BLOCK - 1) + "é;ß\n".encode() + ascii_lines(3 * BLOCK)
    path = tmp_path / "split.csv"
    path.write_bytes(content)
    assert fingerprint_utf8(path) == hashlib.sha256(content).hexdigest()


def test_a_latin1_byte_after_megabytes_of_ascii_is_named_by_its_line(tmp_path):
    before = ascii_lines(2 * BLOCK + 120)  # whole lines, then a few bytes of "x"
    path = tmp_path / "latin1.csv"
    path.write_bytes(before + "\n;caf\xe9\n".encode("latin-1") + b"GM0344;40;M\n")
    lines_before = before.count(b"\n")
    with pytest.raises(InputError, match=rf"line {lines_before + 2}: not UTF-8 \(byte 0xe9\)"):
        fingerprint_utf8(path)


def test_a_file_that_ends_inside_a_character_is_refused(tmp_path):
    path = tmp_path / "cut.csv"
    path.write_bytes(ascii_lines(100) + "é".encode()[:1])
    with pytest.raises(InputError, match="ends inside a character"):
        fingerprint_utf8(path)
