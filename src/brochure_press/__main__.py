"""`python -m brochure_press` runs the command line."""

import sys

from brochure_press.cli import main

sys.exit(main())
