"""The answer first for a "who" question: the one person the cited German sentence names,
in the reader's spelling ("Who welcomed Putin?" -> "Alexander Lukashenko.").

Deterministic, like the value leads (index.answer.lead): the name is copied from the
cited sentence, told from its nouns with the Ding dictionary's senses, and given the
spelling of the sentence's English rendering (or the English transcription), so the
lead can say nothing the sentence does not. When the sentence may name someone else,
or the asked-for person is not named, there is no lead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from index.answer.neighbours import neighbours
from index.text.names import has_noun_ending, mentions, same_name, without_possessive
from index.text.tokens import FUNCTION_WORDS, fold, words
from index.text.transliteration import respelled
from index.types import Evidence

# A question whose answer is a person: "Who welcomed Putin?", "Mit wem sprach er?",
# "Which expert ...?", "Wie heißt der Kommandant?", "Who is the Belarusian ruler?".
# "Who is Lisa Gürth?" asks what a named person is, not for a name.
PERSON_NOUNS = (
    r"person|man|woman|expert|commander|journalist|reporter|author|spokes(?:man|woman|person)|"
    r"politician|leader|minister|president|analyst|diplomat|officer|ruler|chancellor|"
    r"mann|frau|experten?|expertin|kommandant(?:en)?|kommandeur|journalistin|autor|autorin|"
    r"sprecher|sprecherin|politiker|politikerin|präsident(?:en)?|präsidentin|ministerin|"
    r"analystin|offizier|machthaber|kanzler|kanzlerin"
)
_AUXILIARY = (
    r"(?:did|does|do|is|was|are|were|has|have|had|will|would|can|could|should|may|might|must)"
)
_PERSON_QUESTION = re.compile(
    r"^\s*(?:(?:and|und|with|by|for|from|to|mit|von|an|für|bei|zu|gegen|über)\s+)?"
    r"(?:who|whom|wer|wen|wem)\b"
    rf"|^\s*(?:which|what|welche[rnms]?)\s+(?:(?!{_AUXILIARY}\b)[\w-]+\s+){{0,2}}"
    rf"(?:{PERSON_NOUNS})\b"
    r"|\b(?:what(?:'s| is| was) the name of(?: the)?|wie hei(?:ß|ss)t|wie hie(?:ß|ss))\s+"
    rf"(?:der\s+|die\s+)?(?:[\w-]+\s+){{0,2}}(?:{PERSON_NOUNS})\b",
    re.IGNORECASE,
)
# "Who is Lisa Gürth?", "Who's Lukashenko?", "Wer ist Dmitri Peskow?": nothing but a name.
_WHO_IS_NAME = re.compile(
    r"^\s*(?:who|wer)(?:'s|\s+(?:is|was|are|were|ist|war|sind|waren))"
    r"(?:\s+(?-i:[A-ZÄÖÜ])[\w'’-]*)+\s*[?.!]?\s*$",
    re.IGNORECASE,
)
# The phrase that describes the asked-for person ("the Belarusian ruler", "Kommandant").
_ASKED = re.compile(
    r"^\s*(?:who|wer)(?:'s|\s+(?:is|was|ist|war))\s+(?:the|der|die)\s+(?P<a>.+)$"
    rf"|\b(?:which|welche[rnms]?)\s+(?P<b>(?:[\w-]+\s+){{0,2}}(?:{PERSON_NOUNS}))\b"
    r"|\b(?:name of|hei(?:ß|ss)t|hie(?:ß|ss))\s+(?:the\s+|der\s+|die\s+)?(?P<c>.+)$",
    re.IGNORECASE,
)
_PRONOUN_SUBJECT = frozenset({"er", "sie", "es", "he", "she", "they"})
_AGENT = frozenset({"von", "vom"})  # "Er wurde von ... Lukaschenko empfangen"
_RUN = re.compile(r"[A-ZÄÖÜ][\w'’-]*(?: [A-ZÄÖÜ][\w'’-]*)*")
Senses = Callable[[str], tuple[str, ...] | None]  # a word's dictionary senses; None: unknown


def asks_for_person(question: str) -> bool:
    """True for a question whose answer is a person's name."""
    return _WHO_IS_NAME.match(question) is None and _PERSON_QUESTION.search(question) is not None


def _common_noun(word: str, senses: Senses) -> bool:
    """A word the dictionary knows as a word other than itself (Machthaber = ruler), or a
    compound ending in one (Kremlsprecher: Sprecher, Truppenverbund: Verbund)."""
    found = senses(word)
    if found and any(sense.lower() != word.lower() for sense in found):
        return True
    if found:
        return False  # known only as itself: a place (Minsk = Minsk)
    for cut in range(3, len(word) - 4):
        tail = word[cut:].capitalize()
        known = senses(tail)
        if known and any(sense.lower() != tail.lower() for sense in known):
            return True
    return False


def _function_word(word: str) -> bool:
    return word.lower() in FUNCTION_WORDS or fold(word) in FUNCTION_WORDS


def _name_part(word: str, senses: Senses) -> bool:
    return (
        "-" not in word
        and not _function_word(word)
        and not has_noun_ending(word)
        and not _common_noun(word, senses)
    )


def titled_names(sentence: str, senses: Senses) -> list[tuple[str, tuple[str, ...], int]]:
    """The people a German sentence names, each with the capitalised title words before
    the name and the name's position in the sentence's words ("Machthaber Alexander
    Lukaschenko empfing ihn" -> [("Alexander Lukaschenko", ("Machthaber",), 1)]).

    A name is a run of capitalised words that are not common nouns (the dictionary
    knows them as other words, or they end in one: Kremlsprecher), not hyphenated
    (Kreml-Chef, Friedrich-Ebert-Stiftung), not with a German noun ending. Two words or
    more make a full name; a lone one the dictionary lacks (findet Gürth) is a name too,
    since it may be a person; a lone one it knows as itself is a place (Minsk).
    """
    found: list[tuple[str, tuple[str, ...], int]] = []
    for run in _RUN.finditer(sentence):
        parts = [without_possessive(word) for word in run.group(0).split()]
        name: list[str] = []
        for word in reversed(parts):
            if not _name_part(word, senses):
                break
            name.insert(0, word)
        if not name or (len(name) == 1 and senses(name[0])):
            continue
        before = parts[: len(parts) - len(name)]
        title = before[max((i + 1 for i, w in enumerate(before) if _function_word(w)), default=0) :]
        position = len(words(sentence[: run.start()])) + len(before)
        found.append((" ".join(name), tuple(title), position))
    return found


def names_someone_new(question: str, sentence: str, senses: Senses) -> bool:
    """True when a German sentence names in full a person the question does not name: a
    sentence that can answer "Who ...?" ("Er wurde von ... Alexander Lukaschenko
    empfangen" for "Who received Putin?", not "... traf sich ... Wladimir Putin ...").
    A lone surname ("findet Gürth") is someone named before: no answer to "who"."""
    return any(
        " " in name and not any(mentions(question, part) for part in name.split())
        for name, _title, _position in titled_names(sentence, senses)
    )


# "Who is Lisa Gürth's superior?", "Who is the spokesman of Putin?", "Wer ist der Chef
# von Lisa Gürth?": someone related to a named person, so not that person.
_RELATION = re.compile(
    r"^\s*(?:(?:and|und)\s+)?(?:who|whom|wer|wen|wem)\b.*?"
    r"(?:\b(?-i:[A-ZÄÖÜ])[\w-]*(?:'s|’s)\s+(?P<a>(?-i:[a-z])[\w-]*)"
    r"|\b(?:the|der|die|den|dem)\s+(?P<b>[\w-]+)\s+(?:of|von|vom)\s+(?-i:[A-ZÄÖÜ]))",
    re.IGNORECASE,
)
# Relations that may be a body or a country rather than a person ("Who is Lisa Gürth's
# employer?": the foundation; "Who is Putin's ally?": Belarus as much as Lukashenko).
_NOT_ONLY_PEOPLE = re.compile(
    r"(?:employers?|arbeitgeber|organi[sz]ations?|foundation|stiftung|part(?:y|ies)|"
    r"partei|countr(?:y|ies)|land|company|firma|institute?|government|regierung|"
    r"all(?:y|ies)|verbündete[nr]?|partners?|partnerin)",
    re.IGNORECASE,
)


def asks_for_a_relation(question: str) -> bool:
    """True for a who question about a person related to a named person ("Who is Lisa
    Gürth's superior?", "Wer ist der Sprecher von Putin?"); not when the relation may
    be a body or a country ("Who is her employer?", "Who is Putin's ally?")."""
    found = _RELATION.search(question)
    return found is not None and not _NOT_ONLY_PEOPLE.fullmatch(found["a"] or found["b"])


def no_related_person(question: str, sentence: str, senses: Senses) -> bool:
    """True when `sentence` cannot answer a who question about someone related to a
    named person: it names in full nobody the question does not name ("Lisa Gürth ist
    stellvertretende Leiterin ..." for "Who is Lisa Gürth's superior?")."""
    return asks_for_a_relation(question) and not names_someone_new(question, sentence, senses)


def _title_in(title: Sequence[str], text: str, senses: Senses) -> bool:
    """True when `text` holds a title word or all words of one of its senses."""
    asked = {fold(word) for word in words(text)}
    for word in title:
        for meaning in (word, *(senses(word) or ())):
            meaning_words = {fold(part) for part in words(meaning)}
            if meaning_words and meaning_words <= asked:
                return True
    return False


_ROLE = re.compile(rf"\b({PERSON_NOUNS})\b", re.IGNORECASE)
# Words for anyone, not a role a sentence must name ("Which military leader ...?" is
# answered by "Kommandant").
_NO_ROLE = frozenset("person man woman leader mann frau".split())


def _asked_role(phrase: str) -> str:
    """The role noun of the asked-for phrase ("president" in "the Ukrainian president");
    '' for none or a word that names no role (person, man)."""
    found = [match.group(1) for match in _ROLE.finditer(phrase)]
    roles = [word for word in found if fold(word) not in _NO_ROLE]
    return roles[-1] if roles else ""


def _holds_role(role: str, sentence: str, senses: Senses) -> bool:
    """True when a word of the sentence, or one of its senses, is the role ("Kommandant" =
    "commanding officer" for "commander"; "Präsidenten" for "Präsident")."""
    folded = fold(role)
    stem = folded[: max(5, len(folded) - 3)]
    for word in words(sentence):
        forms = [word, *(senses(word) or ())]
        for form in forms:
            if any(fold(part).startswith(stem) for part in words(form)):
                return True
    return False


def _asked_phrase(question: str) -> str:
    """The phrase that describes the asked-for person (`_ASKED`), or ''."""
    match = _ASKED.search(question)
    return next((group for group in match.groups() if group), "") if match else ""


def lacks_asked_role(question: str, sentences: Sequence[str], senses: Senses) -> bool:
    """True when a question asks for a person by a role ("What is the name of the
    Belarusian defence minister?") and none of `sentences` holds that role: a sentence
    naming a press secretary does not name the minister, however close it is."""
    if not asks_for_person(question):
        return False
    role = _asked_role(_asked_phrase(question))
    return bool(role) and not any(_holds_role(role, sentence, senses) for sentence in sentences)


def _spelled_as(name: str, text: str, known: Callable[[str], bool]) -> str:
    """`name` as `text` (the reader's rendering of the sentence) spells it: its parts as
    consecutive words there ("Wladimir Putin" in "... Vladimir Putin ..." -> "Vladimir
    Putin"); else each part in the English transcription."""
    parts = name.split()
    found = [without_possessive(word) for word in words(text)]
    for start in range(len(found) - len(parts) + 1):
        window = found[start : start + len(parts)]
        if all(w[:1].isupper() and same_name(w, p) for w, p in zip(window, parts, strict=True)):
            return " ".join(window)
    return " ".join(respelled(part, known) for part in parts)


def person_lead(
    question: str, sentence: str, language: str, senses: Senses, rendering: str = ""
) -> str:
    """'Alexander Lukashenko' for "Who welcomed Putin?": the one person the cited German
    sentence names in full that the question does not ask about, in the reader's
    spelling (as the sentence's `rendering` spells it, else transcribed); else ''.

    No lead when the sentence names another possible person (a lone surname counts), or
    opens with a pronoun as its subject ("Sie ... verweist auf Dmitri Peskow": "Sie" is
    the answer, not Peskow) unless the name is the agent ("Er wurde von ... empfangen").
    A person whose title the question uses ("Who is the Belarusian ruler?") is the one
    asked for; a title elsewhere in the question ("Who speaks for the Russian
    president?") marks the person asked about, not the answer.
    """
    if language not in ("en", "de") or not asks_for_person(question):
        return ""
    sentence_words = [fold(word) for word in words(sentence)]
    phrase = _asked_phrase(question)
    people: list[tuple[str, bool]] = []  # (name, its title is the asked-for phrase)
    for name, title, position in titled_names(sentence, senses):
        if any(mentions(question, part) for part in name.split()):
            continue  # the question names this one
        pronoun_subject = sentence_words[:1] and sentence_words[0] in _PRONOUN_SUBJECT
        if pronoun_subject and not _AGENT & set(sentence_words[max(0, position - 4) : position]):
            return ""
        described = bool(phrase) and _title_in(title, phrase, senses)
        if not described and _title_in(title, question, senses):
            continue  # "for the Russian president" against "Präsident Wladimir Putin"
        people.append((name, described))
    if people and not any(described for _, described in people):
        role = _asked_role(phrase)
        if role and not _holds_role(role, sentence, senses):
            return ""  # "Wie heißt der ukrainische Präsident?" against "Najew, Kommandant"
    chosen = [name for name, described in people if described] or [name for name, _ in people]
    if len(chosen) != 1:
        return ""
    if " " not in chosen[0]:
        return ""  # a lone surname: too weak to lead with
    if language == "en":
        return _spelled_as(chosen[0], rendering, lambda word: senses(word) is not None)
    return chosen[0]


def with_named_neighbour(
    question: str, chosen: Sequence[Evidence], ranked: Sequence[Evidence], senses: Senses
) -> list[Evidence]:
    """For a who question whose best sentence names nobody new: `chosen` with the
    sentence right after or before it that does, in the article's order ("Wer gilt als
    letzter treuer Partner Putins?": "... traf sich Kreml-Chef Wladimir Putin mit seinem
    letzten treuen Verbündeten ..." is followed by "Er wurde von dem belarussischen
    Machthaber Alexander Lukaschenko ... empfangen."); unchanged otherwise."""
    if not chosen or not asks_for_person(question):
        return list(chosen)
    best, rest = chosen[0], list(chosen[1:])
    if names_someone_new(question, best.text, senses):
        return list(chosen)
    before, after = neighbours(best, ranked)
    if after is not None and names_someone_new(question, after.text, senses):
        return [best, after, *(item for item in rest if item != after)]
    if before is not None and names_someone_new(question, before.text, senses):
        return [before, best, *(item for item in rest if item != before)]
    return list(chosen)
