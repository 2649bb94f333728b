"""gunicorn entry point of the naive baseline (benchmark only)."""

from layers.dataset import load_dataset
from layers.settings import Settings
from tests.perf.naive import create_naive_app

app = create_naive_app(load_dataset(Settings.from_env().data_dir))
# As in dashboard/app.py: register the JS bundles before gunicorn forks its workers (Dash
# otherwise answers a worker's first bundle request with a 500).
app.server.test_client().get("/")
server = app.server
