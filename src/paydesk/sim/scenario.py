"""The scenario file format (DESIGN.md, "Scenario files"), validated with errors that name file, field and problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, field_validator

from paydesk.domain import yamltext
from paydesk.domain.errors import DeveloperError
from paydesk.understanding.languages import LANGUAGES
from paydesk.understanding.result import Awaiting

Entity = Literal[
    "customer",
    "merchant",
    "order",
    "plan",
    "installment",
    "charge",
    "refund",
    "return",
    "dispute",
    "invoice",
    "invoice_correction",
    "case",
]


class ScenarioError(DeveloperError):
    code = "bad_scenario"


class Fact(BaseModel):
    """`entity` and the fields a matching row must have (others are free)."""

    model_config = ConfigDict(extra="allow")

    entity: Entity

    @property
    def fields(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class Expect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    handoff: bool | Literal["either"]
    ledger: list[Fact] = []
    absent: list[Fact] = []


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    language: str
    now: AwareDatetime
    tags: list[str] = []
    note: str | None = None
    ledger: dict[str, Any]
    customer: str
    say: list[str] = Field(min_length=1)
    answers: dict[Awaiting, str] = {}
    expect: Expect
    source: str = ""

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"{value!r} is not one of paydesk's 36 languages")
        return value


def load(paths: list[Path]) -> list[Scenario]:
    """Every scenario in the files and folders given (YAML, one scenario or a list per file). Inside a folder,
    subfolders whose name starts with "_" are skipped (scenarios/_source holds the generator's inputs)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p
                for p in path.rglob("*")
                if p.suffix in (".yaml", ".yml")
                and not any(part.startswith("_") for part in p.relative_to(path).parts[:-1])
            )
        elif path.exists():
            files.append(path)
        else:
            raise ScenarioError(f"{path}: no such file or folder")
    scenarios: list[Scenario] = []
    seen: dict[str, str] = {}
    for file in files:
        for index, scenario in enumerate(_read(file)):
            where = f"{file}" + (f"[{index}]" if index else "")
            if scenario.id in seen:
                raise ScenarioError(f"{where}: id {scenario.id!r} is already used in {seen[scenario.id]}")
            seen[scenario.id] = where
            scenarios.append(scenario)
    return scenarios


def _read(file: Path) -> list[Scenario]:
    try:
        data = yamltext.parse(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{file}: not valid YAML: {exc}") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{file}: not UTF-8 text") from None
    items = data if isinstance(data, list) else [data]
    result = []
    for index, item in enumerate(items):
        where = f"{file}" + (f"[{index}]" if isinstance(data, list) else "")
        if not isinstance(item, dict):
            raise ScenarioError(f"{where}: a scenario is a mapping with id, language, now, ledger, customer, say...")
        try:
            result.append(Scenario.model_validate({**item, "source": str(file)}))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc'])}: "
                f"{'unknown field' if err['type'] == 'extra_forbidden' else err['msg']}"
                for err in exc.errors()
            )
            ident = item.get("id", "?")
            raise ScenarioError(f"{where} (id {ident}): {problems}") from None
    return result
