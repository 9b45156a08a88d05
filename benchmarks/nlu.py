"""NLU benchmark (not a test): accuracy, macro-F1, out-of-scope detection, language identification, latency,
throughput, start-up time and memory of the embedded engine.

    .venv/bin/python benchmarks/nlu.py            # prints the tables, writes benchmarks/results/nlu.json

(a) paydesk's held-out examples (benchmarks/data/heldout: 4 per intent per language, never trained on);
(b) the validation parts of Banking77, CLINC150 and xSID (benchmarks/data/validation). Out-of-scope figures pool the
in-domain messages of (a) and (b) with the out-of-scope messages of (b).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data"
RESULTS = ROOT / "results"


def heldout() -> list[dict[str, str]]:
    rows = []
    for path in sorted((DATA / "heldout").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for intent, texts in data["intents"].items():
            rows += [{"text": t, "intent": intent, "language": data["language"]} for t in texts]
    return rows


def validation() -> list[dict[str, str]]:
    rows = []
    for path in sorted((DATA / "validation").glob("*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def macro_f1(gold: list[str], pred: list[str]) -> float:
    labels = sorted(set(gold))
    scores = []
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == p == label)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if p == label and g != label)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores)


def accuracy_figures() -> dict[str, Any]:
    from paydesk.understanding.engine import EmbeddedUnderstanding
    from paydesk.understanding.langid import identify

    engine = EmbeddedUnderstanding()
    own = heldout()
    own_pred = [u.intent for u in engine.understand_many([(r["text"], None, None) for r in own])]
    gold = [r["intent"] for r in own]
    by_lang: dict[str, list[bool]] = defaultdict(list)
    by_intent: dict[str, list[bool]] = defaultdict(list)
    for r, p in zip(own, own_pred, strict=True):
        by_lang[r["language"]].append(p == r["intent"])
        by_intent[r["intent"]].append(p == r["intent"])
    confusions = Counter((g, p) for g, p in zip(gold, own_pred, strict=True) if g != p).most_common(10)

    val = validation()
    val_pred = [u.intent for u in engine.understand_many([(r["text"], None, None) for r in val])]
    val_gold = [r["intent"] for r in val]
    pooled_gold = val_gold + gold
    pooled_pred = val_pred + own_pred
    oos_total = sum(1 for g in pooled_gold if g == "out_of_scope")
    oos_caught = sum(1 for g, p in zip(pooled_gold, pooled_pred, strict=True) if g == p == "out_of_scope")
    oos_flagged = sum(1 for p in pooled_pred if p == "out_of_scope")
    kept = [(g, p) for g, p in zip(pooled_gold, pooled_pred, strict=True) if p != "out_of_scope"]
    in_domain_total = sum(1 for g in pooled_gold if g != "out_of_scope")

    def long_enough(r: dict[str, str]) -> bool:
        return len(r["text"].split()) >= 5 or r["language"] in ("ja", "zh", "th")

    lid_rows = [r for r in own if long_enough(r)]
    lid_plain = [identify(r["text"]).language == r["language"] for r in lid_rows]
    lid_by_lang: dict[str, list[bool]] = defaultdict(list)
    for r, ok in zip(lid_rows, lid_plain, strict=True):
        lid_by_lang[r["language"]].append(ok)
    xsid = [r for r in val if r["source"] == "xsid" and long_enough(r)]
    xsid_ok = {
        lang: [identify(r["text"]).language == lang for r in xsid if r["language"] == lang]
        for lang in sorted({r["language"] for r in xsid})
    }
    return {
        "heldout": {
            "messages": len(own),
            "accuracy": _mean(p == g for p, g in zip(own_pred, gold, strict=True)),
            "macro_f1": macro_f1(gold, own_pred),
            "by_language": {k: _mean(v) for k, v in sorted(by_lang.items())},
            "by_intent": {k: _mean(v) for k, v in sorted(by_intent.items())},
            "top_confusions": [f"{g} -> {p}: {n}" for (g, p), n in confusions],
        },
        "validation": {
            "messages": len(val),
            "accuracy": _mean(p == g for p, g in zip(val_pred, val_gold, strict=True)),
            "macro_f1": macro_f1(val_gold, val_pred),
            "by_source": {
                src: _mean(p == r["intent"] for r, p in zip(val, val_pred, strict=True) if r["source"] == src)
                for src in sorted({r["source"] for r in val})
            },
        },
        "out_of_scope": {
            "pool": {"in_domain": in_domain_total, "out_of_scope": oos_total},
            "recall": oos_caught / oos_total,
            "precision": oos_caught / oos_flagged if oos_flagged else 0.0,
            "in_domain_precision": _mean(g != "out_of_scope" for g, _ in kept),
            "in_domain_kept": _mean(
                p != "out_of_scope" for g, p in zip(pooled_gold, pooled_pred, strict=True) if g != "out_of_scope"
            ),
        },
        "language_id": {
            "messages": len(lid_rows),
            "accuracy_without_locale": _mean(lid_plain),
            "worst_languages": dict(sorted(((k, _mean(v)) for k, v in lid_by_lang.items()), key=lambda kv: kv[1])[:6]),
            "xsid_messages": sum(len(v) for k, v in xsid_ok.items() if k != "nb"),
            "xsid_accuracy": _mean(ok for k, v in xsid_ok.items() if k != "nb" for ok in v),
            "xsid_by_language": {k: _mean(v) for k, v in xsid_ok.items()},
        },
    }


def _mean(values: Any) -> float:
    items = list(values)
    return round(sum(1 for v in items if v) / len(items), 4) if items else 0.0


def worker(mode: str) -> dict[str, Any]:
    """Runs in a subprocess with OMP_NUM_THREADS set by the parent."""
    from paydesk.understanding.engine import EmbeddedUnderstanding
    from paydesk.understanding.languages import LANGUAGES

    texts = [r["text"] for r in heldout()]
    engine = EmbeddedUnderstanding()
    started = time.perf_counter()
    engine.warm_up(LANGUAGES)  # steady state: a server does this once at start
    warm_up_seconds = round(time.perf_counter() - started, 2)
    if mode == "latency":
        times = []
        for text in texts[:600]:
            start = time.perf_counter()
            engine.understand(text)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        return {
            "p50_ms": round(statistics.median(times), 2),
            "p99_ms": round(times[int(len(times) * 0.99)], 2),
            "messages": len(times),
            "embedded_share": _embedded_share(engine, texts[:600]),
            "warm_up_seconds": warm_up_seconds,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    batch = [(t, None, None) for t in texts[:1280]]
    start = time.perf_counter()
    for i in range(0, len(batch), 64):
        engine.understand_many(batch[i : i + 64])
    elapsed = time.perf_counter() - start
    return {
        "messages_per_second": round(len(batch) / elapsed, 1),
        "messages": len(batch),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _embedded_share(engine: Any, texts: list[str]) -> float:
    """How many of these messages needed the embedding (the rest took the lexical fast path)."""
    return round(sum(u.embedded for u in engine.understand_many([(t, None, None) for t in texts])) / len(texts), 3)


def spawn(mode: str, threads: int) -> dict[str, Any]:
    env = {**os.environ, "OMP_NUM_THREADS": str(threads)}
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", mode], env=env, capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def startup() -> dict[str, Any]:
    """Process start to the first answer of `paydesk nlu`, and its peak resident memory."""
    paydesk = Path(sys.executable).with_name("paydesk")
    start = time.perf_counter()
    proc = subprocess.run(
        [paydesk, "nlu"],
        input='{"text": "Var är min återbetalning?", "locale": "sv-SE"}\n',
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the first child: this one alone
    return {
        "seconds_to_first_answer": round(elapsed, 2),
        "peak_rss_mb": round(peak / 1024, 1),
        "answer": json.loads(proc.stdout),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worker", choices=["latency", "throughput"])
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker)))
        return
    startup_figures = startup()  # first, so that its peak memory is its own
    figures = accuracy_figures()
    figures["latency_one_core"] = spawn("latency", 1)
    figures["throughput_two_cores"] = spawn("throughput", 2)
    figures["startup"] = startup_figures
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "nlu.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    report(figures)


def report(f: dict[str, Any]) -> None:
    h, v, o, lid = f["heldout"], f["validation"], f["out_of_scope"], f["language_id"]
    print(f"(a) held-out, {h['messages']} messages: accuracy {h['accuracy']:.1%}, macro-F1 {h['macro_f1']:.3f}")
    worst = sorted(h["by_language"].items(), key=lambda kv: kv[1])
    print("    per language (worst first): " + ", ".join(f"{k} {x:.0%}" for k, x in worst))
    print("    per intent: " + ", ".join(f"{k} {x:.0%}" for k, x in h["by_intent"].items()))
    print("    top confusions: " + "; ".join(h["top_confusions"]))
    print(
        f"(b) validation, {v['messages']} messages: accuracy {v['accuracy']:.1%}, macro-F1 {v['macro_f1']:.3f}, "
        + ", ".join(f"{k} {x:.1%}" for k, x in v["by_source"].items())
    )
    print(
        f"out of scope ({o['pool']['in_domain']} in-domain + {o['pool']['out_of_scope']} out-of-scope messages): "
        f"recall {o['recall']:.1%}, precision {o['precision']:.1%}, in-domain precision "
        f"{o['in_domain_precision']:.1%}, in-domain kept {o['in_domain_kept']:.1%}"
    )
    print(
        f"language id without locale, held-out messages of 5+ words ({lid['messages']}): "
        f"{lid['accuracy_without_locale']:.1%} (worst: "
        f"{', '.join(f'{k} {x:.0%}' for k, x in lid['worst_languages'].items())}); xSID commands of 5+ words in 11 "
        f"languages ({lid['xsid_messages']}): {lid['xsid_accuracy']:.1%}; xSID's Norwegian (dialect writing, not "
        f"counted): {lid['xsid_by_language'].get('nb', 0):.0%}"
    )
    lat, thr, st = f["latency_one_core"], f["throughput_two_cores"], f["startup"]
    print(
        f"latency on one core, after a {lat['warm_up_seconds']} s warm-up of the 36 languages: p50 {lat['p50_ms']} "
        f"ms, p99 {lat['p99_ms']} ms ({lat['embedded_share']:.0%} of the "
        f"messages embedded, the rest on the lexical fast path); batch throughput on two cores: "
        f"{thr['messages_per_second']} messages/s"
    )
    print(
        f"start to first answer: {st['seconds_to_first_answer']} s (peak memory {st['peak_rss_mb']} MB); peak "
        f"memory after {lat['messages']} messages {lat['peak_rss_mb']} MB"
    )


if __name__ == "__main__":
    main()
