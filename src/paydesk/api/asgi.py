"""The app as each worker process of `paydesk serve --workers N` builds it, from the environment (PAYDESK_*): it
opens the database without migrating (the parent migrated once), refuses a schema that is not current, and loads
the models. State lives in the database, so workers on one host or many serve the same conversations."""

from __future__ import annotations

from fastapi import FastAPI

from paydesk.api.app import create_app
from paydesk.api.services import build_services
from paydesk.config import Settings, load_settings
from paydesk.domain.errors import UpstreamError
from paydesk.store.database import Store
from paydesk.store.migrate import current_revision, head_revision
from paydesk.understanding.engine import default_engine
from paydesk.understanding.languages import LANGUAGES


def create() -> FastAPI:
    settings = load_settings()
    store = Store.open(settings.database_url, migrate=False)
    current, head = current_revision(store.engine), head_revision()
    if current != head:
        raise UpstreamError(f"the database schema is at {current}, this paydesk needs {head}: run `paydesk migrate`")
    return build(settings, store)


def build(settings: Settings, store: Store) -> FastAPI:
    """The app over an open store, with the models loaded (also `paydesk serve` with one worker)."""
    embedded = default_engine()
    embedded.warm_up(LANGUAGES)
    return create_app(services=build_services(settings, store=store, understanding=embedded))
