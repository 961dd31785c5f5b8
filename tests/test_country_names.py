"""An English question names a country or a language as English does ("Egypt", "Dutch"); an
Indonesian article names it as Indonesian does ("Mesir", "Belanda"). The pairs are Unicode CLDR's
display names (text/data/names_en_id.txt), a general resource: the Indonesian name is among the
English word's spellings, so it counts as lexical evidence."""

from __future__ import annotations

import pytest

from text.tokens import indonesian_spellings


@pytest.mark.parametrize("english, indonesian", [("Egypt", "mesir"), ("Germany", "jerman"), ("Dutch", "belanda"),
                                                  ("Japanese", "jepang"), ("Greece", "yunani")])
def test_a_country_or_a_language_has_its_indonesian_name_among_its_spellings(english, indonesian):
    assert indonesian in indonesian_spellings(english)
