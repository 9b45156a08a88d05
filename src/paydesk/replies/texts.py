"""The reply API: `Texts(language).say(msgid, **values)`; values are formatted strings (see formatting.py)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from paydesk.replies.catalogs import translations
from paydesk.replies.english import MESSAGES, PLURALS
from paydesk.replies.formatting import Formatter, babel_locale
from paydesk.understanding.languages import LANGUAGES

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Texts:
    """Replies in one language. Unknown ids are a developer error; a gap in a catalog falls back to English and logs
    (tests keep every catalog complete, so a customer never sees it)."""

    language: str
    customer_locale: str | None = None
    fmt: Formatter = field(init=False)

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            object.__setattr__(self, "language", "en")
        object.__setattr__(self, "fmt", Formatter(babel_locale(self.language, self.customer_locale)))

    def say(self, msgid: str, **values: object) -> str:
        if msgid not in MESSAGES:
            raise KeyError(f"no reply {msgid!r}")
        text = translations(self.language).gettext(msgid)
        if text == msgid:
            log.error("reply %s missing in %s", msgid, self.language)
            text = MESSAGES[msgid]
        return text.format(**values)

    def count(self, msgid: str, count: int, **values: object) -> str:
        if msgid not in PLURALS:
            raise KeyError(f"no plural reply {msgid!r}")
        text = translations(self.language).ngettext(msgid, msgid + ".plural", count)
        if text in (msgid, msgid + ".plural"):
            log.error("reply %s missing in %s", msgid, self.language)
            text = PLURALS[msgid][0 if count == 1 else 1]
        return text.format(count=count, **values)
