"""CRC32C and CRC64NVME in pure Python, for checking a client's value without their libraries.

The C libraries (crc32c, awscrt) are optional; without them moto, and `checksums`, store a CRC32
under those names. A value a client declares must be checked against the real algorithm though,
or every honest upload would be refused: these table-driven versions are slow (some MB/s) but
are only used for that, and only when the library is missing.
"""

from __future__ import annotations

from collections.abc import Callable


def _reflected_crc(polynomial: int, width: int) -> Callable[[bytes, int], int]:
    """A reflected CRC with all-ones init and final xor, continued from a previous value."""
    mask = (1 << width) - 1
    table = []
    for byte in range(256):
        value = byte
        for _ in range(8):
            value = (value >> 1) ^ polynomial if value & 1 else value >> 1
        table.append(value)

    def crc(data: bytes, previous: int = 0) -> int:
        value = previous ^ mask
        for byte in data:
            value = table[(value ^ byte) & 0xFF] ^ (value >> 8)
        return value ^ mask

    return crc


crc32c = _reflected_crc(0x82F63B78, 32)
crc64nvme = _reflected_crc(0x9A6C9329AC4BC9B5, 64)
