"""Allow `python -m kgtools` as a synonym for the `kg` command."""

from kgtools.cli import main

raise SystemExit(main())
