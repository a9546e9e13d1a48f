"""Remember once that `sniffio` is not installed, so httpcore stops looking for it on disk for every request.

httpcore runs `import sniffio` each time it sets up one of its locks (several per request) to learn whether it runs
under trio or asyncio. When sniffio is absent, each of those failed imports searches every `sys.path` entry on disk:
in the history-import benchmark's profile that was ~1,200 failed imports (~1.3 s of the event loop's time for
20k orders), time the loop could not spend receiving pages. Storelens only runs httpx under asyncio, which is what
httpcore assumes without sniffio, so nothing changes but the cost: a `None` in `sys.modules` makes the import fail
at once with the same ModuleNotFoundError. When sniffio is installed this does nothing.
"""

from __future__ import annotations

import importlib.util
import sys

if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
    sys.modules["sniffio"] = None  # type: ignore[assignment]
