"""Message catalogs: gettext .po files in `locale/<lang>/LC_MESSAGES/paydesk.po`, compiled to .mo when the package
is built or installed (hatch_build.py), loaded once per language.

    python -m paydesk.replies.catalogs update   # English source -> en.po; new or changed ids into the other 35
    python -m paydesk.replies.catalogs check    # every id in every language, placeholders matching
"""

from __future__ import annotations

import gettext
import io
import logging
import re
import sys
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po

from paydesk.replies.english import MESSAGES, PLURALS
from paydesk.understanding.languages import LANGUAGES

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "paydesk"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
log = logging.getLogger(__name__)


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _read(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN)
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def _source_comment(msgid: str) -> str:
    if msgid in PLURALS:
        one, other = PLURALS[msgid]
        return f"en: {one} | {other}"
    return f"en: {MESSAGES[msgid]}"


def update() -> dict[str, int]:
    """Write en.po from english.py; add new ids to the other catalogs (empty, with the English as a comment), clear
    translations whose English changed, drop ids that are gone. Returns untranslated ids per language."""
    ids = [*MESSAGES, *PLURALS]
    todo = {}
    for language in LANGUAGES:
        old = _read(language)
        catalog = Catalog(locale=language, domain=DOMAIN, project="paydesk", charset="utf-8", fuzzy=False)
        count, _ = get_plural(language)
        missing = 0
        for msgid in ids:
            comment = _source_comment(msgid)
            key: str | tuple[str, str] = (msgid, msgid + ".plural") if msgid in PLURALS else msgid
            previous = old.get(msgid)
            if language == "en":
                string: str | tuple[str, ...] = PLURALS[msgid] if msgid in PLURALS else MESSAGES[msgid]
            elif previous is not None and _same_source(previous.auto_comments, comment) and _filled(previous.string):
                string = previous.string if isinstance(previous.string, str) else tuple(previous.string or ())
            else:
                string = ("",) * count if msgid in PLURALS else ""
                missing += 1
            catalog[msgid] = Message(key, string, auto_comments=[comment])
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=120, omit_header=False, sort_output=False)
        todo[language] = missing
    return todo


def _same_source(comments: list[str], comment: str) -> bool:
    """Whether the English a translation was made from is the English now (Babel wraps long comments)."""
    return " ".join(" ".join(comments).split()) == " ".join(comment.split())


def _filled(string: str | tuple[str, ...] | list[str] | None) -> bool:
    if string is None:
        return False
    if isinstance(string, str):
        return bool(string.strip())
    return all(s.strip() for s in string)


def problems() -> list[str]:
    """Every id translated in every language, with the same placeholders as the English."""
    found = []
    for language in LANGUAGES:
        catalog = _read(language)
        count, _ = get_plural(language)
        for msgid in [*MESSAGES, *PLURALS]:
            message = catalog.get(msgid)
            if message is None or not _filled(message.string):
                found.append(f"{language}: {msgid} is not translated")
                continue
            english = " ".join(PLURALS[msgid]) if msgid in PLURALS else MESSAGES[msgid]
            strings = [message.string] if isinstance(message.string, str) else list(message.string or ())
            if msgid in PLURALS and len(strings) != count:
                found.append(f"{language}: {msgid} has {len(strings)} plural forms, the language has {count}")
            for text in strings:
                if placeholders(text) != placeholders(english):
                    found.append(
                        f"{language}: {msgid} placeholders {sorted(placeholders(text))}, "
                        f"English {sorted(placeholders(english))}"
                    )
    return found


def compile_all(locale_dir: Path = LOCALE_DIR) -> int:
    """Compile every .po to .mo beside it (the build hook and `paydesk` at start-up when one is missing)."""
    compiled = 0
    for po in sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name, domain=DOMAIN)
        with po.with_suffix(".mo").open("wb") as out:
            write_mo(out, catalog)
        compiled += 1
    return compiled


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The language's compiled catalog (compiled in memory from the .po when no .mo was built)."""
    mo = po_path(language).with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po_path(language).stat().st_mtime:
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    log.warning("no compiled catalog for %s; compiling %s in memory", language, po_path(language))
    buffer = io.BytesIO()
    with po_path(language).open("rb") as handle:
        write_mo(buffer, read_po(handle, locale=language, domain=DOMAIN))
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        todo = update()
        waiting = {k: v for k, v in todo.items() if v}
        sys.stdout.write(f"catalogs written; untranslated ids: {waiting or 'none'}\n")
        return 0
    if argv[:1] == ["check"]:
        found = problems()
        sys.stdout.write("\n".join(found) + ("\n" if found else "all catalogs complete\n"))
        return 1 if found else 0
    sys.stdout.write(__doc__ or "")
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
