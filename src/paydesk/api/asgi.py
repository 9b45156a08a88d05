"""The app as each worker process of `paydesk serve --workers N` builds it, from the environment (PAYDESK_*): it
opens the database without migrating (the parent migrated once), refuses a schema that is not current, and loads
the models. State lives in the database, so workers on one host or many serve the same conversations."""

from __future__ import annotations

import gc

from fastapi import FastAPI

from paydesk.api.app import create_app
from paydesk.api.services import build_services
from paydesk.config import Settings, load_settings
from paydesk.domain.errors import UpstreamError
from paydesk.knowledge.retrieval import default_help_centre
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
    """The app over an open store, with the models loaded (also `paydesk serve` with one worker). What start-up
    loaded (models, language data, the app) lives as long as the process: it is frozen out of the garbage
    collector's sight, whose full passes would walk all of it while the worker answers no one."""
    embedded = default_engine()
    embedded.warm_up(LANGUAGES)
    default_help_centre().warm_up(LANGUAGES)
    app = create_app(services=build_services(settings, store=store, understanding=embedded))
    gc.collect()
    gc.freeze()
    return app
