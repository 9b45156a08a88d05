"""`paydesk nlu` and `paydesk ask` as a user runs them, with every network proxy pointed at a dead port."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PAYDESK = Path(sys.executable).with_name("paydesk")
OFFLINE = {
    **os.environ,
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "ALL_PROXY": "http://127.0.0.1:9",
    "NO_PROXY": "",
    "HF_HUB_OFFLINE": "1",
}


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([PAYDESK, *args], input=stdin, capture_output=True, text=True, env=OFFLINE, timeout=120)


def test_nlu_reads_json_lines_and_writes_the_contract() -> None:
    lines = [
        {"text": "Hej! Jag vill skicka tillbaka skorna, de är för små.", "locale": "sv-SE"},
        {"text": "Ich möchte bis zum 5. Januar zahlen"},
        {"text": ""},
    ]
    proc = run("nlu", stdin="\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n")
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == 3
    assert set(out[0]) == {"language", "intent", "confidence", "slots"}
    assert (out[0]["language"], out[0]["intent"]) == ("sv", "return_item")
    assert out[1]["language"] == "de" and out[1]["slots"]["date"].endswith("-01-05")
    assert out[2]["intent"] == "out_of_scope"


def test_nlu_reports_bad_lines_and_goes_on() -> None:
    proc = run("nlu", stdin='{"text": "hello"}\nnot json\n{"txt": 1}\n{"text": "bye", "locale": 5}\n')
    assert proc.returncode == 2
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert "intent" in out[0]
    assert out[1]["error"].startswith("line 2: not JSON")
    assert out[2]["error"].startswith("line 3:") and out[3]["error"].startswith("line 4:")


def test_ask_answers_in_the_language_and_cites_the_article() -> None:
    proc = run("ask", "How does pay in 4 work?", "--language", "fr", "--json")
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout)
    assert answer["article"] == "pay-in-4" and answer["language"] == "fr" and answer["answer"]
    none = json.loads(run("ask", "What is the capital of Australia?", "--json").stdout)
    assert none["article"] is None
    bad = run("ask", "hello", "--language", "xx")
    assert bad.returncode == 2 and "36 languages" in bad.stderr
