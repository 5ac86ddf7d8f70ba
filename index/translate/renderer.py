"""Article sentences rendered in the reader's language: made once, checked, cached in the store.

The only offline LLM is a weak translator (about half of the article's sentences came
out faithful in a probe), so its work is kept small and checked: one sentence at a
time, with a glossary of the sentence's words that negate by meaning (from the negation
lexicon), of its terms in the newsroom's termbase (`index.translate.termbase`, read
backwards for the round trip too) and of its rare words (from the Ding dictionary); the
nationalities respelled the English way (`index.translate.spelling`); then the pure
checks of `index.translate.checks`, a cross-lingual embedding check and a round trip
back into German (a second, closer back-translation when the first drifts). Candidates
are tried in order (with glossary, then without, then a close one) and the first that
passes every check is kept; a quotation with a closed-form attribution ('"...", sagt
Gürth.') whose candidates all fail is tried once more as the quotation alone, the
attribution given by rule (`index.translate.attribution`); a sentence with no passing
candidate is stored as unchecked and never shown. Renderings are keyed by text, language
pair, model, prompt version and the sentence's terms, so a changed article (or term)
re-renders only its changed sentences. A rendering is read with its Slavic names in the
English transcription (`index.text.transliteration`).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace

from index.prompts import Prompts
from index.text.polarity import negation_senses
from index.text.tokens import FUNCTION_WORDS, words
from index.text.transliteration import Known, english_spelling
from index.text.vectors import cosine
from index.translate.attribution import quoted_statement
from index.translate.checks import (
    clean_output,
    quote_problems,
    quoted_words,
    rendering_problems,
    untranslated_problems,
    with_source_quotes,
)
from index.translate.dictionary import Dictionary
from index.translate.spelling import place_compounds, reader_spelling, state_forms
from index.types import Embedder, Generator, Rendering, Store

log = logging.getLogger(__name__)

# Bump when a prompt, a check or a threshold changes: cached renderings are made again.
# A new check that only refuses more may instead hold cached renderings to it when they
# are read (`for_reader`: German words left untranslated), so a large library is not
# rendered again for it; a refused one is then quoted in German, not made again.
RENDERING_VERSION = "r14"
Progress = Callable[[float, str], None]
# The (source, target) languages rendered: the prompts and checks are German to English.
RENDERED_PAIRS = frozenset({("de", "en")})
# A quoted word's senses: given as a hint (the commonest few), and accepted by the check.
QUOTE_HINTS = 3
QUOTE_SENSES = 8
# At most this many termbase hints a sentence (the rare words' hints count apart).
TERM_HINTS = 8
# Sentences whose cache keys a renderer keeps (an article has about 50).
KEY_CACHE = 8192
# Space the LLM leaves between a quotation's last punctuation and its closing mark
# ('"... not to be overrated, " says'); a closing mark is followed by a space or the end,
# an opening one by a word, so '..., "Wenn' is left alone.
_CLOSING_QUOTE_SPACE = re.compile(r'([,.!?]) +"(?=\s|$)')
# The candidates, tried in order as (system prompt, with the glossary): the first that
# passes every check is kept, so a sentence that passes early costs no more. A candidate
# costs one LLM call, and a round trip when it passes the pure checks.
ATTEMPTS: tuple[tuple[str, bool], ...] = (
    ("render_system", True),
    ("render_system", False),
    ("render_literal_system", True),
)
# The round trip's back-translations, tried in order until one comes close to the source:
# the weak LLM sometimes garbles a right rendering on the way back ("war entry" ->
# "Wartungseintritt"), while a wrong rendering stays far from the source both ways.
BACK_PROMPTS: tuple[str, ...] = ("back_system", "back_literal_system")


def for_reader(
    source: str,
    rendering: Rendering,
    known: Known | None = None,
    german_word: Callable[[str], bool] | None = None,
    senses: Callable[[str], tuple[str, ...]] | None = None,
) -> Rendering:
    """A stored English rendering as the reader sees it: Slavic names the English way, a
    place compound's place as a noun ("Russia expert", `place_compounds`), no space
    before a closing quotation mark, and not shown (unchecked) when it left German words
    of the source untranslated.

    Applied when a rendering is read, not when it is made, so renderings cached before
    keep their checks (the respelling keeps every name's spelling key) and need no
    LLM work again; one cached before the untranslated-words check is held to it here.
    `known` (the dictionary's words) keeps ordinary words as they are; `german_word`
    tells a German word that is no English one.
    """
    if rendering.language != "en" or not rendering.text:
        return rendering
    if rendering.checked and german_word is not None:
        left = untranslated_problems(source, rendering.text, german_word, senses or (lambda _: ()))
        if left:
            rendering = replace(rendering, checked=False, problems=(*rendering.problems, *left))
    text = english_spelling(source, rendering.text, known)
    if senses is not None:
        text = place_compounds(source, text, senses)
    text = _CLOSING_QUOTE_SPACE.sub(r'\1"', text)
    return rendering if text == rendering.text else replace(rendering, text=text)


def backwards(glossary: Sequence[tuple[str, str]], candidate: str) -> list[tuple[str, str]]:
    """The glossary read backwards for the round trip: each hinted sense the candidate
    uses, with the source's word ("lower house = Unterhaus", "penalties = Strafen").
    A candidate that took a hint rendered that word faithfully, yet the weak LLM garbles
    it on the way back ("untere Hauptschachtel", "Verfahren") as readily as on the way
    there; the rest of the sentence gets no hint and is checked as before."""
    hints = []
    for word, meaning in glossary:
        for sense in meaning.split(" / "):
            if re.search(rf"(?<!\w){re.escape(sense)}(?!\w)", candidate, re.IGNORECASE):
                hints.append((sense, word))
                break
    return hints


class SentenceRenderer:
    """Renders German sentences in English with an LLM, checked, cached (a Renderer)."""

    def __init__(
        self,
        generator: Generator,
        prompts: Prompts,
        embedder: Embedder,
        store: Store,
        model_id: str,
        dictionary: Dictionary | None = None,
        min_similarity: float = 0.75,
        min_round_trip: float = 0.8,
        glossary_size: int = 4,
        rare_lines: int = 4,
    ) -> None:
        for name, value in (("min_similarity", min_similarity), ("min_round_trip", min_round_trip)):
            if not -1.0 <= value <= 1.0:
                raise ValueError(f"{name} must be a cosine similarity in [-1, 1]; got {value}")
        if glossary_size < 0 or rare_lines < 0:
            raise ValueError(
                f"glossary_size and rare_lines must be 0 or more; got "
                f"{glossary_size} and {rare_lines}"
            )
        self.generator = generator
        self.prompts = prompts
        self.embedder = embedder
        self.store = store
        self.model_id = model_id
        self.dictionary = dictionary if dictionary and dictionary.available else None
        self.min_similarity = min_similarity
        self.min_round_trip = min_round_trip
        self.glossary_size = glossary_size
        self.rare_lines = rare_lines
        self._lock = threading.Lock()
        self._keys = functools.lru_cache(maxsize=KEY_CACHE)(self._key)

    # ---- the cache -----------------------------------------------------------------
    def key(self, text: str, source: str, target: str) -> str:
        """The cache key of one rendering: text, languages, model and prompt version, and
        the termbase's terms for the text's words (a changed term renders again only the
        sentences that hold it). Kept per text (`_keys`): the evidence step and the
        composer ask for the same sentences' keys in every answer."""
        return self._keys(text, source, target)

    def _key(self, text: str, source: str, target: str) -> str:
        raw = f"{RENDERING_VERSION}|{self.model_id}|{source}|{target}|{' '.join(text.split())}"
        terms = self.terms(text)
        if terms:
            raw += "|" + "; ".join(f"{word} = {meaning}" for word, meaning in terms)
        return hashlib.sha256(raw.encode()).hexdigest()

    def article_mark(self, content_hash: str, target: str) -> str:
        """What marks an article as rendered for readers of `target`, its renderings'
        vectors kept: the article's content hash with the model, the prompt version and
        the termbase (a change of any renders it again, where a sentence's key changed)."""
        termbase = self.dictionary.termbase.digest if self.dictionary is not None else ""
        raw = f"{RENDERING_VERSION}|{self.model_id}|{target}|{content_hash}|{termbase}|vectors"
        return hashlib.sha256(raw.encode()).hexdigest()[:32]

    def cached(self, texts: Sequence[str], source: str, target: str) -> dict[str, Rendering]:
        """The cached renderings of these texts, by text (texts without one are left out)."""
        keys = {self.key(text, source, target): text for text in texts}
        found = self.store.renderings(list(keys))
        return {
            keys[key]: for_reader(
                keys[key], rendering, self._known(), self._german_word(), self.senses
            )
            for key, rendering in found.items()
        }

    def render(self, text: str, source: str, target: str) -> Rendering:
        """The rendering of one sentence: from the cache, or made, checked and cached now."""
        cached = self.cached([text], source, target).get(text)
        if cached is not None:
            return cached
        with self._lock:  # one sentence at a time: the LLM is one process-wide resource
            rendering = self._make(text, source, target)
        key = self.key(text, source, target)
        self.store.save_renderings({key: rendering})
        shown = for_reader(text, rendering, self._known(), self._german_word(), self.senses)
        if shown.checked:
            self._save_vectors({key: shown.text})
        return shown

    # ---- the renderings' vectors ---------------------------------------------------
    def vectors(self, texts: Sequence[str], source: str, target: str) -> dict[str, list[float]]:
        """The vectors of these texts' checked renderings as a reader of `target` reads
        them, by text (texts without one are left out): an English question is matched
        against the English a reader would be shown as well as against the German. Read
        from the store; nothing is embedded here (`render`, `render_all` make them)."""
        if (source, target) not in RENDERED_PAIRS:
            return {}
        keys = {self.key(text, source, target): text for text in texts}
        return {
            keys[key]: vector for key, vector in self.store.rendering_vectors(list(keys)).items()
        }

    def _save_vectors(self, shown: dict[str, str]) -> None:
        """Embed renderings as readers see them (key -> text) and keep their vectors."""
        keys = list(shown)
        embedded = self.embedder.get_text_embedding_batch([shown[key] for key in keys])
        self.store.save_rendering_vectors(dict(zip(keys, embedded, strict=True)))

    def ensure_vectors(self, texts: Sequence[str], source: str, target: str) -> int:
        """Embed the checked renderings of these texts that have no vector yet (renderings
        cached before vectors were kept, or by another embedding model); how many."""
        renderings = self.cached(texts, source, target)
        have = self.vectors(list(renderings), source, target)
        missing = {
            self.key(text, source, target): rendering.text
            for text, rendering in renderings.items()
            if rendering.checked and text not in have
        }
        if missing:
            self._save_vectors(missing)
        return len(missing)

    def _known(self) -> Known | None:
        """The dictionary's word test, which keeps ordinary words out of the respelling."""
        return self.dictionary.knows if self.dictionary is not None else None

    def _german_word(self) -> Callable[[str], bool] | None:
        """The dictionary's test for a German word that is no English word."""
        return self.dictionary.german_only if self.dictionary is not None else None

    def render_all(
        self, texts: Sequence[str], source: str, target: str, progress: Progress | None = None
    ) -> dict[str, int]:
        """Render every text not cached yet (pre-rendering); counts of checked/unchecked."""
        unique = list(dict.fromkeys(texts))
        missing = [text for text in unique if text not in self.cached(unique, source, target)]
        counts = {"cached": len(unique) - len(missing), "checked": 0, "unchecked": 0}
        for number, text in enumerate(missing):
            if progress:
                progress(
                    number / max(len(missing), 1),
                    f"rendering sentence {number + 1} of {len(missing)}",
                )
            rendering = self.render(text, source, target)
            counts["checked" if rendering.checked else "unchecked"] += 1
        self.ensure_vectors(unique, source, target)
        if progress:
            progress(
                1.0,
                f"renderings: {counts['checked']} checked, "
                f"{counts['unchecked']} without a passing rendering, "
                f"{counts['cached']} cached",
            )
        return counts

    # ---- making one ----------------------------------------------------------------
    def _make(self, text: str, source: str, target: str) -> Rendering:
        if (source, target) not in RENDERED_PAIRS:
            return Rendering(target, "", False, (f"no renderer for {source} -> {target}",))
        glossary = self.glossary(text)
        failed: list[tuple[str, list[str]]] = []
        requoted = ""  # a passing candidate with its misrendered quotations given in German
        for system, entries in self.attempts(glossary):
            candidate = self._translate(text, entries, system)
            if any(candidate == seen for seen, _ in failed):
                continue
            _score, found = self.assess(text, candidate, glossary)
            if not found and self.dictionary is not None:
                found = quote_problems(text, candidate, self.quote_senses)
                if found and not requoted:
                    requoted = with_source_quotes(text, candidate, self.quote_senses)
            if not found:  # the first passing candidate is kept: each costs two LLM calls
                return Rendering(target, candidate, True)
            log.info("rendering rejected (%s): %r", "; ".join(found), candidate)
            failed.append((candidate, found))
        if requoted:  # no candidate rendered the quotation: it is quoted as it was said
            return Rendering(target, requoted, True)
        quoted = self._quoted_statement(text, target)
        if quoted is not None:
            return quoted
        if not failed:
            return Rendering(target, "", False, ("no candidate",))
        # the first candidate is the one kept (and reported by its own problems); the
        # others' problems follow, so a report says why every candidate failed
        problems = list(failed[0][1])
        for number, (candidate, found) in enumerate(failed[1:], start=2):
            problems.append(f"candidate {number} {candidate!r}: {'; '.join(found)}")
        return Rendering(target, failed[0][0], False, tuple(problems))

    def _quoted_statement(self, text: str, target: str) -> Rendering | None:
        """'"...", sagt Gürth.' with no passing candidate: the quotation rendered alone,
        the attribution by rule (index.translate.attribution); None when that fails too.

        The quotation's rendering is checked against the quotation alone (the meaning
        and the round trip: the attribution's shared words would lift a wrong rendering
        over the thresholds), the joined sentence by the pure checks against the whole.
        """
        statement = quoted_statement(text, self.senses)
        if statement is None:
            return None
        tried: set[str] = set()
        glossary = self.glossary(statement.quote)
        for system, entries in self.attempts(glossary):
            rendered = self._translate(statement.quote, entries, system)
            if rendered in tried:
                continue
            tried.add(rendered)
            _score, found = self.assess(statement.quote, rendered, glossary)
            candidate = statement.joined(rendered)
            if not found:
                found = rendering_problems(
                    text,
                    candidate,
                    self.senses if self.dictionary is not None else None,
                    self._german_word(),
                )
            if not found and self.dictionary is not None:
                found = quote_problems(text, candidate, self.quote_senses)
            if not found:
                return Rendering(target, candidate, True)
            log.info("quoted statement rejected (%s): %r", "; ".join(found), candidate)
        return None

    def assess(
        self, text: str, candidate: str, glossary: Sequence[tuple[str, str]] = ()
    ) -> tuple[float, list[str]]:
        """(score, problems) of a candidate: problems are every check it fails ([] passes);
        the score (cross-lingual plus round-trip similarity) ranks passing candidates.
        `glossary` is the one the candidate was made with; the round trip reads it
        backwards (`backwards`).
        """
        found = rendering_problems(
            text,
            candidate,
            self.senses if self.dictionary is not None else None,
            self._german_word(),
        )
        if found:
            return 0.0, found
        source_vector, rendering_vector = self.embedder.get_text_embedding_batch([text, candidate])
        similarity = cosine(source_vector, rendering_vector)
        if similarity < self.min_similarity:
            return similarity, [
                f"meaning drifted (similarity {similarity:.2f} < {self.min_similarity})"
            ]
        trips: list[tuple[float, str]] = []
        hints = backwards(glossary, candidate)
        for system in BACK_PROMPTS:
            back = self._back_translate(candidate, system, hints)
            round_trip = cosine(source_vector, self.embedder.get_text_embedding_batch([back])[0])
            if round_trip >= self.min_round_trip:
                return similarity + round_trip, []
            trips.append((round_trip, back))
        shown = "; ".join(f"{round_trip:.2f} {back!r}" for round_trip, back in trips)
        return similarity + max(trips)[0], [
            f"round trip drifted (similarity < {self.min_round_trip}: {shown})"
        ]

    def attempts(self, glossary: list[tuple[str, str]]) -> list[tuple[str, list[tuple[str, str]]]]:
        """The candidates to try, in order, as (system prompt, glossary entries): ATTEMPTS,
        without repeats when the sentence has no glossary."""
        found: list[tuple[str, list[tuple[str, str]]]] = []
        for system, hinted in ATTEMPTS:
            attempt = (system, glossary if hinted else [])
            if attempt not in found:
                found.append(attempt)
        return found

    def _translate(
        self, text: str, glossary: Sequence[tuple[str, str]], system_prompt: str = "render_system"
    ) -> str:
        entries = "; ".join(f"{word} = {meaning}" for word, meaning in glossary)
        lead = self.prompts.render("glossary_line", "en", entries=entries) if entries else ""
        system = self.prompts.render(system_prompt, "en").strip()
        user = self.prompts.render(
            "render_user", "en", glossary=lead, text=" ".join(text.split())
        ).strip()
        budget = 2 * len(words(text)) + 40
        candidate = clean_output("".join(self.generator.stream(system, user, budget)))
        if self.dictionary is None:
            return state_forms(text, candidate)
        return state_forms(text, reader_spelling(text, candidate, self.senses))

    def _back_translate(
        self,
        rendering: str,
        system_prompt: str = "back_system",
        glossary: Sequence[tuple[str, str]] = (),
    ) -> str:
        entries = "; ".join(f"{sense} = {word}" for sense, word in glossary)
        lead = self.prompts.render("back_glossary_line", "de", entries=entries) if entries else ""
        system = self.prompts.render(system_prompt, "de").strip()
        user = self.prompts.render("back_user", "de", glossary=lead, text=rendering).strip()
        budget = 2 * len(words(rendering)) + 40
        return clean_output("".join(self.generator.stream(system, user, budget)))

    # ---- the dictionary ------------------------------------------------------------
    def senses(self, word: str) -> tuple[str, ...]:
        """A German word's English senses from the dictionary (empty when unknown)."""
        if self.dictionary is None:
            return ()
        entry = self.dictionary.lookup(word)
        return entry.senses if entry else ()

    def quote_senses(self, word: str) -> tuple[str, ...]:
        """More of a word's senses than `senses`, for the words of a short quotation: it
        may be rendered by any of them."""
        if self.dictionary is None:
            return ()
        entry = self.dictionary.lookup(word, senses=QUOTE_SENSES)
        return entry.senses if entry else ()

    def terms(self, text: str) -> list[tuple[str, str]]:
        """The termbase's hints for the sentence's words, in order ("Unterhaus = lower
        house"; a hyphenated compound by its last part: "Langzeit-Staatschefs"), at most
        TERM_HINTS: each is a newsroom's choice, so one left out is a word the weak LLM
        guesses ("die Langzeit-Staatschefs" as "the long-term President" when a fifth
        term was cut). Read from memory: it keys the cache."""
        if self.dictionary is None or not self.glossary_size:
            return []
        found = []
        for word in dict.fromkeys(words(text)):
            head = word.rsplit("-", 1)[-1]
            senses = self.dictionary.curated(word) or self.dictionary.curated(head)
            if senses:
                found.append((word, " / ".join(senses)))
        return found[:TERM_HINTS]

    def glossary(self, text: str) -> list[tuple[str, str]]:
        """Hints for the sentence's words that negate by meaning ("gemieden = avoided",
        from the negation lexicon: the negation check insists on them), then for its
        words in the newsroom's termbase ("Unterhaus = lower house"), then for the
        words of its short quotations ("alberne = silly / frivolous": the quotation
        check insists on a meaning of each), then for up to `glossary_size` of its rare
        words ("Finte = feint / ruse"), rarest first."""
        if self.dictionary is None or not self.glossary_size:
            return []
        negating = negation_senses(text)
        hinted = {word for word, _ in negating}
        curated = [(word, meaning) for word, meaning in self.terms(text) if word not in hinted]
        hinted |= {word for word, _ in curated}
        quoted = []
        for word in quoted_words(text):
            entry = self.dictionary.lookup(word, senses=QUOTE_HINTS)
            if word in hinted or entry is None:
                continue
            if all(sense.lower() == word.lower() for sense in entry.senses):
                continue  # a name the dictionary only repeats
            quoted.append((word, " / ".join(entry.senses)))
            hinted.add(word)
        found = []
        for position, word in enumerate(dict.fromkeys(words(text))):
            if word.lower() in FUNCTION_WORDS or len(word) < 5 or word in hinted:
                continue
            # Nouns, and long other words only: a short verb form out of its separable
            # verb misleads ("mischte sich ... ein" is not "mixed").
            if not (word[:1].isupper() and position > 0) and len(word) < 10:
                continue
            entry = self.dictionary.lookup(word)
            if entry is None or entry.lines > self.rare_lines:
                continue
            if all(sense.lower() == word.lower() for sense in entry.senses):
                continue  # a name the dictionary only repeats (Minsk)
            found.append((entry.lines, word, " / ".join(entry.senses)))
        found.sort(key=lambda item: item[0])
        rare = [(word, meaning) for _, word, meaning in found[: self.glossary_size]]
        return negating + curated + quoted[: self.glossary_size] + rare
