"""Writing zip files from entries compressed beforehand, so one compression serves two zips.

An entry is deflated once (`deflate`) and its compressed bytes go into as
many zips as hold it, copied as they are. The bytes are those Python's
zipfile writes for the same entries (deflated, sizes and checksum in the
local header, no data descriptor, ZIP64 fields exactly where it puts them),
so a zip written here is one zipfile could have written. The limits are
parameters so that the ZIP64 cases can be tried on small files.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import BinaryIO

ZIP64_LIMIT = (1 << 31) - 1
COUNT_LIMIT = 0xFFFF
_VERSION = 20
_ZIP64_VERSION = 45
_UNIX = 3
_UTF8_NAME = 0x800
_DEFLATED = 8
_LOCAL = struct.Struct("<4sBBHHHHLLLHH")
_CENTRAL = struct.Struct("<4sBBBBHHHHLLLHHHHHLL")
_END = struct.Struct("<4sHHHHLLH")
_END64 = struct.Struct("<4sQ2H2L4Q")
_END64_LOCATOR = struct.Struct("<4sLQL")


@dataclass(frozen=True)
class Deflated:
    """One entry's content, compressed: what a zip needs of it besides its name."""

    crc: int
    size: int
    data: bytes


def deflate(data: bytes, level: int) -> Deflated:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return Deflated(zlib.crc32(data), len(data), compressor.compress(data) + compressor.flush())


@dataclass
class _Written:
    name: bytes
    flags: int
    entry: Deflated
    offset: int
    version: int


class ZipWriter:
    """A zip written entry by entry into a file opened for writing from its start."""

    def __init__(
        self,
        out: BinaryIO,
        date_time: tuple[int, int, int, int, int, int],
        *,
        mode: int = 0o644,
        zip64_limit: int = ZIP64_LIMIT,
        count_limit: int = COUNT_LIMIT,
    ) -> None:
        self.out = out
        year, month, day, hour, minute, second = date_time
        self.date = (year - 1980) << 9 | month << 5 | day
        self.time = hour << 11 | minute << 5 | second // 2
        self.attributes = mode << 16
        self.zip64_limit = zip64_limit
        self.count_limit = count_limit
        self.position = 0
        self.written: list[_Written] = []

    def _write(self, data: bytes) -> None:
        self.out.write(data)
        self.position += len(data)

    def add(self, name: str, entry: Deflated) -> None:
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), _UTF8_NAME
        # zipfile decides on ZIP64 sizes in the local header before it compresses, from the
        # size alone with a margin, and the version it then needs stays with the entry.
        zip64 = entry.size * 1.05 > self.zip64_limit
        version = _ZIP64_VERSION if zip64 else _VERSION
        if not zip64 and max(entry.size, len(entry.data)) > self.zip64_limit:
            raise ValueError(f"{name}: compressed to more than its size allows without ZIP64")
        extra = struct.pack("<HHQQ", 1, 16, entry.size, len(entry.data)) if zip64 else b""
        sizes = (0xFFFFFFFF, 0xFFFFFFFF) if zip64 else (len(entry.data), entry.size)
        offset = self.position
        self._write(
            _LOCAL.pack(
                b"PK\x03\x04",
                version,
                0,
                flags,
                _DEFLATED,
                self.time,
                self.date,
                entry.crc,
                *sizes,
                len(encoded),
                len(extra),
            )
        )
        self._write(encoded + extra)
        self._write(entry.data)
        self.written.append(_Written(encoded, flags, entry, offset, version))

    def close(self) -> None:
        start = self.position
        for item in self.written:
            entry = item.entry
            large: list[int] = []
            sizes = (len(entry.data), entry.size)
            if entry.size > self.zip64_limit or len(entry.data) > self.zip64_limit:
                large += [entry.size, len(entry.data)]
                sizes = (0xFFFFFFFF, 0xFFFFFFFF)
            offset = item.offset
            if offset > self.zip64_limit:
                large.append(offset)
                offset = 0xFFFFFFFF
            version = item.version
            extra = b""
            if large:
                extra = struct.pack(f"<HH{len(large)}Q", 1, 8 * len(large), *large)
                version = _ZIP64_VERSION
            self._write(
                _CENTRAL.pack(
                    b"PK\x01\x02",
                    version,
                    _UNIX,
                    version,
                    0,
                    item.flags,
                    _DEFLATED,
                    self.time,
                    self.date,
                    entry.crc,
                    *sizes,
                    len(item.name),
                    len(extra),
                    0,
                    0,
                    0,
                    self.attributes,
                    offset,
                )
            )
            self._write(item.name + extra)
        end = self.position
        count, size, offset = len(self.written), end - start, start
        if count > self.count_limit or offset > self.zip64_limit or size > self.zip64_limit:
            self._write(_END64.pack(b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, size, offset))
            self._write(_END64_LOCATOR.pack(b"PK\x06\x07", 0, end, 1))
            count, size, offset = min(count, 0xFFFF), min(size, 0xFFFFFFFF), min(offset, 0xFFFFFFFF)
        self._write(_END.pack(b"PK\x05\x06", 0, 0, count, count, size, offset, 0))
