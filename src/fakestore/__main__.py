"""`python -m fakestore serve|mutate …`, the same as `storelens fakestore …`."""

import sys

from fakestore.cli import main

raise SystemExit(main(sys.argv[1:]))
