"""Split the NLU data into what the engine learns from and what the benchmark measures it on. Run once; rerunning
gives the same split (it is decided by a hash of each text).

- paydesk's own examples (14 per intent per language): 4 per intent and language move to
  `benchmarks/data/heldout/<lang>.yaml`; the engine never sees them. Examples written later
  (`intents_more/`) that equal a held-out one (case, punctuation and Unicode form aside) are dropped.
- The public corpora in ../shared/data/intents: a fifth of Banking77 and CLINC150 (by hash) becomes validation
  data (`benchmarks/data/validation/`), the rest the engine's training corpora (`src/paydesk/understanding/data/
  corpora/`). xSID (12 languages of out-of-scope commands) is a validation split: a third trains the out-of-scope
  class in those languages, two thirds are validation.

Usage: python benchmarks/split_data.py [--shared ../shared/data/intents]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import unicodedata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
INTENTS = ROOT / "src/paydesk/understanding/data/intents"
MORE = ROOT / "src/paydesk/understanding/data/intents_more"
CORPORA = ROOT / "src/paydesk/understanding/data/corpora"
HELDOUT = ROOT / "benchmarks/data/heldout"
VALIDATION = ROOT / "benchmarks/data/validation"
HELD_PER_INTENT = 4
CORPORA_FILES = {
    "banking77_train.jsonl": "banking77",
    "clinc150_train_val.jsonl": "clinc150",
    "xsid_valid_out_of_scope.jsonl": "xsid",
}


def _h(text: str) -> int:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16)


def split_own() -> None:
    HELDOUT.mkdir(parents=True, exist_ok=True)
    for path in sorted(INTENTS.glob("*.yaml")):
        lang = path.stem
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        held_path = HELDOUT / path.name
        held = yaml.safe_load(held_path.read_text(encoding="utf-8"))["intents"] if held_path.exists() else {}
        train_out: dict[str, list[str]] = {}
        held_out: dict[str, list[str]] = {}
        for intent, texts in data["intents"].items():
            union = list(dict.fromkeys([*texts, *held.get(intent, [])]))
            chosen = set(sorted(union, key=lambda t, i=intent: _h(f"{lang}|{i}|{t}"))[:HELD_PER_INTENT])
            train_out[intent] = [t for t in union if t not in chosen]
            held_out[intent] = [t for t in union if t in chosen]
        data["intents"] = train_out
        header = f"# paydesk intent examples, {lang}. Written natively (4 per intent held out in benchmarks/).\n"
        path.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
        held_text = yaml.safe_dump(
            {"language": lang, "intents": held_out}, allow_unicode=True, sort_keys=False, width=200
        )
        held_path.write_text(f"# Held out: never trained on. {lang}\n" + held_text, encoding="utf-8")


def normalised(text: str) -> str:
    """What two texts share when they differ only in case, punctuation or Unicode form."""
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold()))


def drop_heldout_from_more() -> int:
    """Training examples that happen to equal a held-out one (often a greeting another language shares, or one
    written after the split, in intents_more/) leave training."""
    held = {
        normalised(t)
        for path in HELDOUT.glob("*.yaml")
        for texts in yaml.safe_load(path.read_text(encoding="utf-8"))["intents"].values()
        for t in texts
    }
    dropped = 0
    for path in sorted(MORE.glob("*.yaml")) + sorted(INTENTS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for intent, texts in data["intents"].items():
            kept = [t for t in texts if normalised(t) not in held]
            dropped += len(texts) - len(kept)
            data["intents"][intent] = kept
        header = path.read_text(encoding="utf-8").splitlines()[0]
        body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)
        path.write_text(header + "\n" + body, encoding="utf-8")
    return dropped


def split_corpora(shared: Path) -> None:
    CORPORA.mkdir(parents=True, exist_ok=True)
    VALIDATION.mkdir(parents=True, exist_ok=True)
    for name, short in CORPORA_FILES.items():
        train, validation = [], []
        for line in (shared / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            bucket = _h(row["text"]) % 15
            to_validation = bucket >= 5 if short == "xsid" else bucket < 3
            (validation if to_validation else train).append(line)
        (CORPORA / f"{short}.jsonl").write_text("\n".join(train) + "\n", encoding="utf-8")
        (VALIDATION / f"{short}.jsonl").write_text("\n".join(validation) + "\n", encoding="utf-8")
        print(f"{short}: {len(train)} train, {len(validation)} validation")
    for licence in sorted(shared.glob("LICENSE.*")):
        shutil.copy(licence, CORPORA / licence.name)
        shutil.copy(licence, VALIDATION / licence.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared/data/intents")
    args = parser.parse_args()
    split_own()
    print(f"dropped {drop_heldout_from_more()} later examples equal to held-out ones")
    if args.shared.exists():
        split_corpora(args.shared)
    else:
        print(f"{args.shared} not found: corpora left as they are")


if __name__ == "__main__":
    main()
