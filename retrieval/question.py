"""What a question asks for: someone's words, the speaker of some words, or a fact."""

from __future__ import annotations

import re
from dataclasses import dataclass

from text.dates import calendar_words, periods
from text.sentences import ABBREVIATIONS
from text.names import OFFICES, office_words
from text.tokens import STOPWORDS, closed_class_word, common_word, detect_language, fold, word_list, words
from text.wordlists import alternation, words as wordlist


def _alternation(entries) -> str:
    """A regex matching any of a word list's ``entries`` as whole words."""
    return "(?:" + alternation(entries) + r")\b"


def _verbs(section: str, lang: str) -> str:
    return _alternation(wordlist(section, (lang,)))


_TOPIC = r"(?:\s+(?P<topic>.+))?"
_TOPIC_LEAD = re.compile(r"^(?:about|on|regarding|concerning|of|tentang|soal|mengenai|terkait|perihal|atas)\s+", re.I)
_LEAD = r"^(?:and |so |then |lalu |dan |terus |kalau |jadi )?"
_WHAT_SAID = [
    # English
    _LEAD + r"what (?:else )?(?:did|does|do|has|had|have|would) (?P<who>.+?) (?:(?:have to|want to) )?"
    r"(?:say|said|tell|told|think|claim|argue|mean|state|write|warn|add|predict|comment|note)(?: else)?" + _TOPIC + "$",
    _LEAD + r"what (?:was|is|were|are) (?P<who>.+?)['’]s? (?:view|views|opinion|opinions|comment|comments|statement|"
    r"statements|position|take|point|argument|quote|quotes|assessment|words|remarks?|predictions?|forecasts?|"
    r"messages?|warnings?|advice|expectations?)" + _TOPIC + "$",
    _LEAD + rf"how did (?P<who>.+?) {_verbs('verbs.appraising', 'en')}(?P<topic>.*)$",
    # "What range did X give for …", "What analogy did X use …": what X put into words, the noun part of the topic
    _LEAD + rf"what (?P<noun>(?:[\w-]+ ){{0,2}}[\w-]+) did (?P<who>.+?) {_verbs('verbs.conveying', 'en')}"
    + _TOPIC + "$",
    _LEAD + r"(?:any |the )?(?:quotes?|statements?|remarks?|comments?) (?:from|by) (?P<who>.+)$",
    # Indonesian
    _LEAD + r"apa (?:lagi )?(?:kata|yang dikatakan|yang diucapkan|yang disampaikan|yang dinyatakan|yang diungkapkan|"
    r"yang dijelaskan|yang dikatakan oleh|pendapat|komentar|tanggapan|pernyataan|pandangan|penilaian|penjelasan|"
    r"prediksi|perkiraan|proyeksi|pesan|saran|imbauan|peringatan|harapan)"
    r"(?: lagi)?(?: oleh)? (?P<who>.+)$",
    _LEAD + r"apa (?:lagi )?yang (?:sudah |telah )?(?P<who>.+?) (?:katakan|ucapkan|sampaikan|nyatakan|ungkapkan|"
    r"jelaskan|bilang|tegaskan|kemukakan)(?: lagi)?" + _TOPIC + "$",
    _LEAD + r"bagaimana (?:pendapat|pandangan|penilaian|tanggapan|komentar) (?P<who>.+)$",
    _LEAD + rf"bagaimana (?P<who>.+?) {_verbs('verbs.appraising', 'id')}" + _TOPIC + "$",
    _LEAD + r"(?P<who>.+?) (?:bilang|berkata|mengatakan|menyatakan|berpendapat) apa(?: lagi)?" + _TOPIC + "$",
]
# Who said something: asked with a verb of saying (the attribution's own lists, ``text/wordlists``),
# about the speaker alone ("Who said …", "Siapa yang menilai …") or about a speaker of some role
# ("Which BPS deputy said …", "Who at Bank Indonesia said …", "Siapa deputi BPS yang menegaskan …").
# A verb that records a figure ("mencatat") asks for no statement.
_SAYING = {lang: _alternation((wordlist("verbs.clause", (lang,)) | wordlist("verbs.framed", (lang,))
                               | wordlist("verbs.characterising", (lang,))) - wordlist("verbs.recording", ("id",)))
           for lang in ("id", "en")}
_ROLE = r"(?P<role>(?:(?!(?:{aux})\b)[^\s,]+\s+){{1,{n}}}?)"
_EN_AUX = "is|are|was|were|do|does|did|has|have|had|will|would|can|could|should|may|might|must|not"
_WHO_SAID = [
    rf"^who (?:(?:has|had|have) )?(?:{_SAYING['en']}|is quoted|was quoted|made the (?:remark|comment|statement)\b)"
    r"(?P<topic>.*)$",
    rf"^who(?P<role> (?:at|from|of|in) [^,]+?|,\s?[^,]+,) {_SAYING['en']}(?P<topic>.*)$",
    rf"^which {_ROLE.format(aux=_EN_AUX, n=8)}{_SAYING['en']}(?P<topic>.*)$",
    rf"^siapa(?: yang)? {_SAYING['id']}(?P<topic>.*)$",
    # "Siapa deputi BPS yang menegaskan …", "Siapa yang dalam debat cawapres menyebut …"
    rf"^siapa (?:{_ROLE.format(aux='yang', n=10)})?yang "
    r"(?:(?:dalam|pada|saat|ketika|di|usai|setelah|sebelum|sejak)\s+(?:[^\s,]+\s+){1,6}?)?"
    rf"{_SAYING['id']}(?P<topic>.*)$",
]
# Where a name ends and the rest of an Indonesian question ("… kepada wartawan", "… soal Taiwan") begins.
_WHO_END = re.compile(
    r"\s+(?=(?:tentang|soal|mengenai|terkait|perihal|atas|kepada|about|regarding|to|sebelum|setelah|saat|ketika|"
    r"pada|dalam|di|dari|in|at|before|after|during)\s)",
    re.I,
)
_WHAT_SAID_RE = [re.compile(p, re.I) for p in _WHAT_SAID]
_WHO_SAID_RE = [re.compile(p, re.I) for p in _WHO_SAID]

# Indonesian question words take the particle -kah ("Siapakah", "Kapankah", "Di manakah") without
# changing what they ask (Sneddon, Indonesian: A Comprehensive Grammar, on -kah).
_PARTICLE = re.compile(r"(siapa|apa|berapa|kapan|mana|bagaimana|mengapa|kenapa)kah\b", re.I)
_PRONOUNS = {"he", "she", "they", "him", "her", "them", "dia", "ia", "beliau", "mereka", "nya"}
_EXPECTS = [
    (re.compile(r"^(?:when|(?:what|which) (?:day|date|year|month)|on (?:what|which) date|in (?:what|which) year|(?:sejak |sampai )?kapan|"
                r"(?:pada |dalam |sejak )?(?:hari|tanggal|tahun|bulan) (?:apa|berapa)|hari apa)\b", re.I), "date"),
    (re.compile(r"^(?:(?:by )?how (?:many|much|long|old|high|low|fast|big|large|far)|(?:[a-z]+ ){0,2}berapa|"
                r"(?:at |to |by )?what (?:(?:was|is|were|are|will be|would be) )?(?:the |its |their )?"
                r"(?:(?:[\w-]+ ){0,2}[\w-]+(?:['’]s|s['’]) )?"
                rf"(?:(?!(?:of|the|an?|and|or)\b)[a-z-]+ ){{0,3}}(?:{'|'.join(sorted(word_list('quantity_nouns_en')))})"
                # … as the head of its phrase ("the growth strategy" asks for none)
                r"(?=\s+(?:of|in|on|for|at|did|does|do|was|is|were|are|will|would|has|had|have|per|from|to|after|"
                r"before|during|between|by|when|according|that|which|since|last|this)\b|\s*[?,.(]|$))", re.I), "number"),
    (re.compile(r"^(?:where|in (?:which|what) (?:city|country|province|place)|(?:di|ke|dari|berasal dari) ?mana|"
                r"(?:di|ke|dari) (?:kota|negara|provinsi|daerah|wilayah|kabupaten|pulau) (?:mana|apa))\b", re.I),
     "place"),
    (re.compile(r"^(?:who|whom|siapa|which (?:\w+ ){0,3}(?:officials?|people|persons?|analysts?|leaders?|ministers?|"
                r"experts?|diplomats?|researchers?|politicians?)|(?:pejabat|tokoh|pemimpin|analis|menteri)\b.*\bsiapa)\b",
                re.I), "person"),
    # "Partai apa …", "Di universitas apa …", "Berasal dari institusi mana …", "Apa nama …", "Which company …":
    # a named thing of some kind.
    (re.compile(r"^(?:(?:(?:berasal )?dari|di|ke|oleh|untuk|dengan|pada) )?"
                r"(?:(?!(?:untuk|dengan|oleh|karena|sebagai)\b)[a-z]+ (?:apa|mana)|apa nama|nama \w+ apa)\b"
                r"|^which (?!(?:is|are|was|were|do|does|did|has|have|had|will|would|can|could)\b)[a-z]+\b", re.I),
     "name"),
]


@dataclass(frozen=True)
class Question:
    text: str
    lang: str  # "en" | "id"
    kind: str  # "what_said" | "who_said" | "fact"
    person: str | None = None  # who, for what_said ("Dalton"); a pronoun means "the last speaker"
    topic: str | None = None  # what about, when the question narrows it
    expects: str | None = None  # "date" | "number" | "place" | "person" | "name" (of a party, a company, …)
    office: tuple[str, ...] = ()  # asked only who holds an office: its office words ("wakil", "menteri")
    role: str | None = None  # who_said: what the speaker is ("BPS deputy", "at Bank Indonesia")
    thing: str | None = None  # what_said: what X is asked to have put into words ("range", "analogy")

    @property
    def one_speaker(self) -> bool:
        """A who-said question naming one speaker's role ("Which BPS deputy said …", "Siapa juru bicara
        KPK yang …"), not several ("Which analysts …", "Siapa para analis yang …", "analis-analis")."""
        if not self.role:
            return False
        first, head = fold(self.role.split()[0]), fold(self.role.split()[-1])
        if self.lang == "en":  # a plural head noun
            return not (head.endswith("s") and not head.endswith(("ss", "us", "is")))
        # "para analis", "analis-analis": a plural marker or a reduplicated noun
        return not (first in wordlist("plural", ("id",)) or re.search(r"\b(\w+)-\1\b", self.role))

    @property
    def person_is_pronoun(self) -> bool:
        return bool(self.person) and fold(self.person) in _PRONOUNS

    @property
    def focus(self) -> str:
        """The part to match against the articles' text."""
        if self.kind == "what_said":
            return self.topic or ""
        if self.kind == "who_said":  # the speaker's role is matched too: "kata Juru Bicara KPK Febri Diansyah"
            return " ".join(part for part in (self.role, self.topic) if part) or self.text
        return self.text


class QuestionError(ValueError):
    """A question that is not answered at all: empty, or longer than the limit."""


PERSON_WORDS = 6  # a person asked about by name alone
TITLED_PERSON_WORDS = 12  # … with the role and employer that news copy puts before the name


def _names_a_person(head: str, lang: str) -> bool:
    """Whether ``head`` (what a "what did … say" question asks about) reads as a person: a few words,
    or a role and its organisation ending in a name ("Kepala Perwakilan BI DKI Jakarta Doni P Joewono")."""
    tokens = words(head)
    if len(tokens) <= PERSON_WORDS:
        return bool(tokens)
    if len(tokens) > TITLED_PERSON_WORDS:
        return False
    runs = name_runs(head, lang)
    return bool(runs) and fold(runs[-1][-1]) == fold(_POSSESSIVE.sub("", tokens[-1]))


def check_question(text: str, max_chars: int) -> str:
    """The question, stripped, or QuestionError; cheap, so callers run it before any other work."""
    if len(text) > max_chars:
        raise QuestionError(f"the question is {len(text):,} characters long; the limit is {max_chars:,} (WARTA_MAX_QUESTION_CHARS)")
    question = text.strip()
    if not question:
        raise QuestionError("the question is empty")
    return question


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().strip("?!.。").strip()


def parse_question(text: str, *, as_fact: bool = False) -> Question:
    """What ``text`` asks; ``as_fact``: read as a fact question whatever its form."""
    q = _clean(text)
    lang = detect_language(q)
    plain = _PARTICLE.sub(r"\1", q)  # "Siapakah …", "Berapakah …": the question word without its particle
    for pattern in [] if as_fact else _WHAT_SAID_RE:
        m = pattern.match(q)
        if m:
            who = _clean(m.group("who")).strip(" ,;:")
            who = re.sub(r"^(?:the |si |sang |oleh )", "", who, flags=re.I)
            topic = " ".join(part for part in (m.groupdict().get("noun"), m.groupdict().get("topic")) if part)
            parts = _WHO_END.split(who, maxsplit=1)
            if len(parts) == 2:
                who, topic = parts[0], parts[1] + (" " + topic if topic else "")
            topic = _without_time(_clean(_TOPIC_LEAD.sub("", topic or ""))) or None
            # A person is a few words, more when a role leads to the name that ends them ("Plt Direktur
            # Jenderal Migas Djoko Siswanto"); what is said of them after the name ("of the … campaign") aside.
            if who and _names_a_person(_AFFILIATION.split(who, maxsplit=1)[0], lang):
                # "What range did X give …", "… say about how much revenue …": a statement stating a figure.
                asked = next((kind for text in (q, topic or "") for pattern, kind in _EXPECTS
                              if kind in ("date", "number") and pattern.match(text)), None)
                return Question(q, lang, "what_said", person=who, topic=topic, thing=m.groupdict().get("noun"),
                                expects=asked)
    for pattern in [] if as_fact else _WHO_SAID_RE:
        m = pattern.match(plain)
        if m:
            topic = _clean(re.sub(r"^(?:that|bahwa)\s+", "", _clean(m.group("topic")), flags=re.I))
            role = _without_frame(_clean(m.groupdict().get("role") or "").strip(" ,")) or None
            return Question(q, lang, "who_said", topic=topic or None, expects="person", role=role)
    # The question word opens the question, or the clause after a fronted phrase ("Pada kondisi normal, berapa …").
    openings = [plain] + [part.strip() for part in plain.split(",")[1:2]]
    expects = next((kind for opening in openings for pattern, kind in _EXPECTS if pattern.match(opening)), None)
    return Question(q, lang, "fact", expects=expects, office=office_asked(plain) if expects == "person" else ())


def _without_frame(role: str) -> str:
    """A speaker's role without the words framing the question around it ("nama hakim" -> "hakim")."""
    parts = role.split()
    while parts and fold(parts[0]) in wordlist("office_frame"):
        parts = parts[1:]
    return " ".join(parts)


_OFFICE_NAME_PART = re.compile(r"^(?:[A-Z]|\d+$|[IVXL]+$)")  # a capitalised word, a number, a roman numeral ("Komisi VI")


def office_asked(question: str) -> tuple[str, ...]:
    """The office words of a question that asks only who holds an office: "Siapa nama Wakil Menteri
    Kesehatan Irak saat ini?" -> ("wakil", "menteri"); "Who is the Mayor of Surabaya?" -> ("mayor",).
    Past the question word, the question holds nothing but an office, the name of what it heads and
    the words framing it (``office_frame``); its office words are written out ("Dirjen" -> "direktur",
    "jenderal"). () for any other question ("Siapa Dirjen … yang menjelaskan subsidi …?")."""
    tokens = words(question)
    frame = wordlist("office_frame")
    i = 0
    while i < len(tokens) and (fold(tokens[i]) in _QUESTION_WORDS or fold(tokens[i]) in frame):
        i += 1
    if i == 0:
        return ()
    asked: list[str] = []  # the first run of office words: "Wakil Menteri" of "Wakil Menteri Kesehatan (Wamenkes)"
    run_open = True
    for token in tokens[i:]:
        low = fold(token)
        if low in OFFICES:
            if run_open:
                asked.append(token)
        elif _OFFICE_NAME_PART.match(token) or low in frame:
            run_open = not asked
        else:
            return ()
    return tuple(office_words(asked))


_QUESTION_WORDS = word_list("question_words_id") | word_list("question_words_en")


_TIME_LEAD = re.compile(r"(?:\b(?:on|in|at|during|early|late|mid|pada|awal|akhir|pertengahan|tanggal|hari)\s+)+$", re.I)
_AFTER_LEADING_TIME = re.compile(r",?\s+(?:about|on|regarding|concerning|tentang|soal|mengenai|terkait)\s+", re.I)


def _without_time(topic: str) -> str:
    """A what-said topic without the time it was said ("on 28 July 2020 about the Fed's bond buying",
    "the gold outlook on 1 November 2021"): when, not what; a statement rarely repeats its date.
    The period itself is weighed against the article's date (retrieval.periods)."""
    named = [p for p in periods(topic) if p.grain in ("day", "month")]  # a quarter or year is what, not when
    rest = topic
    if named and named[-1].end >= len(topic.rstrip(" ,.")):
        lead = _TIME_LEAD.search(topic, 0, named[-1].start)
        rest = topic[: lead.start() if lead else named[-1].start].rstrip(" ,")
    prefix = topic[: named[0].start] if named else ""
    if named and (not prefix.strip() or _TIME_LEAD.fullmatch(prefix)):
        after = _AFTER_LEADING_TIME.match(rest, named[0].end)
        if after:
            rest = rest[after.end():]
    return rest if words(rest) else topic


def proper_names(text: str) -> list[str]:
    """Capitalised words of a question that are not question or function words ("Dalton", "Jakarta")."""
    out = []
    for i, word in enumerate(words(text)):
        if word[:1].isupper() and fold(word) not in STOPWORDS and not (i == 0 and fold(word) in _SENTENCE_STARTERS):
            out.append(word)
    return out


_SENTENCE_STARTERS = {"and", "so", "then", "lalu", "dan", "jadi", "kalau", "please", "tolong", "sebutkan", "jelaskan",
                      "list", "name", "describe", "explain", "give", "berikan"}


# ------------------------------------------------------------------ names, by the rules of writing

_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s$")  # "Mulyani's": no part of the name
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]+s?$")  # "KPK", "VAT", "SMEs"
_INITIAL = re.compile(r"^[A-Z]$")  # "Sony D Kuncoro", "Albert C. Sutanto"
_SENTENCE_END = ".!?:;…"
_OPENERS = "\"'“‘«([ "


def name_runs(text: str, lang: str | None = None, *, whole_question: bool = False) -> list[list[str]]:
    """The names a text mentions, each as its run of words (["Gerhard", "Schröder"]).

    A name is a run of capitalised words that are not common words of the text's language (function
    and question words, titles, dictionary words: ``text.tokens.common_word``), with nothing but
    spaces between them. Titles stand outside it ("Kanselir Gerhard Schröder" names Gerhard
    Schröder); initials join a run but are no name alone. Capitals that the rules of writing put
    there say nothing: in a whole question a sentence's first word alone is no name ("Berapakah …",
    "Tridanau terletak di mana?"), and an upper-case or title-cased text marks no names at all. In an
    English text an initialism (up to three letters, spelt out letter by letter) is no name by itself
    either: Indonesian articles use their own ("VAT" is "PPN", "SOE" is "BUMN"), while acronyms read
    as words ("NATO", "FIFA") are names in both languages."""
    lang = lang or detect_language(text)
    tokens = [(m.start(), m.end(), _POSSESSIVE.sub("", m.group())) for m in _TOKEN.finditer(text)]
    if _capitals_say_nothing([t for _, _, t in tokens]):
        return []
    runs: list[list[str]] = []
    current: list[str] = []
    opened_sentence = False
    trailing = False  # the run ends in a dictionary word
    for index, (start, _end, token) in enumerate(tokens):
        previous = tokens[index - 1] if index else None
        gap = text[previous[1] : start] if previous else ""
        joined = previous is not None and (gap.isspace() or (_INITIAL.match(previous[2]) and gap.strip() == "."))
        if current and not joined:
            runs.append(_close(current, opened_sentence, whole_question))
            current = []
        if not current:
            trailing = False
        if _INITIAL.match(token):
            if current:
                current.append(token)
            continue
        if current and _dictionary_word_in_name(token) and not _is_name_word(token, lang):
            # "Andy Noorsaman Someng", "Emma Sri Martini": a name's later words may be dictionary words
            current.append(token)
            trailing = True
            continue
        if not _is_name_word(token, lang):
            if current:
                runs.append(_close(current, opened_sentence, whole_question))
                current = []
            continue
        if trailing:  # a name after it ("Beijing Winter Olympics"): two names, each known or not on its own
            runs.append(_close(current, opened_sentence, whole_question))
            current = []
        trailing = False
        if not current:
            opened_sentence = _opens_sentence(text, start, previous)
        current.append(token)
    if current:
        runs.append(_close(current, opened_sentence, whole_question))
    return [run for run in runs if run]


def _is_name_word(token: str, lang: str) -> bool:
    if not token[:1].isupper() or _ROMAN.match(token):
        return False  # a Roman numeral ("Komisi VI", "PON XVII") is a number
    if _ACRONYM.match(token) and lang == "en" and len(token.rstrip("s")) <= 3:
        return False  # an initialism ("VAT", "SOE", "EU"): Indonesian has its own ("PPN", "BUMN", "UE")
    # A word of either language's dictionary is capitalised as part of a name, not one by itself
    # ("Kejuaraan Dunia", "Mandala Airlines" in an Indonesian question).
    return not all(common_word(part, lang) or common_word(part, _OTHER[lang]) for part in token.split("-") if part)


def _dictionary_word_in_name(token: str) -> bool:
    """A capitalised word after a name's words that is a dictionary word, not a function word, a title
    or a day or month ("Sri Mulyani Kamis")."""
    folded = fold(token)
    return (token[:1].isupper() and not token.isupper() and not _ROMAN.match(token) and not closed_class_word(token)
            and folded not in _CALENDAR)


_CALENDAR = calendar_words("month") | calendar_words("weekday")


_OTHER = {"id": "en", "en": "id"}
_ROMAN = re.compile(r"^(?=[IVX]{2,}$)X{0,3}(?:IX|IV|V?I{0,3})$")


def _opens_sentence(text: str, start: int, previous) -> bool:
    """Whether the word at ``start`` is the first of a sentence (so capitalised whatever it is); a
    full stop after an initial or a short title ("C.", "Dr.") ends no sentence."""
    if previous is None:
        return True
    before = text[previous[1] : start].strip(_OPENERS)
    if not before or before[-1] not in _SENTENCE_END:
        return False
    return not (before == "." and (_INITIAL.match(previous[2]) or (len(previous[2]) <= 4 and fold(previous[2]) in
                                                                   STOPWORDS | ABBREVIATIONS)))


def _close(run: list[str], opens_sentence: bool, whole_question: bool) -> list[str]:
    """A finished run: trailing initials dropped; in a whole question a one-word run that opens a
    sentence is dropped (capitalised by the rules of writing)."""
    while run and _INITIAL.match(run[-1]):
        run = run[:-1]
    if whole_question and opens_sentence and len(run) == 1:
        return []
    return run


def _capitals_say_nothing(tokens: list[str]) -> bool:
    """Upper-case or title-cased text ("WHAT DID THE MINISTER SAY", "What Did The Minister Say")."""
    letters = [t for t in tokens if t[:1].isalpha()]
    if len(letters) >= 3 and all(t.isupper() for t in letters):
        return True
    return sum(1 for t in letters[1:] if t[:1].isupper() and fold(t) in STOPWORDS) >= 2


_AFFILIATION = re.compile(r"\s*(?:,|\(|\bof\b|\bfrom\b|\bat\b|\bspeaking\b|\bdari\b|\bselaku\b)", re.I)


def person_mentions(who: str, lang: str | None = None) -> list[str]:
    """The ways to look a person up, most specific first: as asked ("BI Governor Agus Martowardojo"),
    then the name without what is said of it (titles and employers before it, "of the Finance
    Ministry" or ", speaking for …" after it): the last name run and its shorter tails of two words
    or more ("Agus Martowardojo"; a surname alone is matched as asked, by ``speaker_matches``)."""
    lang = lang or detect_language(who)
    out = [who]
    head = _AFFILIATION.split(who, maxsplit=1)[0].strip()
    runs = [run for run in name_runs(head, lang) if any(not w.isupper() for w in run)]
    if not runs:  # the role came first: "the Director General of Electricity, Andy Someng"
        runs = [run for run in name_runs(who, lang) if any(not w.isupper() for w in run)]
    if runs:
        run = runs[-1]
        out += [" ".join(run[i:]) for i in range(max(len(run) - 1, 1)) if not _INITIAL.match(run[i])]
    # The capitalised words that end it, and their tails of two words or more: a name whose words are
    # all dictionary words too ("Menteri ESDM Arifin Tasrif": "Arifin Tasrif").
    tail = _CAPITALISED_TAIL.search(head)
    if tail:
        stretch = tail.group().split()
        out += [" ".join(stretch[i:]) for i in range(len(stretch) - 1)
                if not closed_class_word(stretch[i]) and not _INITIAL.match(stretch[i])]
    return list(dict.fromkeys(m for m in out if m))


_CAPITALISED_TAIL = re.compile(r"(?:\b[A-Z][\w.'’-]*\s+)*[A-Z][\w'’-]*$")
