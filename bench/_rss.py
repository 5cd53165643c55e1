"""Run one command; write its wall time, exit code and own peak RSS to a file.

    python bench/_rss.py RESULT.json CMD [ARG ...]

Linux gives a process the peak RSS of whatever it was forked from (the
high-water mark survives ``exec``), so a child of a big benchmark process
reports at least the benchmark's size. This wrapper is small: the command it
starts reports only its own peak. The time is taken here, around the command
alone, so the wrapper's own start-up is not counted.
"""

from __future__ import annotations

import json
import os
import sys
import time

RSS_SCALE = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: python bench/_rss.py RESULT.json CMD [ARG ...]", file=sys.stderr)
        return 2
    result, command = argv[0], argv[1:]
    start = time.perf_counter()
    pid = os.posix_spawnp(command[0], command, os.environ)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    with open(result, "w", encoding="utf-8") as handle:
        json.dump({"seconds": seconds, "rss": usage.ru_maxrss * RSS_SCALE, "code": code}, handle)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
