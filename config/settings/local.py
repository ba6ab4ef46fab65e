"""Development on one machine: ``make run``. SQLite and a filesystem broker unless told otherwise."""

from .base import *  # noqa: F403
from .env import env

DEBUG = env.bool("DEBUG", default=True)
