"""Build hook: compile the gettext catalogs (.po -> .mo) whenever paydesk is built or installed (editable too)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogs(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        locale_dir = Path(self.root) / "src" / "paydesk" / "replies" / "locale"
        for po in sorted(locale_dir.glob("*/LC_MESSAGES/paydesk.po")):
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=po.parent.parent.name, domain="paydesk")
            with po.with_suffix(".mo").open("wb") as out:
                write_mo(out, catalog)
        build_data.setdefault("artifacts", []).append("src/paydesk/replies/locale/*/LC_MESSAGES/paydesk.mo")
