"""gunicorn settings for production (``gunicorn -c config/gunicorn.conf.py config.wsgi``)."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = 60
accesslog = "-"
errorlog = "-"


def on_starting(server):  # noqa: ARG001 - gunicorn's hook signature
    # Fail before forking workers, with one line, when settings or the database are wrong.
    from config.startup import verify_or_exit

    verify_or_exit()
