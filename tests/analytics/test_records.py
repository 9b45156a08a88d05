"""Every figure of the report on a hand-built history with answers worked out by hand (histories.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from paydesk.analytics.records import Record, classify, repeats
from paydesk.analytics.report import Assumptions, groups, series, summary
from tests.analytics.histories import EXPECTED, NOW, conversation, history

IDLE, WEEK = timedelta(minutes=30), timedelta(days=7)


def records() -> list[Record]:
    return [classify(f, NOW, IDLE) for f in history()]


def test_outcomes_and_times_of_each_conversation() -> None:
    found = {r.id: (r.outcome, r.resolution_seconds, r.handling_seconds) for r in records()}
    assert found == {
        "a1": ("resolved_by_assistant", 120, None),
        "a2": ("resolved_by_assistant", 60, None),  # quiet after an answer that asked nothing more
        "a3": ("resolved_by_assistant", 90, None),
        "a4": ("abandoned", None, None),  # quiet while asked to confirm
        "a5": ("resolved_by_assistant", 30, None),
        "a6": ("resolved_by_agent", 700, 600),
        "a7": ("resolved_by_assistant", 20, None),
        "a8": ("open", None, None),
        "a9": ("resolved_by_agent", 1500, 1200),
        "a10": ("resolved_by_assistant", 50, None),
    }
    assert {r.first_reply_seconds for r in records()} == {1.0}


def test_a_recent_quiet_conversation_is_still_open() -> None:
    recent = conversation("x", "c9", 29.99, ("faq",), quiet_after=60)
    assert classify(recent, NOW, IDLE).outcome == "open"
    assert classify(recent, NOW, timedelta(minutes=1)).outcome == "resolved_by_assistant"


def test_repeat_contacts_same_order_or_same_subject_within_the_window() -> None:
    assert repeats(records(), WEEK) == {"a1", "a7", "a9"}  # not a3 (8 days), not a5 (another order)
    assert repeats(records(), timedelta(days=9)) == {"a1", "a3", "a7", "a9"}


def test_every_headline_figure() -> None:
    rs = records()
    figures = summary(rs, repeats(rs, WEEK), Assumptions())
    assert figures == EXPECTED


def test_measured_handling_time_once_there_are_enough_cases() -> None:
    rs = records()
    figures = summary(rs, set(), Assumptions(min_measured_cases=2, fte_minutes=900))
    assert figures["agent_handling_minutes"] == 15.0  # (600 + 1200) s / 2
    assert figures["agent_handling_minutes_source"] == "measured"
    assert figures["agent_hours_saved"] == 1.5 and figures["fte_equivalent"] == pytest.approx(0.1)


def test_an_empty_period() -> None:
    figures = summary([], set(), Assumptions())
    assert figures["conversations"] == 0 and figures["containment_rate"] is None
    assert figures["csat_agent"] is None and figures["agent_hours_saved"] == 0


def test_groups_and_series() -> None:
    rs = records()
    followed = repeats(rs, WEEK)
    by_market = {
        g["key"]: (g["conversations"], g["containment_rate"]) for g in groups(rs, followed, Assumptions(), "market")
    }
    assert by_market == {"SE": (8, round(5 / 7, 4)), "DE": (2, 0.5)}  # a8 is still open
    by_intent = [(g["key"], g["conversations"]) for g in groups(rs, followed, Assumptions(), "intent")]
    assert by_intent == [("return_item", 4), ("dispute", 2), ("faq", 2), ("refund_status", 2)]
    days = [g["key"] for g in groups(rs, followed, Assumptions(), "day")]
    assert days == sorted(days) and days[0] == "2026-11-01"
    drawn = series(rs, followed)
    assert drawn["days"][0] == {
        "day": "2026-11-01",
        "resolved_by_assistant": 3,
        "resolved_by_agent": 1,
        "abandoned": 0,
        "open": 0,
    }
    assert drawn["resolution_histogram"]["assistant"] == [1, 2, 2, 1, 0, 0, 0, 0]  # 20 | 30 50 | 60 90 | 120
    assert drawn["resolution_histogram"]["agent"] == [0, 0, 0, 0, 0, 1, 1, 0]  # 700 | 1500
    assert drawn["csat"]["assistant"] == {"1": 0, "2": 0, "3": 1, "4": 1, "5": 1}
    assert drawn["csat"]["agent"] == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 0}
    assert drawn["repeat_contact"] == {"assistant": round(2 / 6, 4), "agent": 0.5}
    assert drawn["languages"][0] == {"key": "sv", "conversations": 8, "containment_rate": round(5 / 7, 4)}
