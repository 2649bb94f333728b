"""WSGI entry point: ``gunicorn wsgi:server``."""

from dashboard.app import create_app
from layers.settings import Settings

app = create_app(settings=Settings.from_env())  # the environment, read once per server
server = app.server
