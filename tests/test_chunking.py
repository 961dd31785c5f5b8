from index.articles import parse_article
from index.chunking import chunk_article
from text.tokens import count_tokens


def _long_article(paragraphs: int = 12) -> str:
    body = "\n\n".join(
        f"Kalimat nomor {i} menjelaskan peristiwa penting di kota Contoh pada tahun {2000 + i}. "
        f"Warga kota itu kemudian berkumpul untuk membicarakan kejadian nomor {i} bersama pejabat setempat."
        for i in range(paragraphs)
    )
    return "Judul Artikel Panjang\n\n" + body + "\n"


def test_chunks_are_exact_source_slices_within_budget():
    a = parse_article("long.txt", _long_article())
    chunks = chunk_article(a, max_tokens=80)
    assert len(chunks) > 3
    for c in chunks:
        assert a.source[c.start : c.end] == c.text
        assert c.n_tokens <= 80 or len(c.sentences) == 1
        assert count_tokens(c.text) <= c.n_tokens + 2 * len(c.sentences)


def test_neighbouring_chunks_share_one_sentence_and_cover_everything():
    a = parse_article("long.txt", _long_article())
    chunks = chunk_article(a, max_tokens=80)
    for left, right in zip(chunks, chunks[1:]):
        assert left.sentences[-1] == right.sentences[0]
    covered = {s for c in chunks for s in c.sentences}
    assert covered == set(a.sentences())


def test_a_dropped_line_ends_a_chunk():
    text = "Judul\n\nKalimat pertama artikel ini cukup panjang untuk dihitung.\n\nSubjudul\n\nKalimat kedua juga cukup panjang untuk dihitung.\n"
    a = parse_article("t.txt", text)
    chunks = chunk_article(a, max_tokens=400)
    assert len(chunks) == 2
    assert "Subjudul" not in chunks[0].text + chunks[1].text


def test_an_oversized_sentence_becomes_its_own_chunk():
    text = "Judul\n\n" + "Sebuah kalimat " + "sangat " * 300 + "panjang.\n\nKalimat pendek berikutnya.\n"
    chunks = chunk_article(parse_article("t.txt", text), max_tokens=50)
    assert [len(c.sentences) for c in chunks] == [1, 1]
