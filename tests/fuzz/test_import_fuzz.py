"""The ledger import (`paydesk ledger import`: fixtures.load_file, parse, write in one transaction) on arbitrary
mutations of a valid ledger: each one is imported whole, or refused with paydesk's own error (a DeveloperError, such
as FixtureError naming the row and field) and the store is as it was; never another exception (KeyError,
TypeError, IntegrityError, OverflowError...). What is imported exports and imports back to the same ledger."""

from __future__ import annotations

import json
import re
from copy import deepcopy
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from paydesk.cli import build_app
from paydesk.domain.errors import DeveloperError, PaydeskError
from paydesk.store import fixtures
from paydesk.store.database import Store
from tests import factory
from tests.conftest import NOW, load

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
Doc = dict[str, Any]


def valid_ledger() -> Doc:
    """Every entity of the format, cross-referenced: two customers, two orders (one with its installments given,
    one on the default schedule), and a charge, refund, return, dispute, invoice, correction and case."""
    default_schedule = factory.pay_in_4("ord_2", customer="cus_2", currency="GBP", price="90.00", status="pending")
    default_schedule["plan"].pop("installments")
    default_schedule["delivered"] = None
    return factory.ledger(
        factory.pay_in_4("ord_1"),
        default_schedule,
        charges=[
            {
                "id": "ch_1",
                "order": "ord_1",
                "installment": 1,
                "amount": "299.75",
                "status": "captured",
                "at": "2026-11-01T09:00:00+00:00",
                "payment_method": "pm_1",
            }
        ],
        refunds=[{"id": "rf_1", "order": "ord_1", "amount": "100.00", "status": "processing", "created": "2026-11-02"}],
        returns=[{"id": "ret_1", "order": "ord_1", "items": ["SH-42"], "reason": "too small", "created": "2026-11-06"}],
        disputes=[{"id": "dsp_1", "order": "ord_2", "reason": "not_received", "created": "2026-11-10"}],
        invoices=[
            {
                "id": "inv_1",
                "customer": "cus_1",
                "period": "2026-11",
                "lines": [{"kind": "installment", "order": "ord_1", "amount": "299.75"}],
                "total": "299.75",
            }
        ],
        invoice_corrections=[{"id": "ic_1", "invoice": "inv_1", "amount": "10.00", "reason": "wrong_amount"}],
        cases=[
            {
                "id": "case_1",
                "customer": "cus_1",
                "reason": "fraud",
                "summary": "Does not recognise a charge.",
                "created": "2026-11-20T08:00:00+00:00",
                "order": "ord_1",
            }
        ],
    )


def existing_ledger() -> Doc:
    """What the store may already hold: rows a document can refer to (or collide with)."""
    customer = {**deepcopy(factory.ASTRID), "id": "cus_old", "email": "old@example.se"}
    return {
        "customers": [customer],
        "merchants": [{"id": "mer_old", "name": "Old Shop"}],
        "orders": [factory.pay_in_4("ord_old", customer="cus_old", merchant="mer_old")],
        "invoices": [{"id": "inv_old", "customer": "cus_old", "period": "2026-10", "currency": "SEK"}],
    }


IDS = ["cus_1", "cus_2", "cus_old", "mer_1", "mer_2", "mer_old", "ord_1", "ord_2", "ord_old", "inv_1", "inv_old"]
IDS += ["pm_1", "pm_2", "SH-42", "ch_1", "rf_1", "case_1"]
HOSTILE: list[Any] = [
    None,
    "",
    " ",
    0,
    -1,
    1.5,
    True,
    2**31,
    2**63,
    -(2**63) - 1,
    10**30,
    "1e30",
    "1E+400",
    "NaN",
    "-Infinity",
    "-0.001",
    "0.001",
    "12.345",
    "99999999999999999999.99",
    "not a date",
    "2026-02-30",
    "0001-01-01",
    "9999-12-31",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+23:59",
    "2026-11-01T09:00:00",
    "a\x00b",
    "\ud800",
    "\u202eRTL",
    "x" * 65,
    "y" * 300,
    [],
    {},
    ["SH-42", "SH-42"],
    {"id": "nested"},
    *IDS,
]


_json: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def _children(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return list(node)
    if isinstance(node, list):
        return list(range(len(node)))
    return []


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every node under `node`, containers and leaves."""
    found = []
    for key in _children(node):
        found.append((*prefix, key))
        found += _paths(node[key], (*prefix, key))
    return found


def _at(doc: Doc, path: tuple[Any, ...]) -> Any:
    node: Any = doc
    for step in path:
        node = node[step]
    return node


DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T.+")
AMOUNT = re.compile(r"-?\d+(\.\d+)?")
offsets = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(lambda m: timezone(timedelta(minutes=m)))


def _kind(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "other"
    if isinstance(value, int):
        return "int"
    if isinstance(value, str):
        for kind, pattern in (("date", DATE), ("instant", INSTANT), ("amount", AMOUNT)):
            if pattern.fullmatch(value):
                return kind
        return "text"
    return "other"


def _like(value: Any) -> st.SearchStrategy[Any]:
    """Other values of the same kind as `value`, its extremes (the likelier)."""
    kind = _kind(value)
    if kind == "int":
        numbers = [0, -1, 2**31 - 1, 2**31, 2**63 - 1, 2**63, -(2**63) - 1, 10**30]
        return st.one_of(st.integers(), st.sampled_from(numbers), st.sampled_from(numbers))
    if kind == "date":
        extremes = ["0001-01-01", "9999-12-31", "9999-12-20", "2026-02-29", "2028-02-29", "2026-13-01"]
        return st.one_of(st.dates().map(str), st.sampled_from(extremes), st.sampled_from(extremes))
    if kind == "instant":
        extremes = ["0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00", "2026-11-01"]
        instants = st.builds(lambda d, tz: d.replace(tzinfo=tz).isoformat(), st.datetimes(), offsets)
        return st.one_of(instants, st.sampled_from(extremes), st.sampled_from(extremes))
    if kind == "amount":
        extremes = ["0", "-0.00", "0.001", "1e30", "1E-30", "99999999999999999.99", "1e15", "999999999999999.99"]
        return st.one_of(st.decimals().map(str), st.sampled_from(extremes), st.sampled_from(extremes))
    if kind == "text":
        return st.one_of(
            st.text(max_size=20),
            st.sampled_from([n * "x" for n in (0, 63, 64, 65, 100, 101, 200, 201, 320, 321)]),
            st.builds(lambda v, c: v + c, st.just(value), st.sampled_from(["\x00", "\ud800", "\u202e", " "])),
        )
    return _json


@st.composite
def mutated(draw: st.DrawFn) -> Doc:
    """The valid ledger after 1-4 mutations (mostly one), each of a node anywhere in its tree: a leaf's value
    replaced (by one of its kind, extremes the likelier, or by one of HOSTILE, or any JSON), or a node removed,
    duplicated (in a list) or given an unknown key."""
    doc = valid_ledger()
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 2, 3, 4]))):
        action = draw(st.sampled_from(["replace"] * 8 + ["remove", "duplicate", "add_key"]))
        paths = _paths(doc)
        by_kind: dict[str, list[tuple[Any, ...]]] = {}
        for p in paths:
            if not _children(_at(doc, p)):
                by_kind.setdefault(_kind(_at(doc, p)), []).append(p)
        if action == "replace" and by_kind:  # a kind of leaf first (dates, amounts...), then a leaf of that kind
            *path, key = draw(st.sampled_from(by_kind[draw(st.sampled_from(sorted(by_kind)))]))
        else:
            *path, key = draw(st.sampled_from(paths))
        parent = _at(doc, tuple(path))
        if action == "replace":
            value = parent[key]
            like = _like(value)
            parent[key] = deepcopy(draw(st.one_of(like, like, like, st.sampled_from(HOSTILE), _json)))
        elif action == "remove":
            del parent[key]
        elif action == "duplicate" and isinstance(parent[key], list) and parent[key]:
            parent[key].append(deepcopy(draw(st.sampled_from(parent[key]))))
        elif action == "add_key" and isinstance(parent[key], dict):
            parent[key][draw(st.text(min_size=1, max_size=8))] = draw(_json)
    return doc


def _state(store: Store) -> tuple[dict[str, int], Doc]:
    with store.read() as ledger:
        return ledger.counts(), fixtures.export(ledger)


def _reset(store: Store, preload: bool) -> None:
    with store.write() as ledger:
        ledger.delete_everything()
    if preload:
        load(store, existing_ledger())


def _import(store: Store, doc: Doc) -> bool:
    """As `paydesk ledger import` does: True when imported, False when refused with paydesk's own error."""
    try:
        with store.write() as ledger:
            fixtures.write(ledger, fixtures.parse(doc, existing=ledger, now=NOW))
    except PaydeskError as error:
        assert isinstance(error, DeveloperError), f"{type(error).__name__}: {error.message}"
        assert error.message.strip()
        return False
    return True


def _round_trips(store: Store) -> None:
    """The store's export, imported into an empty store, exports the same."""
    before = _state(store)
    with store.write() as ledger:
        ledger.delete_everything()
    assert _import(store, json.loads(fixtures.dump(before[1], "json")))
    assert _state(store) == before


def _with(path: tuple[Any, ...], value: Any) -> Doc:
    doc = valid_ledger()
    _at(doc, path[:-1])[path[-1]] = value
    return doc


# What the fuzzing found (each an exception other than paydesk's own, before fixture_models/fixture_check refused it):
FOUND = [
    _with(("disputes", 0, "created"), "9999-12-31"),  # OverflowError: the default merchant_deadline, 14 days on
    _with(("orders", 1, "created"), "9999-12-31"),  # OverflowError: the default schedule's due dates
    _with(("charges", 0, "at"), "0001-01-01T00:00:00+23:59"),  # OverflowError: no UTC instant
    _with(("orders", 0, "items", 0, "price"), "1e30"),  # decimal.InvalidOperation: quantized beyond precision
    _with(("charges", 0, "amount"), "99999999999999999.99"),  # OverflowError/DataError: minor units beyond BIGINT
    _with(("orders", 1, "items", 0, "qty"), 2**31),  # PostgreSQL: integer out of range
    _with(("customers", 0, "name"), "y" * 201),  # PostgreSQL: value too long for character varying(200)
    _with(("customers", 0, "name"), "a\x00b"),  # PostgreSQL: text fields cannot contain NUL
]


@FUZZ
@given(doc=mutated(), preload=st.booleans())
@example(doc=valid_ledger(), preload=False)
@example(doc=valid_ledger(), preload=True)
@example(doc=FOUND[0], preload=False)
@example(doc=FOUND[1], preload=False)
@example(doc=FOUND[2], preload=False)
@example(doc=FOUND[3], preload=False)
@example(doc=FOUND[4], preload=False)
@example(doc=FOUND[5], preload=False)
@example(doc=FOUND[6], preload=False)
@example(doc=FOUND[7], preload=False)
def test_a_mutated_ledger_is_imported_whole_or_refused_cleanly(store: Store, doc: Doc, preload: bool) -> None:
    _reset(store, preload)
    before = _state(store)
    if _import(store, doc):
        _round_trips(store)
    else:
        assert _state(store) == before  # nothing half-imported


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_the_import_command_refuses_broken_files_with_its_own_message(tmp_path: Path, fmt: str) -> None:
    """`paydesk ledger import FILE`: a mutated ledger, or its text cut or garbled, exits 0 or 2, never a traceback."""
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    Store.open(db).close()
    runner = CliRunner()

    @settings(FUZZ, max_examples=25, suppress_health_check=list(HealthCheck))
    @given(
        doc=mutated(), cut=st.one_of(st.none(), st.integers(min_value=0, max_value=4000)), noise=st.binary(max_size=8)
    )
    def run(doc: Doc, cut: int | None, noise: bytes) -> None:
        text = json.dumps(doc, default=str) if fmt == "json" else yaml.safe_dump(doc, allow_unicode=True)
        data = text.encode("utf-8", "surrogatepass")
        if cut is not None:
            data = data[:cut] + noise + data[cut + len(noise) :]
        path = tmp_path / f"ledger.{fmt}"
        path.write_bytes(data)
        result = runner.invoke(build_app(), ["ledger", "import", str(path), "--db", db])
        assert result.exit_code in (0, 2), (result.exit_code, result.output, result.exception)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        if result.exit_code == 0:
            store = Store.open(db)
            try:
                _reset(store, preload=False)
            finally:
                store.close()

    run()
