#!/usr/bin/env python
"""Django's command-line utility for Huajie."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from config.startup import run_or_explain

    run_or_explain(sys.argv)


if __name__ == "__main__":
    main()
