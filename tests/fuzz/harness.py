"""Fuzzing the running service from its own /openapi.json with schemathesis, over real HTTP on loopback.

Shared by tests/fuzz/test_api_fuzz.py (a few hundred cases) and benchmarks/fuzz_api.py (10,000). A case is sent as
one of four callers: a signed-in customer (cus_1's Bearer token), an agent and a supervisor (their `paydesk_session`
cookies from POST /v1/agent/login), or anonymous (only what schemathesis generated itself). Path parameters are
often swapped for ids that exist (the customer's conversations, open cases), so that the fuzzed bodies reach the
dialogue and the desk instead of stopping at a 404. Both positive (schema-valid) and negative (invalid) cases.

Schemathesis's strings seldom hold the characters that break things, so a case may also get one hostile character
put into one of its strings (a path parameter, a query value, a JSON body's string): NUL, a lone UTF-16 surrogate
(JSON bodies only: a URL cannot carry one), bidi and zero-width controls, a non-ASCII digit, an astral character.

Checks: no 5xx (schemathesis's `not_a_server_error`), and status codes, content types, bodies and headers as the
schema documents them. The events streams never end: they are left out of the general fuzzing and fuzzed on their
own (`strategy(events=True)`), each request read for `stream_seconds` at most; such a stream must still be open by
then (one that ends by itself has crashed). POST .../messages/stream ends by itself and is read with the request's
read timeout.

What the schema does not document yet is counted apart as `known` (see KNOWN below) rather than failing the
tests: every other finding fails, and every 5xx.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import requests
import schemathesis
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode, Response
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup, ServerError
from schemathesis.schemas import BaseSchema
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import Service

Mode = Literal["customer", "agent", "supervisor", "anonymous"]
AnyCase = Case[Any]
Kind = Literal["server_error", "transport", "stream_ended", "check"]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
EVENTS = r"/events$"
SESSION_COOKIE = "paydesk_session"
CUSTOMER = "cus_1"
UNDOCUMENTED_STATUS, SCHEMA_VIOLATION = "ST103", "ST108"

# /openapi.json documents the error statuses of every API route (api/deps.py ERRORS) but not 405 (a method the
# path lacks), which the framework answers before any route. Any other undocumented status fails.
UNDOCUMENTED_ERRORS = frozenset({405})
KNOWN = {
    "undocumented": "an error status /openapi.json does not document (UNDOCUMENTED_ERRORS)",
    "422-detail-string": "a 422 of paydesk's own ({detail: <text>}) where the schema says FastAPI's validation error "
    "({detail: [ValidationError]})",
}
# The events stream's `after` (a message seq, 32-bit on PostgreSQL) is taken within 0 .. 2**31 - 1.
SEQ_RANGE = range(0, 2**31)
SURROGATES = ("\ud800", "\udfff")
HOSTILE = ("\x00", *SURROGATES, "\u202e", "\u200b", "\ufeff", "\u0085", "\u2028", "\u0663", "\U0010ffff", "\U0001f4a9")


@dataclass(frozen=True)
class Finding:
    kind: Kind
    title: str
    operation: str
    mode: Mode
    status: int | None
    message: str
    curl: str

    def key(self) -> tuple[str, str, str, int | None]:
        return (self.kind, self.title, self.operation, self.status)

    def __str__(self) -> str:
        return (
            f"[{self.kind}] {self.operation} as {self.mode} -> {self.status}: {self.title}\n"
            f"{self.message}\n    {self.curl}"
        )


@dataclass(frozen=True)
class Planned:
    """A generated case and who sends it; `conversation`/`case_id` replace those path parameters when set."""

    mode: Mode
    case: AnyCase
    conversation: str | None = None
    case_id: str | None = None
    hostile: str | None = None  # a character to put into the `where`-th string of the case (modulo their number)
    where: int = 0


@dataclass(frozen=True)
class Outcome:
    status: int | None  # None when no response came
    findings: list[Finding]  # what fails
    known: list[tuple[str, Finding]]  # (KNOWN key, the finding): expected not to conform (reported, not failing)


@dataclass
class Tally:
    """What a run saw: cases per caller, statuses per operation, findings (one example of each kept), known ones."""

    cases: Counter[Mode] = field(default_factory=Counter)
    statuses: Counter[tuple[str, int | None]] = field(default_factory=Counter)
    findings: Counter[tuple[str, str, str, int | None]] = field(default_factory=Counter)
    examples: dict[tuple[str, str, str, int | None], Finding] = field(default_factory=dict)
    known: Counter[str] = field(default_factory=Counter)
    known_examples: dict[str, Finding] = field(default_factory=dict)

    def add(self, planned: Planned, outcome: Outcome) -> None:
        self.cases[planned.mode] += 1
        self.statuses[(planned.case.operation.label, outcome.status)] += 1
        for finding in outcome.findings:
            self.findings[finding.key()] += 1
            self.examples.setdefault(finding.key(), finding)
        for label, finding in outcome.known:
            self.known[label] += 1
            self.known_examples.setdefault(label, finding)

    @property
    def total(self) -> int:
        return sum(self.cases.values())

    def count(self, *kinds: Kind) -> int:
        return sum(n for key, n in self.findings.items() if key[0] in kinds)

    def server_errors(self) -> int:
        """Responses with a 5xx status, known bugs' too."""
        return sum(n for (_, status), n in self.statuses.items() if status is not None and status >= 500)

    def describe(self, limit: int = 20) -> str:
        """The findings, most frequent first, each with one example request."""
        return "\n\n".join(f"{n} x {self.examples[key]}" for key, n in self.findings.most_common(limit))


class ApiFuzz:
    """The schema of a running service, its callers' credentials, ids that exist, and how to send one case."""

    def __init__(self, service: Service, *, timeout: float = 30.0, stream_seconds: float = 0.8) -> None:
        self.service = service
        self.timeout = timeout
        self.stream_seconds = stream_seconds
        self.schema: BaseSchema = schemathesis.openapi.from_url(f"{service.url}/openapi.json", timeout=10)
        self.backend = service.services.store.engine.dialect.name
        self.token = service.token(CUSTOMER)
        self.cookies: dict[Mode, str] = {}
        logins: list[tuple[Mode, str]] = [("agent", "maria"), ("supervisor", "sam")]
        for mode, username in logins:
            client = service.agent(username)
            self.cookies[mode] = str(client.cookies[SESSION_COOKIE])
            client.close()
        self.conversations, self.cases = self._seed()

    def _seed(self) -> tuple[list[str], list[str]]:
        """cus_1's conversations (one new, one under way, one handed to a person), Bob's (never cus_1's), and the
        ids of every case."""
        astrid, bob, sam = self.service.customer(CUSTOMER), self.service.customer("cus_2"), self.service.agent("sam")
        try:
            ids = [astrid.post("/v1/conversations").json()["conversation_id"] for _ in range(3)]
            for conversation, text in (
                (ids[1], "Var är min återbetalning?"),
                (ids[2], "Jag vill prata med en människa"),
            ):
                r = astrid.post(f"/v1/conversations/{conversation}/messages", json={"text": text})
                assert r.status_code == 200, r.text
            ids.append(bob.post("/v1/conversations").json()["conversation_id"])
            cases = [str(item["case_id"]) for item in sam.get("/v1/agent/queue", params={"status": "all"}).json()]
        finally:
            for client in (astrid, bob, sam):
                client.close()
        return ids, cases

    # ---- generation ----------------------------------------------------------------------------------------------
    def _select(self, tags: list[str] | None, events: bool) -> BaseSchema:
        """The operations with one of the tags (any, for None): the events streams only, or all but them. (Each
        `include` adds an alternative, so tags and path go in one call.)"""
        if events:
            return self.schema.include(tag=tags, path_regex=EVENTS)
        chosen = self.schema.include(tag=tags) if tags else self.schema
        return chosen.exclude(path_regex=EVENTS)

    def strategy(self, *, events: bool = False) -> st.SearchStrategy[Planned]:
        """Positive and negative cases of every operation but the events streams (or of those only), sent as each
        caller: the customer to the customer's, demo and ops routes, agents and supervisors to the desk's and the
        analytics' (not logout, which would end their session), anonymous to all."""
        desk = self._select(["agent", "analytics"], events).exclude(path="/v1/agent/logout")
        by_mode: list[tuple[Mode, BaseSchema]] = [
            ("customer", self._select(["customer", "demo", "ops"], events)),
            ("agent", desk),
            ("supervisor", desk),
            ("anonymous", self._select(None, events)),
        ]
        conversation = st.sampled_from([None, *self.conversations])
        case_id = st.sampled_from([None, *self.cases])
        hostile = st.one_of(st.none(), st.sampled_from(HOSTILE))
        return st.one_of(
            [
                st.builds(
                    Planned,
                    st.just(mode),
                    st.one_of(schema.as_strategy(GenerationMode.POSITIVE), schema.as_strategy(GenerationMode.NEGATIVE)),
                    conversation,
                    case_id,
                    hostile,
                    st.integers(min_value=0, max_value=63),
                )
                for mode, schema in by_mode
                if any(True for _ in schema.get_all_operations())
            ]
        )

    # ---- sending -------------------------------------------------------------------------------------------------
    def run(self, planned: Planned) -> Outcome:
        """Send the case as its caller and check the response."""
        case, mode = planned.case, planned.mode
        if planned.conversation and "conversation_id" in case.path_parameters:
            case.path_parameters["conversation_id"] = planned.conversation
        if planned.case_id and "case_id" in case.path_parameters:
            case.path_parameters["case_id"] = planned.case_id
        if planned.hostile:
            _put_into(case, planned.hostile, planned.where)
        headers: dict[str, str] = {}
        cookies: dict[str, str] = {}
        if mode == "customer":
            headers["Authorization"] = f"Bearer {self.token}"
        elif mode in self.cookies:
            cookies[SESSION_COOKIE] = self.cookies[mode]
        streaming = case.path.endswith("/events")
        timeout = (5.0, self.stream_seconds if streaming else self.timeout)

        def finding(kind: Kind, title: str, status: int | None, message: str) -> Finding:
            shown = {**headers, **({"Cookie": f"{SESSION_COOKIE}=<{mode}'s session>"} if cookies else {})}
            return Finding(kind, title, case.operation.label, mode, status, message[:3000], case.as_curl_command(shown))

        try:
            response = case.call(
                base_url=self.service.url, headers=headers or None, cookies=cookies or None, timeout=timeout
            )
        except requests.RequestException as exc:
            return Outcome(None, [finding("transport", type(exc).__name__, None, str(exc))], [])
        status = response.status_code
        try:
            case.validate_response(response, checks=CHECKS, headers=headers or None)
            failures: tuple[Failure, ...] = ()
        except FailureGroup as group:
            failures = group.exceptions
        if any(isinstance(f, ServerError) for f in failures):  # not_a_server_error: this one finding says it all
            body = response.content.decode("utf-8", "replace")[:500]
            return Outcome(status, [finding("server_error", f"{status} {response.message}", status, body)], [])
        found: list[Finding] = []
        known: list[tuple[str, Finding]] = []
        for failure in failures:
            label = _known(failure, response)
            issue = finding("check", failure.title or type(failure).__name__, status, _message(failure))
            if label is not None:
                known.append((label, issue))
            else:
                found.append(issue)
        if streaming and status == 200 and not response.stream_cut_short:
            body = response.content.decode("utf-8", "replace")[-500:]
            found.append(finding("stream_ended", "the event stream ended by itself", status, body))
        return Outcome(status, found, known)


def _known(failure: Failure, response: Response) -> str | None:
    if failure.code == UNDOCUMENTED_STATUS and response.status_code in UNDOCUMENTED_ERRORS:
        return "undocumented"
    if failure.code == SCHEMA_VIOLATION and response.status_code == 422:
        try:
            body = json.loads(response.content)
        except ValueError:
            return None
        if isinstance(body, dict) and isinstance(body.get("detail"), str):
            return "422-detail-string"
    return None


def _slots(case: AnyCase) -> Iterator[tuple[dict[str, Any] | list[Any], Any, bool]]:
    """(container, key, in a JSON body) of every string a case sends in its path, query and JSON body."""

    def walk(node: Any, in_body: bool) -> Iterator[tuple[dict[str, Any] | list[Any], Any, bool]]:
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            if isinstance(value, str):
                yield node, key, in_body
            else:
                yield from walk(value, in_body)

    yield from walk(case.path_parameters, False)
    if isinstance(case.query, dict):
        yield from walk(case.query, False)
    if case.media_type == "application/json" and isinstance(case.body, dict | list):
        yield from walk(case.body, True)


def _strings(case: AnyCase) -> Iterator[str]:
    for container, key, _ in _slots(case):
        value = container[key]
        if isinstance(value, str):
            yield value


def _put_into(case: AnyCase, char: str, where: int) -> None:
    """Put `char` into the middle of one of the case's strings (a surrogate only into a JSON body's)."""
    slots = [(c, k) for c, k, in_body in _slots(case) if in_body or char not in SURROGATES]
    if slots:
        container, key = slots[where % len(slots)]
        value = container[key]
        container[key] = value[: len(value) // 2] + char + value[len(value) // 2 :]


def _message(failure: Failure) -> str:
    return f"{failure.code} {failure.title}: {failure.message}"


def recorder(fuzz: ApiFuzz, tally: Tally) -> Callable[[Planned], None]:
    """The body of a `@given(fuzz.strategy())` run that records every case in `tally` and fails on nothing."""

    def body(planned: Planned) -> None:
        tally.add(planned, fuzz.run(planned))

    return body
