"""Checks of a rendering (a machine translation) against its German source sentence.

No NLI or translation-quality model exists offline, so a rendering must pass cheap,
explainable checks before anyone sees it:

- form: one English sentence of sensible length;
- numbers: every number of the source, in digits or words ("beiden" is two), is in the
  rendering, and no other number;
- negation: the source and the rendering agree in polarity;
- names: every name of the rendering is in the source (any spelling, exonyms, or a
  dictionary sense of a source word), and every proper name of the source is in the
  rendering, with a nationality in its English spelling and a title before a name
  (Präsident Putin, Republik Belarus) kept;
- cognates: a word the source shares with English (kollektive, collective) is kept;
- meaning: the rendering's embedding is close to the source's (cross-lingual), and a
  translation back into German is close to the source (the round trip).

The similarity checks need an embedder and are in `index.translate.renderer`; the rest
is pure.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from index.text.language import detect_language
from index.text.names import (
    name_candidates,
    name_supported,
    same_name,
    spelling_key,
    vocabulary,
)
from index.text.numbers import claimed_numbers, numbers_in
from index.text.polarity import is_negated
from index.text.tokens import FUNCTION_WORDS, fold, words

# A German word -> its English dictionary senses (empty when unknown).
Senses = Callable[[str], tuple[str, ...]]
_NOUN_ENDINGS = ("ung", "heit", "keit", "schaft", "tion", "tät", "nis", "tum", "ismus", "ment")


def _no_senses(word: str) -> tuple[str, ...]:
    return ()


def form_problems(source: str, rendering: str) -> list[str]:
    """An empty, runaway or non-English rendering."""
    text = rendering.strip()
    if not words(text):
        return ["empty"]
    if "\n" in text:
        return ["more than one line"]
    if len(text) > 2.5 * len(source) + 40:
        return [f"too long ({len(text)} characters for {len(source)})"]
    if len(text) < 0.3 * len(source):
        return [f"too short ({len(text)} characters for {len(source)})"]
    if detect_language(text) != "en":
        return ["not English"]
    return []


def number_problems(source: str, rendering: str) -> list[str]:
    """Numbers changed, dropped or invented (9000 = 9,000 = nine thousand; "die beiden" =
    "the two" = "both")."""
    problems = []
    stated = numbers_in(rendering, with_words=True)
    problems += [
        f"number {n} of the source is missing"
        for n in sorted(claimed_numbers(source), key=float)
        if n not in stated
    ]
    allowed = numbers_in(source, with_words=True)
    problems += [
        f"number {n} is not in the source"
        for n in sorted(claimed_numbers(rendering, with_both=True), key=float)
        if n not in allowed
    ]
    return problems


def negation_problems(source: str, rendering: str) -> list[str]:
    """The rendering says yes where the source says no, or the other way round."""
    if is_negated(source) != is_negated(rendering):
        side = "source" if is_negated(source) else "rendering"
        return [f"negation differs (only the {side} is negated)"]
    return []


def source_names(source: str, senses: Senses = _no_senses, first: bool = False) -> list[str]:
    """Proper names of a German sentence: capitalised words that are not common nouns.

    A capitalised word is a name when the dictionary renders it capitalised (Moskau ->
    Moscow) or does not know it and it does not end like a German noun (Lukaschenko).
    The first word counts only with `first` (a capital there says nothing in a sentence).
    """
    found = []
    for position, word in enumerate(words(source)):
        if position == 0 and not first:
            continue
        if not word[:1].isupper() or word.lower() in FUNCTION_WORDS:
            continue
        if "-" in word:  # Kreml-Chef, Russland-Expertin: check the parts
            found += [
                part for part in word.split("-") if part[:1].isupper() and is_name(part, senses)
            ]
        elif is_name(word, senses):
            found.append(word)
    return found


def is_name(word: str, senses: Senses) -> bool:
    known = senses(word)
    if known:
        return any(sense[:1].isupper() for sense in known)
    if word.lower().endswith(_NOUN_ENDINGS) or len(word) <= 2:
        return False
    # a compound the dictionary lacks whose last part it knows is a noun (Kampftruppe)
    for start in range(3, len(word) - 3):
        tail = senses(word[start:].capitalize())
        if tail and not any(sense[:1].isupper() for sense in tail):
            return False
    return True


def nationality_words(source: str, senses: Senses) -> list[tuple[str, tuple[str, ...]]]:
    """Lower-case words of a German sentence that name a nation or a place, with their
    English forms: the dictionary renders them capitalised and spelled like the word
    itself (belarussischen -> Belarusian, russische -> Russian; not roten -> Reds)."""
    found = []
    for word in words(source):
        if word[:1].isupper() or fold(word) in FUNCTION_WORDS:
            continue
        english = tuple(sense for sense in senses(word) if sense[:1].isupper())
        if any(name_supported(sense, [word]) for sense in english):
            found.append((word, english))
    return found


def _same_stem(first: str, second: str) -> bool:
    """True when two spellings agree up to the shorter one's last letter: a name and its
    adjective (Russia/Russian, Ukraine/Ukrainian), not a misspelling (Belarussian)."""
    a, b = spelling_key(first), spelling_key(second)
    shorter = min(len(a), len(b))
    return shorter >= 4 and a[: shorter - 1] == b[: shorter - 1]


# The last parts of a compound that describes a country (Nachbarland, Mitgliedsstaat).
_COUNTRY_HEADS = ("land", "staat")


def name_titles(source: str, senses: Senses) -> list[str]:
    """Nouns directly before a name, which belong to it: a title or the head of an official
    name (Präsident Putin, Republik Belarus, Kreml-Chef Wladimir Putin).

    A name in -s is taken for a genitive when the dictionary knows it without the -s or
    not at all (Reise Putins, Verbündete Russlands: not part of the name; Republik Belarus
    is). Sentence-initial words are left out: a capital there does not mark a noun. A
    country described by a compound before its name is no title ("das Nachbarland
    Belarus", "Mitgliedsstaat Polen": the name alone says which country, and "no interest
    in annexing Belarus" loses nothing); the name itself is still wanted.
    """
    tokens = source.split()
    found = []
    for position in range(1, len(tokens) - 1):
        title, following = tokens[position], tokens[position + 1]
        if words(title) != [title] or not title[:1].isupper() or not following[:1].isalpha():
            continue
        head, name = title.split("-")[-1], words(following)[0]
        if fold(title) in FUNCTION_WORDS or not head[:1].isupper() or is_name(head, senses):
            continue
        if fold(head).endswith(_COUNTRY_HEADS) and fold(head) not in _COUNTRY_HEADS:
            continue
        if name not in source_names(following, senses, first=True):
            continue
        if name.endswith("s") and (not senses(name) or senses(name[:-1])):
            continue
        found.append(title)
    return found


def name_problems(source: str, rendering: str, senses: Senses | None = None) -> list[str]:
    """Names the rendering invents, and (with a dictionary to tell names from nouns) names
    of the source it drops: proper names, nationalities spelled the English way and
    capitalised, and titles that lead a name."""
    problems = []
    known = vocabulary(source)
    for word in words(source):
        for sense in (senses or _no_senses)(word):
            known.update(words(sense))
    problems += [
        f"name {name!r} is not in the source"
        for name in name_candidates(rendering, "en", context=known)
        if not name_supported(name, known)
    ]
    if senses is None:
        return problems
    rendered = vocabulary(rendering)
    for name in source_names(source, senses):
        forms = [name, *senses(name)]
        if not any(name_supported(form, rendered) for form in forms if words(form)):
            problems.append(f"name {name!r} of the source is missing")
    capitalised = [word for word in rendered if word[:1].isupper()]
    for word, english in nationality_words(source, senses):
        if not any(_same_stem(form, found) for form in english for found in capitalised):
            problems.append(f"name {word!r} of the source is missing (as {' or '.join(english)})")
    for title in name_titles(source, senses):
        head = title.split("-")[-1]
        forms = [head, *(part for sense in senses(head) for part in _content_words(sense))]
        if not any(same_name(form, found) for form in forms for found in rendered):
            problems.append(f"title {title!r} of a name is missing")
    return problems


def _content_words(text: str) -> list[str]:
    return [word for word in words(text) if len(word) >= 3 and fold(word) not in FUNCTION_WORDS]


def _is_cognate(word: str, sense: str) -> bool:
    """True when a German word and its English sense are spelled alike (Republik/republic,
    kollektive/collective, Sanktionen/sanctions), not merely alike at the start."""
    a, b = spelling_key(word), spelling_key(sense)
    common = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    return common >= 5 and common >= min(len(a), len(b)) - 2 and abs(len(a) - len(b)) <= 3


def _kept(form: str, found: str) -> bool:
    """True when a rendered word is `form` in any spelling, or a compound that ends in it
    (a separable verb's particle: "halten ... stand" is rendered "withstand")."""
    key = spelling_key(form)
    return same_name(form, found) or (len(key) >= 4 and spelling_key(found).endswith(key))


def cognate_problems(source: str, rendering: str, senses: Senses) -> list[str]:
    """Words the source shares with English that the rendering drops.

    A faithful rendering keeps a cognate (Republik -> republic, kollektive -> collective)
    or renders it by another of its senses; a rendering without it left something out,
    often part of an official name ("the organization of the treaty" for "Organisation
    des Vertrags über kollektive Sicherheit").
    """
    rendered = vocabulary(rendering)
    problems = []
    for word in dict.fromkeys(words(source)):
        if len(word) < 5 or fold(word) in FUNCTION_WORDS:
            continue
        known = senses(word)
        if not any(len(words(sense)) == 1 and _is_cognate(word, sense) for sense in known):
            continue
        forms = [word, *(part for sense in known for part in _content_words(sense))]
        if not any(_kept(form, found) for form in forms for found in rendered):
            problems.append(f"{word!r} of the source is missing (as {' or '.join(known)})")
    return problems


# A short quotation: a phrase someone said or wrote, in any of the quotation marks a
# German article uses ("alberne und unbegründete Erfindungen", „kein Interesse“).
_QUOTED = re.compile(r"[\"„“»«]([^\"„“”»«]{2,80})[\"“”«»]")
_SHORT_QUOTE_WORDS = 6
_ENDS = ".,;:!?"  # punctuation that may close a quotation inside its marks


def quoted_words(source: str) -> list[str]:
    """The content words of the source's short quotations (six words or fewer; a longer
    one is a whole statement, rendered like the rest): the speaker's own words."""
    found: list[str] = []
    for match in _QUOTED.finditer(source):
        phrase = words(match.group(1))
        if len(phrase) <= _SHORT_QUOTE_WORDS:
            found += [w for w in phrase if len(w) >= 4 and fold(w) not in FUNCTION_WORDS]
    return list(dict.fromkeys(found))


def _stem(word: str) -> str:
    """A crude English stem for comparing a rendering's word with a dictionary sense
    (stories/story, inventions/invention, called/call): at most five letters."""
    lowered = word.lower()
    if lowered.endswith("ies") and len(lowered) > 5:
        lowered = lowered[:-3] + "y"
    else:
        for ending in ("ing", "ed", "es", "s", "ly"):
            if lowered.endswith(ending) and len(lowered) - len(ending) >= 4:
                lowered = lowered[: -len(ending)]
                break
    return lowered[:5]


def _missed_words(phrase: str, rendered: str, senses: Senses) -> list[str]:
    """Content words of a German phrase that `rendered` gives neither as they are nor by
    one of their dictionary senses (words the dictionary lacks pass)."""
    found = {_stem(word) for word in words(rendered)}
    missed = []
    for word in words(phrase):
        if len(word) < 4 or fold(word) in FUNCTION_WORDS:
            continue
        known = senses(word)
        if not known or _stem(word) in found:
            continue
        if not any(_stem(part) in found for sense in known for part in _content_words(sense)):
            missed.append(word)
    return missed


def quote_problems(source: str, rendering: str, senses: Senses) -> list[str]:
    """Words of a short quotation that the rendering gives by none of their dictionary
    senses: a quote rendered in other words misreports what was said ("alberne und
    unbegründete Erfindungen" as "alleged and unexplained inventions"). A word kept as
    it is, or one the dictionary lacks, passes (names, and the name check's business).
    """
    problems = []
    for word in quoted_words(source):
        if _missed_words(word, rendering, senses):
            meanings = " or ".join(senses(word))
            problems.append(f"quoted {word!r} is not rendered by its meaning ({meanings})")
    return problems


def with_source_quotes(source: str, rendering: str, senses: Senses) -> str:
    """The rendering with each short quotation it misrenders given in the speaker's own
    words instead ('... dismissed the rumours as "alberne und unbegründete
    Erfindungen".'), so nothing is misquoted; "" when the rendering's quotations cannot
    be paired with the source's one by one, or one still misses words after that.
    """
    ours = list(_QUOTED.finditer(source))
    theirs = list(_QUOTED.finditer(rendering))
    if not ours or len(ours) != len(theirs):
        return ""
    pieces, last = [], 0
    for german, english in zip(ours, theirs, strict=True):
        phrase = german.group(1)
        if len(words(phrase)) > _SHORT_QUOTE_WORDS:
            continue
        if len(words(english.group(1))) > 2 * len(words(phrase)) + 2:
            return ""  # not this quotation's rendering: the pairing is off
        if _missed_words(phrase, english.group(1), senses):
            # the English punctuation inside the quotation marks ends the sentence there
            ending = english.group(1)[len(english.group(1).rstrip(_ENDS)) :]
            pieces += [rendering[last : english.start(1)], phrase.rstrip(_ENDS) + ending]
            last = english.end(1)
    restored = "".join(pieces) + rendering[last:]
    if restored == rendering or quote_problems(source, restored, senses):
        return ""
    return restored


# Two or more capitalised words in a row: a name ("Marie Illner"), kept as it is.
_NAME_RUN = re.compile(r"[A-ZÄÖÜ][\w'’-]*(?:\s+[A-ZÄÖÜ][\w'’-]*)+")


def untranslated_problems(
    source: str,
    rendering: str,
    german_word: Callable[[str], bool],
    senses: Senses = _no_senses,
) -> list[str]:
    """German words of the source that the rendering left as they are ('... dismissed
    the rumours as "alberne and unbegründete Erfindungen"'): an English reader cannot
    read them. `german_word` tells a German word that is no English word (the Ding
    dictionary); names stay: a run of capitalised words in the source, an acronym, a
    place the dictionary renders as a name (Sotschi = Sochi: the name check's business),
    and a quotation kept in the source's own words (`with_source_quotes`).
    """
    names = {word for run in _NAME_RUN.findall(source) for word in words(run)}
    in_source = set(words(source))
    # a quotation kept in the speaker's own words is a quotation, not a word left over
    kept = {match.group(1).rstrip(_ENDS) for match in _QUOTED.finditer(source)}
    rendering = _QUOTED.sub(
        lambda m: " " if m.group(1).rstrip(_ENDS) in kept else m.group(0), rendering
    )
    left = [
        word
        for word in dict.fromkeys(words(rendering))
        if word in in_source
        and not word.isupper()
        and word not in names
        and german_word(word)
        and not any(sense[:1].isupper() for sense in senses(word))
    ]
    return [f"left in German: {', '.join(map(repr, left))}"] if left else []


def rendering_problems(
    source: str,
    rendering: str,
    senses: Senses | None = None,
    german_word: Callable[[str], bool] | None = None,
) -> list[str]:
    """Every problem the pure checks find; [] when the rendering passes them all.
    (Short quotations are checked apart: `quote_problems`, `with_source_quotes`.)"""
    problems = form_problems(source, rendering)
    if problems:
        return problems
    return (
        number_problems(source, rendering)
        + negation_problems(source, rendering)
        + name_problems(source, rendering, senses)
        + (cognate_problems(source, rendering, senses) if senses is not None else [])
        + (
            untranslated_problems(source, rendering, german_word, senses or _no_senses)
            if german_word
            else []
        )
    )


_LEADING_LABEL = re.compile(
    r"^\s*(english|translation|englisch|deutsch|german)\s*:\s*", re.IGNORECASE
)


def clean_output(reply: str) -> str:
    """The first non-empty line of an LLM reply, without a label or wrapping quotes."""
    line = next((line for line in reply.splitlines() if line.strip()), "")
    line = _LEADING_LABEL.sub("", line).strip()
    if len(line) > 1 and line[0] in "\"“„'«" and line[-1] in "\"”“'»":
        line = line[1:-1].strip()
    return line
