import sys

from twinport.cli import main

sys.exit(main())
