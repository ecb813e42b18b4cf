"""Object bytes stream through the server: its memory does not grow with the object."""

import hashlib
import threading

import psutil

MiB = 1024 * 1024
SIZE = 64 * MiB


class _PeakMemory:
    """The highest resident memory of a process while the block runs."""

    def __init__(self, pid: int):
        self._process = psutil.Process(pid)
        self._done = threading.Event()
        self.baseline = self.peak = self._process.memory_info().rss

    def _watch(self) -> None:
        while not self._done.wait(0.005):
            self.peak = max(self.peak, self._process.memory_info().rss)

    def __enter__(self) -> "_PeakMemory":
        self._thread = threading.Thread(target=self._watch)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()

    @property
    def growth(self) -> int:
        return self.peak - self.baseline


def test_a_large_object_is_not_held_in_server_memory(twinport, s3, bucket):
    body = bytes(range(256)) * (SIZE // 256)
    s3.put_object(Bucket=bucket, Key="warm-up", Body=b"x" * MiB)
    s3.get_object(Bucket=bucket, Key="warm-up")["Body"].read()

    with _PeakMemory(twinport.process.pid) as memory:
        s3.put_object(Bucket=bucket, Key="large", Body=body)
        digest = hashlib.sha256()
        for chunk in s3.get_object(Bucket=bucket, Key="large")["Body"].iter_chunks(MiB):
            digest.update(chunk)

    assert digest.digest() == hashlib.sha256(body).digest()
    assert memory.growth < SIZE // 2, f"server memory grew by {memory.growth // MiB} MiB"
