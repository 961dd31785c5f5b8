"""The quotation-mark scanner (text/quotemarks.py) on sentences written for these tests."""

from __future__ import annotations

import pytest

from text.quotemarks import double_segments, single_segments


def quoted(text: str) -> list[str]:
    segments, unclosed = double_segments(text, 0)
    assert unclosed is None
    return [text[s.inner_start : s.inner_end] for s in segments]


@pytest.mark.parametrize(
    "text, inside",
    [
        ("“Kami siap,” kata dia.", ["Kami siap,"]),
        ('"Kami siap," kata dia.', ["Kami siap,"]),
        ("“Kami siap,\" kata dia.", ["Kami siap,"]),  # machine-translated copy mixes the kinds
        # The same mark on both sides, as Kompas and other outlets print it.
        ("”Kami siap,” kata dia.", ["Kami siap,"]),
        ("Ia berkata, ”Gudang sudah penuh.” Lalu ia pergi.", ["Gudang sudah penuh."]),
        ("Stok disebut (”aman”) oleh pedagang.", ["aman"]),
        ("Jawabnya singkat: ”Tidak.” Lalu, ”Nanti saja,” katanya.", ["Tidak.", "Nanti saja,"]),
        ("”…dan harga turun,” ujarnya.", ["…dan harga turun,"]),
        # „…“ (German-style copy): the opening-looking mark after a word closes.
        ("„Wir sind bereit“, sagte sie.", ["Wir sind bereit"]),
        ("«Nous sommes prêts», a-t-il dit.", ["Nous sommes prêts"]),
    ],
)
def test_double_quotations(text, inside):
    assert quoted(text) == inside


def test_a_closing_mark_after_a_word_opens_nothing():
    segments, unclosed = double_segments("Layarnya 6” dan baterainya awet.", 0)
    assert segments == [] and unclosed is None


def test_an_opener_never_closed_is_reported():
    text = "Ia berkata, ”Gudang sudah penuh dan"
    segments, unclosed = double_segments(text, 10)
    assert segments == [] and unclosed == 10 + text.index("”")


def test_offsets_are_absolute():
    segments, _ = double_segments("”Ya,” katanya.", 100)
    assert (segments[0].open, segments[0].inner_start, segments[0].inner_end) == (100, 101, 104)


def test_single_marks_and_apostrophes():
    text = "Ia menyebutnya ‘soft landing’, dan Jum'at ia pergi."
    found = [text[s.inner_start : s.inner_end] for s in single_segments(text, 0, [])]
    assert found == ["soft landing"]
