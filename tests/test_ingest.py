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


def crlf_lines(size: int) -> bytes:
    line = b"GM0344;40;M\r\n"  # 13 bytes
    return line * (size // len(line))


@pytest.mark.parametrize("cr_at", [BLOCK - 2, BLOCK - 1, BLOCK])
def test_a_crlf_on_a_block_boundary_is_one_line_end(tmp_path, cr_at):
    content = b"x" * cr_at + b"\r\n" + crlf_lines(2 * BLOCK)
    path = tmp_path / "crlf.csv"
    path.write_bytes(content)
    assert fingerprint_utf8(path) == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize("straddling_crlf_first", [False, True])
def test_a_lone_cr_after_megabytes_of_crlf_is_named_by_its_line(tmp_path, straddling_crlf_first):
    # with a CRLF split over the first block boundary before it, which is not a lone CR
    head = b"x" * (BLOCK - 1) + b"\r\n" if straddling_crlf_first else b""
    before = head + crlf_lines(BLOCK)
    path = tmp_path / "lone_cr.csv"
    path.write_bytes(before + b"GM0344;40;M\r" + crlf_lines(BLOCK))
    line = before.count(b"\n") + 1
    with pytest.raises(InputError, match=rf"line {line}: the line ends with a lone CR"):
        fingerprint_utf8(path)


def test_lf_lines_after_megabytes_of_crlf_are_named_as_mixed(tmp_path):
    before = crlf_lines(3 * BLOCK)
    path = tmp_path / "mixed.csv"
    path.write_bytes(before + b"GM0344;40;M\n" * 10)
    line = before.count(b"\n") + 1
    with pytest.raises(InputError, match=rf"line {line}: line endings are mixed"):
        fingerprint_utf8(path)
