"""One redactor shared by many threads."""

from __future__ import annotations

import threading

import hush
from conftest import SECRET


def test_many_threads_one_redactor(redactor: hush.Redactor) -> None:
    big = ("INFO ok user=bob\n" * 400) + f"token={SECRET}\n"
    errors: list[str] = []

    def work(n: int) -> None:
        for i in range(200):
            small = f"thread {n} iter {i} password=pw{n}x{i}yz"
            if redactor.redact(small) != f"thread {n} iter {i} password=[REDACTED]":
                errors.append(f"small {n}/{i}")
            if i % 20 == 0:
                out = redactor.redact(big)
                if not out.endswith("token=[REDACTED]\n") or SECRET in out:
                    errors.append(f"big {n}/{i}")
                if i == 100 and n % 4 == 0:
                    redactor.reload()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
