"""`python -m storelens …` is the same as the `storelens` command."""

import sys

from storelens.cli import main

sys.exit(main())
