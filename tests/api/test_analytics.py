"""The analytics API: supervisors only; the same figures as the report."""

from __future__ import annotations

from datetime import date

from paydesk.analytics.service import report
from paydesk.domain.clock import FixedClock
from paydesk.store.database import Store
from paydesk.understanding.engine import EmbeddedUnderstanding
from tests.analytics.histories import EXPECTED, NOW, history
from tests.analytics.test_store_report import write
from tests.api.conftest import Service, run_service


def test_analytics_need_a_supervisor(service: Service) -> None:
    with service.client() as anonymous:
        assert anonymous.get("/v1/analytics/report").status_code == 401
        assert anonymous.get("/v1/analytics/dashboard").status_code == 401
    maria = service.agent("maria")
    assert maria.get("/v1/analytics/report").status_code == 403
    assert maria.get("/v1/analytics/dashboard").status_code == 403
    sam = service.agent("sam")
    assert sam.get("/v1/analytics/report").json()["conversations"] == 0
    assert sam.get("/v1/analytics/report", params={"since": "2026-11-30", "until": "2026-11-01"}).status_code == 422
    assert sam.get("/v1/analytics/report", params={"since": "yesterday"}).status_code == 422
    assert sam.get("/v1/analytics/report", params={"by": "colour"}).status_code == 422
    for path in ("/v1/analytics/report", "/v1/analytics/dashboard"):  # once a 500 (date arithmetic overflowed)
        assert sam.get(path, params={"until": "0001-01-01"}).status_code == 422
        assert sam.get(path, params={"since": "9999-12-31"}).status_code == 422


def test_the_api_gives_the_reports_figures(store: Store, shared_engine: EmbeddedUnderstanding) -> None:
    write(store, history())
    with run_service(store, shared_engine, clock=FixedClock(NOW)) as service:
        sam = service.agent("sam")
        params = {"since": "2026-11-01", "until": "2026-11-30"}
        got = sam.get("/v1/analytics/report", params={**params, "by": "language"}).json()
        assert {k: got[k] for k in EXPECTED} == EXPECTED
        assert [g["key"] for g in got["groups"]] == ["sv", "de"]
        expected = report(store, date(2026, 11, 1), date(2026, 11, 30), NOW, with_series=True)
        dashboard = sam.get("/v1/analytics/dashboard", params=params).json()
        assert dashboard["series"] == expected.pop("series") and dashboard["options"] == expected.pop("options")
        assert dashboard["report"] == expected
        default = sam.get("/v1/analytics/report").json()  # the 30 days up to the service's today
        assert (default["since"], default["until"]) == ("2026-11-02", "2026-12-01")
