"""Running the app under gunicorn, from the command line as in production."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication

from navette.config import Settings


class _Gunicorn(BaseApplication):
    def __init__(self, settings: Settings, options: dict) -> None:
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from navette.app import create_app

        return create_app(self.settings)


def run(settings: Settings, host: str, port: int, workers: int) -> None:
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": 4,
        "accesslog": "-",
        "timeout": 120,
        # OAI-PMH answers an oversized request with its own error, not an HTML 400.
        "limit_request_line": 0,
    }
    _Gunicorn(settings, options).run()
