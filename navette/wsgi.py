"""The WSGI entry point for gunicorn and other servers: ``navette.wsgi:app``."""

from navette.app import create_app, freeze_startup_objects

app = create_app()
freeze_startup_objects()
