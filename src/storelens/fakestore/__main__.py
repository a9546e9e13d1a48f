"""`python -m storelens.fakestore serve|mutate …`, the same as `storelens fakestore …`."""

import sys

from storelens.fakestore.cli import main

raise SystemExit(main(sys.argv[1:]))
