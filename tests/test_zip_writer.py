"""The zip writer: entries compressed once, copied into zips as zipfile would have written them."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pytest

from packgen.zip_writer import Deflated, ZipWriter, deflate

DATE = (2024, 5, 17, 13, 45, 10)
ENTRIES = {
    "a.html": b"<p>hello</p>" * 200,
    "b/c.json": b'{"x": 1}',
    "empty.txt": b"",
    "\u00e9t\u00e9/caf\u00e9.txt": "caf\u00e9".encode(),
    "random.bin": bytes((i * 7919) % 251 for i in range(20_000)),
}


def written_by_zipfile(entries: dict[str, bytes], level: int = 6) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, data, compresslevel=level)
    return buffer.getvalue()


def written_here(entries: dict[str, Deflated], **limits: int) -> bytes:
    buffer = io.BytesIO()
    writer = ZipWriter(buffer, DATE, **limits)
    for name, entry in entries.items():
        writer.add(name, entry)
    writer.close()
    return buffer.getvalue()


def test_a_zip_has_the_bytes_zipfile_writes_for_the_same_entries():
    ours = written_here({name: deflate(data, 6) for name, data in ENTRIES.items()})
    assert ours == written_by_zipfile(ENTRIES)


def test_an_entry_compressed_once_goes_into_two_zips_as_it_is():
    shared = {name: deflate(data, 6) for name, data in ENTRIES.items()}
    first = written_here(shared)
    second = written_here({"z.txt": deflate(b"only here", 6), **shared})
    with zipfile.ZipFile(io.BytesIO(first)) as one, zipfile.ZipFile(io.BytesIO(second)) as two:
        for name, data in ENTRIES.items():
            assert one.read(name) == two.read(name) == data
            a, b = one.getinfo(name), two.getinfo(name)
            raw_a = first[
                a.header_offset : a.header_offset + 30 + len(name.encode()) + a.compress_size
            ]
            raw_b = second[
                b.header_offset : b.header_offset + 30 + len(name.encode()) + b.compress_size
            ]
            assert raw_a == raw_b  # the local header and the compressed bytes, copied
        assert two.read("z.txt") == b"only here"


def test_the_same_entries_give_the_same_bytes():
    make = lambda: written_here({n: deflate(d, 6) for n, d in ENTRIES.items()})  # noqa: E731
    assert make() == make()


@pytest.mark.parametrize("limit", [100, 1000, 5000])
def test_zip64_fields_where_zipfile_puts_them(monkeypatch: pytest.MonkeyPatch, limit: int):
    # Past the limit, sizes and offsets need ZIP64 fields: the same as zipfile's when it is
    # given the same limit, and readable by zipfile and unzip.
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", limit)
    expected = written_by_zipfile(ENTRIES)
    ours = written_here({n: deflate(d, 6) for n, d in ENTRIES.items()}, zip64_limit=limit)
    assert ours == expected
    with zipfile.ZipFile(io.BytesIO(ours)) as archive:
        assert archive.getinfo("random.bin").extract_version == 45  # it took ZIP64 sizes
        assert archive.read("random.bin") == ENTRIES["random.bin"]
    if limit == 100:
        assert b"PK\x06\x06" in ours  # offsets past the limit: the ZIP64 end record


def test_zip64_entry_count(tmp_path: Path):
    many = {f"f{i:03}.txt": deflate(str(i).encode(), 6) for i in range(40)}
    data = written_here(many, count_limit=30)
    assert b"PK\x06\x06" in data
    path = tmp_path / "many.zip"
    path.write_bytes(data)
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert archive.read("f039.txt") == b"39"
        assert len(archive.namelist()) == 40


def test_every_zip_passes_the_stdlib_and_unzip_checks(tmp_path: Path):
    for limit in (100, 1 << 31):
        path = tmp_path / f"z{limit}.zip"
        path.write_bytes(
            written_here({n: deflate(d, 6) for n, d in ENTRIES.items()}, zip64_limit=limit)
        )
        checked = subprocess.run(
            ["python", "-m", "zipfile", "-t", str(path)], capture_output=True, text=True
        )
        assert checked.returncode == 0, checked.stderr
        try:
            unzipped = subprocess.run(["unzip", "-t", str(path)], capture_output=True, text=True)
        except FileNotFoundError:
            continue  # no unzip here; the stdlib's check above stands
        assert unzipped.returncode == 0, unzipped.stdout


def test_an_entry_too_big_without_zip64_is_refused():
    writer = ZipWriter(io.BytesIO(), DATE, zip64_limit=100)
    # An entry under the margin whose compressed bytes came out past the limit.
    entry = Deflated(0, 90, b"x" * 150)
    with pytest.raises(ValueError, match="ZIP64"):
        writer.add("big", entry)
