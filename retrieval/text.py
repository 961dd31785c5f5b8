"""Word-level text handling shared by BM25, question analysis and the answerers:
tokens, stopwords, Indonesian stems, English->Indonesian term bridging and language detection."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)

STOP_ID = set(
    """yang dan di ke dari ini itu dengan untuk pada adalah sebagai dalam tidak akan juga atau oleh karena
    ada bahwa tersebut mereka kami kita saya anda ia dia nya para telah sudah bisa dapat lebih sangat
    serta namun tetapi tapi jika agar maka saat ketika seperti hal secara antara bagi hanya masih
    pun lah kah apa siapa kapan mana dimana bagaimana mengapa kenapa berapa apakah sebuah seorang satu
    lalu lagi pernah sejak hingga sampai setelah sebelum tentang mengenai soal terkait atas begitu
    yakni yaitu kata apa-apa beliau nya-nya si sang tuan mr mrs ms dr""".split()
)
STOP_EN = set(
    """the a an and or of to in on at for by with from about as is are was were be been being this that
    these those it its he she they them his her their we our you your i me my what who whom whose which
    when where why how did do does done has have had say said says tell told not no yes will would
    can could should may might must than then there here also just only into over under after before
    during between against any all some more most such very out up down again further once mr mrs ms dr
    according""".split()
)
STOPWORDS = STOP_ID | STOP_EN

# Function words that tell the two languages apart in a short question.
_ID_MARKERS = set(
    """apa siapa kapan mana dimana bagaimana mengapa kenapa berapa apakah yang dan di ke dari dengan untuk
    pada adalah tentang mengenai soal kata katakan dikatakan mengatakan menurut lagi itu ini tidak akan
    juga sudah dia ia mereka para lalu bilang sebut pendapat""".split()
)
_EN_MARKERS = set(
    """what who when where why how which did does do is are was were the a an of about to in on and
    say said tell told according he she they his her their else more other also""".split()
)


def detect_language(text: str) -> str:
    """'id' or 'en' from function words; English when nothing decides."""
    words = [w.lower() for w in _WORD.findall(text)]
    id_score = sum(w in _ID_MARKERS for w in words)
    en_score = sum(w in _EN_MARKERS for w in words)
    return "id" if id_score > en_score else "en"


def fold(text: str) -> str:
    """Lowercase without accents, so 'Zelenskyy' and 'zelenskyy' or 'café' and 'cafe' compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_POSSESSIVE = re.compile(r"['’]s$", re.I)


def words(text: str) -> list[str]:
    """Words, with an English possessive dropped ("Xi's" -> "Xi")."""
    return [_POSSESSIVE.sub("", w) for w in _WORD.findall(text)]


# English news vocabulary -> its Indonesian counterparts (stems are taken afterwards), so an English
# question can meet Indonesian articles lexically as well as through the multilingual embeddings.
_BRIDGE_TEXT = """
china:tiongkok cina china|chinese:tiongkok cina china|russia:rusia|russian:rusia|ukraine:ukraina|ukrainian:ukraina
us:as amerika|usa:as amerika|america:amerika as|american:amerika as|united:serikat|states:serikat
moscow:moskow|europe:eropa|european:eropa|western:barat|west:barat|north:utara|south:selatan|east:timur
central:tengah|asia:asia|belarus:belarusia|palestine:palestina|palestinian:palestina|soviet:soviet
japan:jepang|germany:jerman|france:prancis|britain:inggris|british:inggris|india:india|indian:india
president:presiden|minister:menteri|foreign:luar negeri|defence:pertahanan|defense:pertahanan
secretary:sekretaris|ambassador:duta besar|leader:pemimpin|leaders:pemimpin|analyst:analis|analysts:analis
researcher:peneliti|author:penulis|book:buku|lecturer:dosen|adviser:pembantu penasihat|advisor:penasihat
visit:kunjungan kunjungi|visited:kunjungan kunjungi|visits:kunjungan|trip:perjalanan|travel:perjalanan
travelled:perjalanan|traveled:perjalanan|meet:temu pertemuan|meeting:pertemuan|met:temu pertemuan
summit:ktt|talks:pembicaraan perundingan|war:perang|invasion:invasi|peace:damai perdamaian
partnership:kemitraan mitra|partner:mitra|friendship:persahabatan|alliance:aliansi|ally:sekutu|allies:sekutu
sanctions:sanksi|sanction:sanksi|support:dukungan dukung|help:bantuan|aid:bantuan|weapons:senjata
arms:senjata|military:militer|army:tentara|economy:ekonomi|economic:ekonomi|trade:perdagangan dagang
gas:gas|oil:minyak|energy:energi|pipeline:pipa|power:kekuatan|statement:pernyataan|joint:bersama
words:kata|word:kata|long:panjang|days:hari|day:hari|years:tahun|year:tahun|months:bulan|month:bulan
week:pekan minggu|hours:jam|age:usia|old:usia|first:pertama|second:kedua|last:terakhir|next:mendatang
limits:batas|limit:batas|limitless:batas|border:perbatasan|threat:ancaman|challenge:tantangan
isolation:isolasi|isolated:isolasi terisolasi|relationship:hubungan|relations:hubungan|ties:hubungan
cooperation:kerja sama|spring:semi|winter:dingin|olympics:olimpiade|election:terpilih pemilu
reelected:terpilih|re-elected:terpilih|elected:terpilih|communist:komunis|party:partai|congress:kongres
protests:protes|pandemic:pandemi|covid:covid|drones:drone|drone:drone|missiles:rudal|missile:rudal
exports:ekspor|imports:impor|growth:pertumbuhan|crisis:krisis|conflict:konflik|video:video|virtual:virtual
television:televisi|news:berita|agency:kantor agency|ministry:kementerian|council:dewan|security:keamanan
organization:organisasi|organisation:organisasi|cooperation:kerjasama kerja|city:kota|ancient:kuno
silk:sutra|road:jalan|country:negara|countries:negara|world:dunia|global:global|order:tatanan
january:januari|february:februari|march:maret|april:april|may:mei|june:juni|july:juli|august:agustus
september:september|october:oktober|november:november|december:desember
monday:senin|tuesday:selasa|wednesday:rabu|thursday:kamis|friday:jumat|saturday:sabtu|sunday:minggu
theatrical:teatrikal|theatrically:teatrikal|strategic:strategis|dominant:dominan|regime:rezim
survival:kelangsungan|dependence:ketergantungan|dependent:ketergantungan|pride:bangga|proud:bangga
unequal:ketidaksetaraan|inequality:ketidaksetaraan|tea:teh|garden:taman|gardens:taman|evacuation:evakuasi
neutral:netral|reputation:reputasi|junior:junior|senior:senior|superpower:adidaya|resources:sumber daya
defeat:kekalahan|fortress:benteng|stronghold:benteng|warned:memperingatkan peringatan|warning:peringatan
"""
BRIDGE: dict[str, tuple[str, ...]] = {}
for _pair in _BRIDGE_TEXT.replace("\n", "|").split("|"):
    if ":" in _pair:
        _en, _ids = _pair.split(":", 1)
        BRIDGE[_en.strip()] = tuple(_ids.split())


@lru_cache(maxsize=1)
def _stemmer():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    word = fold(word)
    if len(word) <= 3 or not word.isalpha():
        return word
    return _stemmer().stem(word) or word


def terms(text: str, *, bridge: bool = False, keep_stopwords: bool = False) -> list[str]:
    """Index terms: folded, stemmed, stopwords out; with ``bridge`` English words also yield
    their Indonesian counterparts."""
    out: list[str] = []
    for raw in words(text):
        word = fold(raw)
        if not keep_stopwords and word in STOPWORDS:
            continue
        out.append(stem(word))
        if bridge and word in BRIDGE:
            out.extend(stem(t) for t in BRIDGE[word] if t not in STOPWORDS)
    return out
