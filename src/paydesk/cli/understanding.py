"""Understanding commands: nlu (JSON lines in, JSON lines out), ask (the help centre), models build/check."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from paydesk.cli.common import EXIT_BAD_INPUT, EXIT_ERROR, err, out

BATCH = 64


def nlu() -> None:
    """Read JSON lines {"text": ..., "locale"?: ...} on stdin; write one JSON line per input:
    {"language", "intent", "confidence", "slots"}. A bad line gets {"error": ...} and the exit code is 2."""
    from paydesk.understanding.engine import default_engine

    engine = default_engine()
    size = 1 if sys.stdin.isatty() else BATCH
    bad = False
    batch: list[tuple[int, str]] = []

    def flush() -> None:
        parsed: list[tuple[str, str | None] | str] = [_parse(n, line) for n, line in batch]
        good = [p for p in parsed if isinstance(p, tuple)]
        results = iter(engine.understand_many([(text, locale, None) for text, locale in good]))
        for p in parsed:
            payload = {"error": p} if isinstance(p, str) else next(results).contract()
            sys.stdout.write(json.dumps(payload, ensure_ascii=False, default=str) + "\n")
        sys.stdout.flush()
        batch.clear()

    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        batch.append((number, line))
        bad = bad or isinstance(_parse(number, line), str)
        if len(batch) >= size:
            flush()
    if batch:
        flush()
    if bad:
        raise typer.Exit(EXIT_BAD_INPUT)


def _parse(number: int, line: str) -> tuple[str, str | None] | str:
    try:
        data: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"line {number}: not JSON ({exc.msg})"
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        return f'line {number}: expected an object with a string "text"'
    locale = data.get("locale")
    if locale is not None and not isinstance(locale, str):
        return f'line {number}: "locale" must be a string such as "sv-SE"'
    return data["text"], locale


def ask(
    question: Annotated[str, typer.Argument(help="a question to the help centre, in any of the 36 languages")],
    language: Annotated[str | None, typer.Option(help="answer in this language (default: the question's)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the answer as JSON")] = False,
) -> None:
    """Answer a question from the help centre, citing the article; say so when there is no good answer."""
    from paydesk.knowledge.retrieval import default_help_centre
    from paydesk.understanding.langid import identify
    from paydesk.understanding.languages import normalise

    lang = normalise(language) if language else identify(question).language
    if lang is None:
        err.print(f"error: {language!r} is not one of paydesk's 36 languages")
        raise typer.Exit(EXIT_BAD_INPUT)
    answer = default_help_centre().answer(question, lang)
    if as_json:
        payload: dict[str, Any] = {"language": lang, "article": None}
        if answer is not None:
            a = answer.article
            payload = {
                "language": answer.language,
                "article": a.id,
                "title": a.title,
                "answer": a.body,
                "score": round(answer.score, 4),
            }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
        return
    if answer is None:
        out.print("No help-centre article answers that well enough; a person can help (ask for one in the chat).")
        return
    out.print(f"[bold]{answer.article.title}[/]  [dim]({answer.article.id}, similarity {answer.score:.2f})[/]")
    out.print(answer.article.body)


def build(
    cache: Annotated[Path, typer.Option(help="where embeddings of the data are cached between builds")] = Path(
        "var/cache/embeddings.npz"
    ),
) -> None:
    """Rebuild the NLU artifacts (intent classifier, anchors, help-centre index) from the data files.
    Needs the `train` extra (scikit-learn)."""
    from paydesk.knowledge.retrieval import index_texts, save_index
    from paydesk.understanding.build import EmbeddingCache, build_anchors, build_dates, build_langid, train
    from paydesk.understanding.embedder import default_embedder

    embeddings = EmbeddingCache(cache, default_embedder())
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err) as progress:

        def step(name: str) -> Any:
            task = progress.add_task(name, total=None)
            return lambda done, total: progress.update(task, completed=done, total=total)

        build_dates()
        langid_texts = build_langid()
        anchors = build_anchors(embeddings, step("embedding anchors"))
        rows = index_texts()
        save_index(embeddings.embed([r[2] for r in rows], step("embedding the help centre")))
        report = train(embeddings, progress=step("embedding training examples"))
    out.print(
        f"language model texts: {langid_texts}; anchors: {anchors}; help-centre texts: {len(rows)}; "
        f"intent examples: {report.examples}; "
        f"calibration accuracy {report.calibration_accuracy:.3f}, temperature {report.temperature:.2f}, "
        f"out-of-scope threshold {report.oos_threshold:.3f}, lexical fast path from {report.fast_threshold:.2f}"
    )


def check() -> None:
    """Fail (exit 1) when an artifact was built from other data than the files hold now."""
    from paydesk.knowledge.retrieval import INDEX, index_digest, load_index
    from paydesk.understanding.artifacts import stale

    problems = stale()
    if not INDEX.exists() or load_index().digest != index_digest():
        problems.append(f"{INDEX.name} is missing or was built from other articles")
    for problem in problems:
        err.print(f"stale: {problem}; run `paydesk models build`")
    if problems:
        raise typer.Exit(EXIT_ERROR)
    out.print("NLU artifacts are current.")


def register(app: typer.Typer) -> None:
    app.command("nlu")(nlu)
    app.command("ask")(ask)
    models = typer.Typer(help="Build and check the embedded NLU's artifacts.", no_args_is_help=True)
    models.command("build")(build)
    models.command("check")(check)
    app.add_typer(models, name="models")
