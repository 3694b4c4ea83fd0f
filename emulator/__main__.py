"""``python -m emulator serve --port 5000``: the emulator in the foreground."""

import sys

from emulator.server import _main

sys.exit(_main())
