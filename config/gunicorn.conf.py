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


def pre_fork(server, worker):  # noqa: ARG001 - gunicorn's hook signature
    # Belt and braces: a worker must never inherit a database socket from the master (see
    # config.startup.verify_or_exit). Each worker opens its own connection on its first request.
    from config.startup import close_connections

    close_connections()
