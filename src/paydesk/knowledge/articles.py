"""Help-centre articles, one YAML file per language (`articles/<lang>.yaml`), the same ids in every language."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from paydesk.domain import yamltext

ARTICLES = Path(__file__).parent / "articles"


class Article(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    questions: list[str] = Field(min_length=1)
    body: str


class ArticleFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    language: str
    articles: list[Article]


@cache
def articles_of(language: str) -> tuple[Article, ...]:
    path = ARTICLES / f"{language}.yaml"
    data = ArticleFile.model_validate(yamltext.parse(path.read_text(encoding="utf-8")))
    return tuple(data.articles)


def article(language: str, article_id: str) -> Article | None:
    return next((a for a in articles_of(language) if a.id == article_id), None)
