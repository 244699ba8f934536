"""Named points of a refresh, for the crash tests: they make "kill it right there" reproducible.

VNIP_REFRESH_TRACE=FILE appends each point reached (one line, flushed) and VNIP_REFRESH_PAUSE=POINT stops the refresh
at that point until it is killed. Both unset (always, outside tests): one dictionary lookup per point.
"""
from __future__ import annotations

import os
import time


def reached(point: str) -> None:
    trace = os.environ.get("VNIP_REFRESH_TRACE")
    if trace:
        with open(trace, "a", encoding="utf-8") as f:
            f.write(point + "\n")
    if os.environ.get("VNIP_REFRESH_PAUSE") == point:
        while True:             # the test kills us here
            time.sleep(60)
