"""Polarity: negation, yes/no questions and "Yes"/"No" openings, in German and English."""

from __future__ import annotations

import re

from index.text.language import detect_language
from index.text.tokens import fold, words


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The German words that negate by their meaning, not by "nicht" or "kein", with their
# English sense: they negate (below), and a translator's glossary names them, since a
# weak translator drops them ("Lange hat Putin Auslandsreisen gemieden" rendered "...
# made official trips").
_NEGATION_SENSES = {
    "meiden": "avoid",
    "mied": "avoided",
    "mieden": "avoided",
    "gemieden": "avoided",
    "vermied": "avoided",
    "vermieden": "avoided",
    "bestritt": "denied",
    "bestritten": "denied",
    "bestreitet": "denies",
    "bestreiten": "deny",
    "dementiert": "denied",
    "dementierte": "denied",
    "lehnte": "rejected",
    "lehnten": "rejected",
    "lehnt": "rejects",
    "abgelehnt": "rejected",
    "ablehnen": "reject",
    "abtat": "dismissed",
    "abgetan": "dismissed",
    "kaum": "hardly",
    "wenig": "little",
    "wenige": "few",
}
_NEGATIONS = _wordset(
    "no not never none nothing nobody neither nor without cannot deny denies denied denying "
    "refuse refuses refused reject rejects rejected dismiss dismisses dismissed little few "
    "hardly barely unlikely avoid avoids avoided avoiding "
    "nein nicht kein keine keinen keinem keiner keines nie niemals nichts niemand weder ohne"
) | frozenset(_NEGATION_SENSES)
_ENGLISH_AUXILIARIES = _wordset(
    "do does did is are was were will would can could has have had should shall may might must"
)
_ENGLISH_WH = _wordset("what who whom whose which when where why how")
# German yes/no questions start with the verb; every other question has a W-word early.
_GERMAN_WH = _wordset(
    "wer was wann wo wie warum wieso weshalb weswegen welche welcher welches welchen welchem "
    "wem wen wessen woher wohin womit wofuer worueber wozu worauf wovon woran wodurch wogegen "
    "inwiefern inwieweit"
)
_GERMAN_PREPOSITIONS = _wordset(
    "fuer in im mit nach von vom seit bei ueber unter auf an aus gegen um laut zu zum zur"
)
# No yes/no question starts with these: "Und über die Bevölkerung?" names a topic.
_NO_VERB_FIRST = _GERMAN_PREPOSITIONS | _wordset(
    "der die das den dem des ein eine einen einem einer eines"
)
_CONJUNCTIONS = _wordset("und aber oder denn and but or")


# Negation words in phrases that affirm: "Man dürfe nicht vergessen, dass Belarus der
# einzige Verbündete ist" says that Belarus is; "not only X but Y" says X and Y.
# English says it in more ways ("must not forget", "cannot forget", "don't forget", "it
# is not permissible to forget"): a negation up to two words before "forget".
_AFFIRMING = re.compile(
    r"\b(nicht (zu )?vergessen|nicht nur|nicht zuletzt|keine?n? zweifel|"
    r"(not|never|cannot)( \w+){0,2} forget|not only|no doubt|not least)\b"
    r"|n['’]t( \w+)? forget\b",
    re.IGNORECASE,
)


def negation_senses(text: str) -> list[tuple[str, str]]:
    """The words of a German text that negate by their meaning, with their English sense
    ("gemieden" -> "avoided"), in order, each once; "nicht" and "kein" are left out."""
    found: dict[str, tuple[str, str]] = {}
    for word in words(text):
        sense = _NEGATION_SENSES.get(fold(word))
        if sense is not None:
            found.setdefault(fold(word), (word, sense))
    return list(found.values())


def is_negated(text: str) -> bool:
    """True when the text contains a negation (not, kein, bestritt, little, ...), not
    counting phrases that affirm ("nicht nur", "not to forget")."""
    for word in words(_AFFIRMING.sub(" ", text)):
        folded = fold(word)
        if folded in _NEGATIONS or folded.endswith(("n't", "n’t")):
            return True
    return False


# "X, nicht aber Y": the negation sets Y apart and affirms X ("Die belarussische Regierung
# sei der wichtigste Verbündete Russlands ..., nicht aber die belarussische Bevölkerung");
# Y runs from the comma to the next punctuation mark.
_EXCLUSION = re.compile(r",\s*(nicht (aber|jedoch)|but not)\b[^,;:.!?]*", re.IGNORECASE)


# A quotation of more than six words is a statement of its own. Framed by a verb of
# saying ("..., sagt Gürth", "Peskow erklärte: ...") or standing nearly alone, it is what
# the sentence says; framed otherwise, it is evidence for the frame's claim, and its
# negation is not the sentence's: "..., deswegen habe Lukaschenko mit dieser Aussage ...
# sicher recht: "Wenn jemand meint, uns ... auseinanderreißen zu können, dann wird das
# nicht funktionieren."" says that Lukashenko is right.
_QUOTATION = re.compile(r"[\"„“»«]([^\"„“”»«]+)[\"“”«»]")
_LONG_QUOTE_WORDS = 6
_FRAME_WORDS = 6
_SAYING = _wordset(
    "sagt sagte sagten sagen meint meinte meinten erklärt erklärte erklärten betont betonte "
    "so hieß heißt findet fand analysiert analysierte schreibt schrieb warnt warnte "
    "says said say told tells added adds wrote writes explained stressed warned"
)


def without_framed_quotes(text: str) -> str:
    """The text without its long quotations when a frame that is no attribution holds
    them (see _QUOTATION's comment); else the text as it is."""
    long_quotes = [
        found
        for found in _QUOTATION.finditer(text)
        if len(words(found.group(1))) > _LONG_QUOTE_WORDS
    ]
    if not long_quotes:
        return text
    frame = text
    for found in reversed(long_quotes):
        frame = frame[: found.start()] + " " + frame[found.end() :]
    framing = [fold(word) for word in words(frame)]
    if len(framing) <= _FRAME_WORDS or any(word in _SAYING for word in framing):
        return text
    return frame


def negates_its_claim(text: str) -> bool:
    """True when the text negates what it states (is_negated), not only something it sets
    apart ("..., nicht aber die Bevölkerung" affirms the rest) or a statement it quotes
    as evidence (`without_framed_quotes`)."""
    return is_negated(_EXCLUSION.sub(" ", without_framed_quotes(text)))


# "X, nun Y", "X, aber Y", "X; Y": a new main clause after a comma, led by a word that
# turns to another time or fact and a finite verb ("Lange hat Putin Auslandsreisen
# gemieden, nun ist er ... nach Minsk gereist"). A comma before an infinitive or a
# subordinate clause ("bestritt ..., in den Krieg einzutreten") does not split: the
# negation governs what follows it.
_CONTRAST = re.compile(
    r"(?:,|;|\s[-–])\s+(?=(?:nun|jetzt|inzwischen|mittlerweile|heute|seither|seitdem|doch|"
    r"aber|sondern|now|but|yet)\s+(?:ist|sind|war|waren|hat|haben|hatte|hatten|wird|werden|"
    r"wurde|wurden|kann|können|konnte|konnten|soll|sollen|will|wollen|is|are|was|were|has|"
    r"have|had|will|can|could)\b)",
    re.IGNORECASE,
)


# "Zwar X, aber Y": a concession turns at its "aber" whatever follows ("Bei dem Treffen
# seien zwar militärische Fragen diskutiert worden, so Gürth, aber trotz ... deute darauf
# ... wenig hin"): the "zwar" announces the turn, so no finite verb need follow it.
_CONCESSION = re.compile(r"\bzwar\b.*?(,\s+)(?=(?:aber|doch|jedoch)\b)", re.IGNORECASE | re.DOTALL)


# "X nicht angesprochen und es ging ... um andere Themen": "und" then a pronoun subject and
# its verb opens a new main clause, which the negation before it does not govern ("und
# bestritt ..., einzutreten" shares the subject and stays one clause with its negation).
_NEW_SUBJECT = re.compile(
    r"\s+(?=(?:und|and)\s+(?:es|er|sie|man|wir|ich|it|he|she|they|we|there)\s+"
    r"(?!(?:nicht|not|kein\w*|no)\b)[a-zäöüß]+\b)",
    re.IGNORECASE,
)


def conceded(text: str) -> bool:
    """True when the text concedes before it turns ("zwar X, aber Y")."""
    return _CONCESSION.search(text) is not None


def _conceded(clause: str) -> list[str]:
    """A clause split at the turn of its "zwar ..., aber" (itself without one)."""
    found = _CONCESSION.search(clause)
    if found is None:
        return [clause]
    return [clause[: found.start(1)], clause[found.end(1) :]]


def contrasted_clauses(text: str) -> list[str]:
    """The main clauses a sentence contrasts ("X, nun ist Y" -> [X, "nun ist Y"]; "zwar X,
    aber Y" -> ["zwar X", "aber Y"]; "X und es ging Y" -> [X, "und es ging Y"]); the
    whole text when it has no such turn."""
    return [
        piece
        for part in _CONTRAST.split(text)
        if part.strip()
        for conceded in _conceded(part)
        for piece in _NEW_SUBJECT.split(conceded)
        if piece.strip()
    ]


def set_apart(text: str) -> tuple[str, str] | None:
    """(what the text affirms, what it sets apart) for "X, nicht aber Y" (the first such
    part); None without one."""
    found = _EXCLUSION.search(text)
    if found is None:
        return None
    return text[: found.start()] + text[found.end() :], found.group(0)


# A question about opposing something is negative in meaning without a negation word:
# against "..., nicht aber die Bevölkerung", "Is the population against Lukashenko's
# course?" is a "yes", so a sentence's denial gives no "No" to it.
_OPPOSING = re.compile(
    r"\b(?:against|oppos\w*|reject\w*|gegen|dagegen|ablehn\w*|lehnt\w*|widersetz\w*)\b",
    re.IGNORECASE,
)


def asks_about_opposing(question: str) -> bool:
    """True for a question about opposing something ("against", "reject", "gegen")."""
    return _OPPOSING.search(question) is not None


def is_yes_no_question(question: str) -> bool:
    """True for questions that start with a verb ("Does ...?", "Tritt ...?").

    An English lead-in before a comma is skipped ("According to X, should ...?").
    """
    found = [fold(word) for word in words(question)]
    while found and found[0] in _CONJUNCTIONS:  # "Und tritt ...?" as "Tritt ...?"
        found = found[1:]
    if not found:
        return False
    if detect_language(question) == "de":
        return found[0] not in _NO_VERB_FIRST and not any(word in _GERMAN_WH for word in found[:3])
    if found[0] in _ENGLISH_AUXILIARIES:
        return True
    head, _, rest = question.partition(",")
    after = [fold(word) for word in words(rest)]
    return (
        bool(after)
        and after[0] in _ENGLISH_AUXILIARIES
        and not any(fold(word) in _ENGLISH_WH for word in words(head))
    )


def stance_of(sentence: str) -> str | None:
    """'yes' or 'no' when the sentence opens with Yes/Ja or No/Nein; else None."""
    found = words(sentence)
    if not found:
        return None
    first = fold(found[0])
    if first in ("yes", "ja", "doch"):
        return "yes"
    if first in ("no", "nein"):
        return "no"
    return None


def body_of(sentence: str) -> str:
    """The sentence without a Yes/No opening."""
    return re.sub(r"^\W*(yes|no|ja|nein|doch)\b\W*", "", sentence, flags=re.IGNORECASE)


def without_stance(sentence: str) -> str:
    """A "No, ..." opening removed (it makes no sense for a wh-question), capital restored."""
    if stance_of(sentence) is None:
        return sentence
    body = body_of(sentence)
    return body[:1].upper() + body[1:] if words(body) else sentence


def is_question(text: str) -> bool:
    """True when a sentence of the article is itself a question (it asserts nothing)."""
    return text.rstrip(" \"'“”»«)").endswith("?")
