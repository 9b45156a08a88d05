"""The scenario runner is a product feature: precise errors for bad files, and every failure condition of DESIGN.md
detected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from paydesk.knowledge.retrieval import default_help_centre
from paydesk.policy.model import load_policy
from paydesk.sim.runner import Runner
from paydesk.sim.scenario import ScenarioError, load
from tests.factory import ledger, pay_in_4

BASE: dict[str, Any] = {
    "id": "t",
    "language": "en",
    "now": "2026-11-22T10:00:00Z",
    "customer": "cus_1",
    "ledger": ledger(pay_in_4("ord_1"), pay_in_4("ord_bob", customer="cus_2", currency="GBP", price="80.00")),
    "say": ["I want to return my running shoes, they're too small"],
    "answers": {"confirm": "yes"},
    "expect": {"handoff": False, "ledger": [{"entity": "return", "order": "ord_1", "status": "registered"}]},
}


@pytest.fixture(scope="module")
def runner() -> Runner:
    return Runner(load_policy(), default_help_centre())


def write(tmp_path: Path, **changes: Any) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump({**BASE, **changes}, allow_unicode=True), encoding="utf-8")
    return path


def run(runner: Runner, tmp_path: Path, **changes: Any) -> list[str]:
    (scenario,) = load([write(tmp_path, **changes)])
    return runner.run(scenario).problems


def test_a_good_scenario_passes(runner: Runner, tmp_path: Path) -> None:
    assert run(runner, tmp_path) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"language": "xx"}, "language: Value error, 'xx' is not one of paydesk's 36 languages"),
        ({"now": "2026-11-22T10:00:00"}, "now: Input should have timezone info"),
        ({"expect": {"ledger": []}}, "expect.handoff: Field required"),
        ({"answers": {"colour": "red"}}, "answers.colour.[key]: Input should be"),
        ({"say": []}, "say: List should have at least 1 item"),
        ({"surprise": 1}, "surprise: unknown field"),
    ],
)
def test_bad_files_name_file_field_and_problem(tmp_path: Path, changes: dict[str, Any], message: str) -> None:
    path = write(tmp_path, **changes)
    with pytest.raises(ScenarioError) as info:
        load([path])
    assert str(path) in info.value.message and message in info.value.message


def test_a_bad_ledger_is_reported_with_its_row(runner: Runner, tmp_path: Path) -> None:
    broken = ledger(pay_in_4("ord_1", customer="cus_404"))
    (scenario,) = load([write(tmp_path, ledger=broken)])
    with pytest.raises(ScenarioError, match=r"(?s)ledger: .*orders\[0\] \(id ord_1\)\.customer: unknown customer"):
        runner.run(scenario)


def test_a_fact_that_does_not_hold_fails(runner: Runner, tmp_path: Path) -> None:
    problems = run(runner, tmp_path, answers={"confirm": "no"})
    assert any("expected return" in p and "does not hold" in p for p in problems)


def test_a_change_when_none_is_expected_fails(runner: Runner, tmp_path: Path) -> None:
    problems = run(runner, tmp_path, expect={"handoff": False})
    assert "the ledger changed although the scenario expects no change" in problems


def test_absent_and_handoff_are_checked(runner: Runner, tmp_path: Path) -> None:
    problems = run(
        runner,
        tmp_path,
        expect={
            "handoff": True,
            "ledger": BASE["expect"]["ledger"],
            "absent": [{"entity": "return", "order": "ord_1"}],
        },
    )
    assert "handoff was False, expected True" in problems
    assert any(p.startswith("found return") for p in problems)


def test_a_question_without_an_answer_fails(runner: Runner, tmp_path: Path) -> None:
    problems = run(runner, tmp_path, answers={})
    assert "the assistant awaits 'confirm' and the scenario has no answer for it" in problems


def test_another_customers_details_in_a_reply_fail(runner: Runner, tmp_path: Path) -> None:
    other = ledger(pay_in_4("ord_1"))
    other["customers"][1]["name"] = "Nordic Shoes"  # a name the replies do show: a leak by the runner's rule
    problems = run(runner, tmp_path, ledger=other)
    assert "a reply shows another customer's name" in problems


def test_folders_skip_underscore_subfolders(tmp_path: Path) -> None:
    (tmp_path / "_source").mkdir()
    (tmp_path / "_source" / "notes.yaml").write_text("not: a scenario\n", encoding="utf-8")
    write(tmp_path)
    assert [s.id for s in load([tmp_path])] == ["t"]
