"""Schemathesis against the service's own /openapi.json over real HTTP: no 5xx for any generated request, valid
or not, as a customer, an agent, a supervisor or anonymous, and responses as the schema documents them (harness.py
says what the schema does not document yet). A bounded run; `benchmarks/fuzz_api.py` runs 10,000 cases."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from tests.api.conftest import Service
from tests.fuzz.harness import SEQ_RANGE, ApiFuzz, Planned

FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    print_blob=True,
)


def _no_findings(fuzz: ApiFuzz, planned: Planned) -> None:
    outcome = fuzz.run(planned)
    assert not outcome.findings, "\n\n".join(str(f) for f in outcome.findings)


def test_every_operation_as_every_caller(fuzz_service: Service) -> None:
    fuzz = ApiFuzz(fuzz_service)

    @settings(FUZZ, max_examples=300)
    @given(planned=fuzz.strategy())
    def run(planned: Planned) -> None:
        _no_findings(fuzz, planned)

    run()


def test_the_event_streams_as_every_caller(fuzz_service: Service) -> None:
    """The events streams, each response read for a moment: an error status, or a stream still open then."""
    fuzz = ApiFuzz(fuzz_service, stream_seconds=0.4)

    @settings(FUZZ, max_examples=20)
    @given(planned=fuzz.strategy(events=True))
    def run(planned: Planned) -> None:
        _no_findings(fuzz, planned)

    run()


def _events_after(service: Service, conversation: str, after: int) -> None:
    """GET the conversation's events from `after` on a connection of its own: refused, or open 0.4 s later."""
    url = f"{service.url}/v1/conversations/{conversation}/events"
    auth = {"Authorization": f"Bearer {service.token('cus_1')}"}
    try:
        with httpx.stream("GET", url, params={"after": after}, headers=auth, timeout=httpx.Timeout(5, read=0.4)) as r:
            if r.status_code >= 500:
                pytest.fail(f"GET {url}?after={after} -> {r.status_code} {r.read()!r}", pytrace=False)
            if r.status_code == 200:
                for _ in r.iter_bytes():
                    pass
                pytest.fail(f"GET {url}?after={after}: the stream ended by itself", pytrace=False)
    except httpx.ReadTimeout:
        return  # still open, as it should be
    except httpx.TransportError as exc:
        pytest.fail(f"GET {url}?after={after}: the server broke the connection ({exc!r})", pytrace=False)


def test_events_after_any_integer_in_the_database_range(fuzz_service: Service) -> None:
    with fuzz_service.customer("cus_1") as client:
        conversation = client.post("/v1/conversations").json()["conversation_id"]

    @settings(FUZZ, max_examples=10)
    @given(after=st.integers(min_value=SEQ_RANGE.start, max_value=SEQ_RANGE.stop - 1))
    @example(after=0)
    @example(after=-1)
    @example(after=SEQ_RANGE.stop - 1)
    def run(after: int) -> None:
        _events_after(fuzz_service, conversation, after)

    run()


def test_events_after_beyond_the_range_is_refused(fuzz_service: Service) -> None:
    with fuzz_service.customer("cus_1") as client:
        conversation = client.post("/v1/conversations").json()["conversation_id"]

    @settings(FUZZ, max_examples=5, phases=[Phase.explicit])
    @given(after=st.integers())
    @example(after=2**63)
    @example(after=-(2**63) - 1)
    def run(after: int) -> None:
        _events_after(fuzz_service, conversation, after)

    run()


# ---- what the fuzzing once found (500s), one request each ------------------------------------------
@dataclass(frozen=True)
class Probe:
    who: str  # cus_1, maria, sam or anonymous
    method: str
    path: str  # {conversation}: cus_1's, handed to a person; {case}: its case, claimed by maria
    body: bytes | None = None  # raw JSON, so that escapes such as \ud800 go as they are
    params: dict[str, str] | None = None


SURROGATE_PROBES = {
    "customer message": Probe("cus_1", "POST", "/v1/conversations/{conversation}/messages", rb'{"text": "hi \ud800"}'),
    "streamed message": Probe(
        "cus_1", "POST", "/v1/conversations/{conversation}/messages/stream", rb'{"text": "hi \ud800"}'
    ),
    "csat comment": Probe(
        "cus_1", "POST", "/v1/conversations/{conversation}/csat", rb'{"score": 3, "comment": "\udc80"}'
    ),
    "agent reply": Probe("maria", "POST", "/v1/agent/cases/{case}/messages", rb'{"text": "\udfff"}'),
    "reject note": Probe("sam", "POST", "/v1/agent/cases/no_such_case/reject", rb'{"note": "\ud800"}'),
    "login": Probe("anonymous", "POST", "/v1/agent/login", rb'{"username": "\udc80", "password": "x"}'),
    "demo token": Probe("anonymous", "POST", "/v1/demo/token", rb'{"customer": "\udc80"}'),
}
NUL_PROBES = {
    "conversation id": Probe("cus_1", "GET", "/v1/conversations/a%00b"),
    "case id": Probe("sam", "GET", "/v1/agent/cases/a%00b"),
    "claim case id": Probe("maria", "POST", "/v1/agent/cases/a%00b/claim"),
    "queue reason": Probe("sam", "GET", "/v1/agent/queue", params={"status": "all", "reason": "a\x00b"}),
    "csat comment": Probe(
        "cus_1", "POST", "/v1/conversations/{conversation}/csat", rb'{"score": 3, "comment": "a\u0000b"}'
    ),
    "agent reply": Probe("maria", "POST", "/v1/agent/cases/{case}/messages", rb'{"text": "a\u0000b"}'),
    "login": Probe("anonymous", "POST", "/v1/agent/login", rb'{"username": "a\u0000b", "password": "x"}'),
    "demo token": Probe("anonymous", "POST", "/v1/demo/token", rb'{"customer": "a\u0000b"}'),
}


def _send(service: Service, probe: Probe) -> httpx.Response:
    """The probe on a connection of its own, after cus_1 asked for a person and maria claimed the case."""
    astrid, maria, sam = service.customer("cus_1"), service.agent("maria"), service.agent("sam")
    try:
        conversation = astrid.post("/v1/conversations").json()["conversation_id"]
        r = astrid.post(f"/v1/conversations/{conversation}/messages", json={"text": "I want to talk to a human"})
        assert r.status_code == 200, r.text
        queue = sam.get("/v1/agent/queue", params={"status": "all"}).json()
        case = next(item["case_id"] for item in queue if item["conversation_id"] == conversation)
        assert maria.post(f"/v1/agent/cases/{case}/claim").status_code == 200
        sessions = {
            who: {"paydesk_session": str(c.cookies["paydesk_session"])} for who, c in (("maria", maria), ("sam", sam))
        }
    finally:
        for client in (astrid, maria, sam):
            client.close()
    headers = {"Content-Type": "application/json"} if probe.body is not None else {}
    if probe.who == "cus_1":
        headers["Authorization"] = f"Bearer {service.token('cus_1')}"
    path = probe.path.format(conversation=conversation, case=case)
    with httpx.Client(base_url=service.url, timeout=30, cookies=sessions.get(probe.who)) as client:
        return client.request(probe.method, path, content=probe.body, params=probe.params, headers=headers)


def _refused_not_500(r: httpx.Response) -> None:
    # Without a traceback: the server thread may be logging the 500's at the same moment, and CPython 3.11's
    # traceback code (ast.parse for its carets) is not safe to run in two threads at once.
    if r.status_code >= 500:
        pytest.fail(f"{r.request.method} {r.request.url} -> {r.status_code} {r.text}", pytrace=False)


@pytest.mark.parametrize("probe", SURROGATE_PROBES.values(), ids=SURROGATE_PROBES.keys())
def test_a_lone_surrogate_is_refused_not_a_500(fuzz_service: Service, probe: Probe) -> None:
    r = _send(fuzz_service, probe)
    _refused_not_500(r)
    assert r.status_code in (400, 422), r.text


@pytest.mark.parametrize("probe", NUL_PROBES.values(), ids=NUL_PROBES.keys())
def test_nul_is_refused_not_a_500(fuzz_service: Service, probe: Probe) -> None:
    r = _send(fuzz_service, probe)
    _refused_not_500(r)
    assert r.status_code in (400, 422), r.text
