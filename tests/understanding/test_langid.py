"""Language identification: scripts, close pairs, the locale for short texts."""

from __future__ import annotations

import pytest

from paydesk.understanding.langid import identify, script_of
from paydesk.understanding.languages import normalise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("これは何ですか", "ja"),
        ("退款在哪里", "zh"),
        ("환불은 언제 되나요", "ko"),
        ("เงินคืนอยู่ไหน", "th"),
        ("איפה ההחזר שלי", "he"),
        ("मेरा रिफंड कहाँ है", "hi"),
        ("Πού είναι η επιστροφή μου;", "el"),
        ("أين استرداد أموالي", "ar"),
        ("在 pandora 上 播放 some music 的 歌", "zh"),
    ],
)
def test_scripts(text: str, expected: str) -> None:
    assert identify(text).language == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hei, jeg vil returnere skoene mine fordi de er for små", "nb"),
        ("Hej, jeg vil gerne returnere skoene, de er for små", "da"),
        ("Hej, jag vill returnera skorna, de är för små", "sv"),
        ("Chcel by som vrátiť topánky, sú mi malé", "sk"),
        ("Chtěl bych vrátit boty, jsou mi malé", "cs"),
        ("Saya nak pulangkan kasut ni sebab tak muat", "ms"),
        ("Saya mau mengembalikan sepatu ini karena tidak muat", "id"),
        ("Želim vrniti čevlje, ker so mi premajhni", "sl"),
        ("Želim vratiti cipele jer su mi premale", "hr"),
        ("Где мой возврат за эти кроссовки?", "ru"),
        ("Де моє повернення за ці кросівки?", "uk"),
        ("Къде е моето възстановяване за тези обувки?", "bg"),
    ],
)
def test_close_pairs_without_a_locale(text: str, expected: str) -> None:
    assert identify(text).language == expected


def test_short_texts_follow_the_locale() -> None:
    assert identify("ok", "sv-SE").language == "sv"
    assert identify("hej", "da-DK").language == "da"
    assert identify("返金", "ja-JP").language == "ja"
    assert identify("", "fi-FI").language == "fi"
    assert identify("ok").language == "en"


def test_a_locale_of_another_script_does_not_win() -> None:
    assert identify("Где мой возврат?", "sv-SE").language == "ru"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("sv-SE", "sv"),
        ("no", "nb"),
        ("nb_NO", "nb"),
        ("zh-Hant-TW", "zh"),
        ("iw", "he"),
        ("xx", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise(code: str | None, expected: str | None) -> None:
    assert normalise(code) == expected


def test_script_of() -> None:
    assert script_of("123 !!") is None
    assert script_of("iPhone 退款") == "han"
    assert script_of("Hello") == "latin"
