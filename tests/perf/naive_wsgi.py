"""gunicorn entry point of the naive baseline (benchmark only)."""

from layers.dataset import load_dataset
from tests.perf.naive import create_naive_app

server = create_naive_app(load_dataset()).server
