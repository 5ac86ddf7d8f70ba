"""Follow-up questions made standalone before retrieval: by a rule, or by the LLM.

"What does she think about the trip?" after "Who is Lisa Gürth?" becomes "What does
Lisa Gürth think about the trip?" (by the rule, also in generative mode: a pronoun for
the person the previous question names needs no LLM). The LLM is asked only when the
question looks like a follow-up (`index.answer.is_follow_up`) the rule cannot resolve
that way; its rewrite is checked (one line, a sensible length, the question's language,
no answer text) and replaced by the heuristic rewrite when it fails a check.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence

from index.answer.who import PERSON_NOUNS
from index.prompts import Prompts
from index.text.language import detect_language
from index.text.markers import has_markers
from index.text.tokens import words
from index.types import Generator, Rewriter, Turn

log = logging.getLogger(__name__)

_LABEL = re.compile(r"^\s*(?:[\w ]{0,30}(?:question|frage)\s*:)\s*", re.IGNORECASE)


# Personal pronouns and pronominal adverbs that point back to an earlier turn.
# Possessives and articles (seine, das, diese) are left out: German questions are full
# of them without leaning on anything said before.
_FOLLOW_UP_WORDS = frozenset(
    "he she it they him her them that those there "
    "er sie es ihm ihr ihn ihnen dazu darüber davon daran darauf dort damit".split()
)
_FOLLOW_UP_OPENERS = ("and ", "but ", "what about", "und ", "aber ", "was ist mit", "wie ist")
# German "das" / "dies" as a pronoun, not an article: German nouns are capitalised, so
# "das" that ends the question or stands before its last, lower-case word (a participle
# or verb) points back ("Wer hat das angekündigt?", "Was bedeutet das?"); "das neue
# Gesetz" and "das Treffen" do not.
_GERMAN_DEMONSTRATIVE = re.compile(r"\b(?:das|dies|dieses)(?:\s+[a-zäöüß]\w*)?\s*[?.!]*\s*$")


# A question of a question word or two and nothing else leans on the one before it:
# "When?", "Why not?", "And how many?", "Seit wann?", "Und warum genau?".
_QUESTION_WORDS = frozenset(
    "what when where why who whom whose which how since "
    "was wann wo wohin woher warum wieso weshalb wer wen wem wessen wie welche welcher "
    "welches welchen seit".split()
)
_FILLERS = frozenset("and but so then exactly not und aber denn dann genau also nicht".split())
# A preposition may lead the question word: "For whom?", "On what day?", "Für wen?".
_LEADING_PREPOSITIONS = frozenset(
    "for to with from by against until at on in "
    "für mit von an bis gegen zu bei aus nach am um".split()
)


def is_bare_question_word(question: str) -> bool:
    """True for "When?", "And why?", "How many?", "Wann genau?", "For whom?", "Bis wann?":
    question words only, after a preposition at most."""
    found = [word.lower() for word in words(question) if word.lower() not in _FILLERS]
    if len(found) > 1 and found[0] in _LEADING_PREPOSITIONS:
        found = found[1:]
    return 0 < len(found) <= 2 and found[0] in _QUESTION_WORDS


def is_follow_up(question: str) -> bool:
    """A short question that leans on what was said before (pronouns, 'and ...', a bare
    question word)."""
    lowered = question.strip().lower()
    found = [word.lower() for word in words(question)]
    if lowered.startswith(_FOLLOW_UP_OPENERS) or is_bare_question_word(question):
        return True
    if len(found) > 10:
        return False
    if any(word in _FOLLOW_UP_WORDS for word in found):
        return True
    # "dies" is also an English verb ("What happens if the pope dies?")
    return bool(_GERMAN_DEMONSTRATIVE.search(question.strip())) and (
        detect_language(question) == "de"
    )


_PERSONAL_PRONOUN = re.compile(r"\b(he|she|him|her|er|sie|ihm|ihn|ihr)\b", re.IGNORECASE)
_NAME = re.compile(r"(?<!^)(?<![.?!] )\b([A-ZÄÖÜ][\w'-]+(?: [A-ZÄÖÜ][\w'-]+)+)")
_LONE = re.compile(r"(?<!^)(?<![.?!] )\b([A-ZÄÖÜ][\w-]+?)(?:'s|’s|s')?\b(?! [A-ZÄÖÜ])")
Known = Callable[[str], bool]  # True for a word the dictionary knows (no name then)


def named_person(text: str, known: Known | None = None) -> str:
    """The last run of two or more capitalised words not opening the text ("Lisa Gürth");
    with a word test, else the last lone capitalised word it does not know ("Peskov",
    "Putin"; not "Minsk", "Russia")."""
    names = _NAME.findall(text.strip())
    if names:
        return names[-1]
    if known is None:
        return ""
    lone = [word for word in _LONE.findall(text.strip()) if not known(word)]
    return lone[-1] if lone else ""


def previous_question(history: Sequence[Turn]) -> str:
    """The last question the user asked before this one ("" when none)."""
    return next((turn.content.strip() for turn in reversed(history) if turn.role == "user"), "")


# A person named by role: "the expert", "die Expertin", "dem ukrainischen Kommandanten".
_ROLE_PHRASE = re.compile(
    rf"\b(?:the|der|die|den|dem|des)\s+(?:[\w-]+\s+)?(?:{PERSON_NOUNS})\b", re.IGNORECASE
)


def _referent(text: str, known: Known | None) -> str:
    """The person a pronoun after `text` (an earlier standalone question) points to: the
    one its own words name by role ("die Expertin" in "Und was meint die Expertin dazu?
    (Was sagt Peskow?)") or by name, else one the question it was read with names; ""."""
    own = text.split(" (", 1)[0]
    role = _ROLE_PHRASE.search(own)
    return (role.group(0) if role else "") or named_person(own, known) or named_person(text, known)


def person_resolved(question: str, earlier: Sequence[str], known: Known | None = None) -> str:
    """`question` with its first personal pronoun replaced by the person the earlier
    questions name, the latest first ("What does she think?" after "Who is Lisa Gürth?"
    -> "What does Lisa Gürth think?"; "Sieht sie ...?" after "Und was meint die
    Expertin?" -> "Sieht die Expertin ...?"); "" when it has no such pronoun or none
    names a person.
    """
    if not _PERSONAL_PRONOUN.search(question):
        return ""
    person = next((found for text in earlier if (found := _referent(text, known))), "")
    if not person:
        return ""
    return _PERSONAL_PRONOUN.sub(person, question.strip(), count=1)


# "And about X?", "What about X?", "Und über X?": the earlier question asked about
# something else; it is asked again about X.
_ABOUT = re.compile(
    r"^\s*(?:(?:and|but|what|how)\s+)?(?P<p>about)\s+(?P<x>.+?)\s*[?.!]*\s*$"
    r"|^\s*(?:(?:und|aber)\s+)?(?P<q>über|zu)\s+(?P<y>.+?)\s*[?.!]*\s*$",
    re.IGNORECASE,
)


def topic_replaced(question: str, earlier: str) -> str:
    """ "What does she say about the trip?" asked again about X for "And about X?"; ""
    when the question is not of that form or the earlier one has no such phrase."""
    match = _ABOUT.match(question)
    if match is None:
        return ""
    preposition = (match.group("p") or match.group("q")).lower()
    topic = match.group("x") or match.group("y")
    cut = earlier.lower().rfind(f" {preposition} ")
    if cut < 0:
        return ""
    return f"{earlier[:cut]} {preposition} {topic}?"


# "What about X?", "And X?", "Was ist mit X?", "Und X?": the earlier question is asked
# again of X, put in place of its subject.
_OF_ANOTHER = re.compile(
    r"^\s*(?:(?:and|but)\s+)?(?:(?:what|how)\s+)?about\s+(?P<a>.+?)\s*[?.!]*\s*$"
    r"|^\s*(?:and|but)\s+(?P<b>.+?)\s*[?.!]*\s*$"
    r"|^\s*(?:(?:und|aber)\s+)?(?:was ist|wie ist es|wie steht es|wie sieht es aus)\s+"
    r"(?P<case>mit|um|bei)\s+(?P<c>.+?)\s*[?.!]*\s*$"
    r"|^\s*(?:und|aber)\s+(?P<d>.+?)\s*[?.!]*\s*$",
    re.IGNORECASE,
)
# The subject of an earlier question: after an opening auxiliary or verb (and a question
# word before it), an optional article, then a run of capitalised words ("Does Belarus
# support ...?", "What does Lisa Gürth say ...?", "Unterstützt die Regierung ...?") up to
# a possessive, which opens another phrase ("Is Belarus Russia's ally?").
_SUBJECT = re.compile(
    r"^\s*(?i:(?:what|who|whom|why|how|when|where|which|was|wer|wen|wem|warum|wie|wann|"
    r"wo|welche[mnrs]?)\s+)?[A-Za-zÄÖÜäöüß]+\s+"
    r"(?P<subject>(?:(?:the|der|die|das|den|dem)\s+)?[A-ZÄÖÜ][\w'’-]*(?:\s+[A-ZÄÖÜ][\w-]*\b(?!['’]))*)",
)
_POSSESSIVE = re.compile(r"^(?:its|their|his|her|sein\w*|ihr\w*)\s+(?P<rest>.+)$", re.IGNORECASE)
# A follow-up opening with these asks something else of the earlier question ("And
# why?", "Und über X?", "And in Moscow?"), not the same of a new subject.
_NO_SUBJECT = (
    _QUESTION_WORDS
    | _LEADING_PREPOSITIONS
    | frozenset("about über in im am beim zum zur vom on at".split())
)
# German articles as a subject's (nominative) after "mit"/"bei" (dative) and "um"
# (accusative), and after "von" (dative): "Was ist mit der Bevölkerung?" asks of "die
# Bevölkerung"; "die Bevölkerung von der Regierung".
_DETERMINER = re.compile(
    r"(?i:the|a|an|der|die|das|den|dem|ein\w*|its|their|his|her|sein\w*|ihr\w*)$"
)
_NOMINATIVE = {
    "mit": {"der": "die", "dem": "der", "den": "die"},
    "bei": {"der": "die", "dem": "der", "den": "die"},
    "um": {"den": "der"},
}
_DATIVE = {"die": "der", "der": "dem", "das": "dem"}


def _with_article(phrase: str, articles: dict[str, str]) -> str:
    """`phrase` with its leading article exchanged by `articles` (unchanged without)."""
    head, _, rest = phrase.partition(" ")
    return f"{articles[head.lower()]} {rest}" if rest and head.lower() in articles else phrase


def subject_replaced(question: str, earlier: str) -> str:
    """The earlier question asked of the follow-up's new subject ("Does Belarus support
    the war?" + "What about its people?" -> "Does the people of Belarus support the
    war?"; "Who is Lisa Gürth?" + "And Peskov?" -> "Who is Peskov?"); "" when the
    follow-up is not of that form or the earlier question has no subject to replace."""
    match = _OF_ANOTHER.match(question)
    if match is None:
        return ""
    topic = next(match.group(name) for name in "abcd" if match.group(name))
    found = words(topic)
    if not found or len(found) > 5 or found[0].lower() in _NO_SUBJECT:
        return ""
    if not (found[0][:1].isupper() or _DETERMINER.match(found[0])):
        return ""  # no noun phrase: "Und sonntags?" asks of another time
    subject = _SUBJECT.match(earlier)
    if subject is None:
        return ""
    if match.group("case"):
        topic = _with_article(topic, _NOMINATIVE[match.group("case").lower()])
    named = subject.group("subject")
    possessive = _POSSESSIVE.match(topic)
    if possessive:  # "its people": the people of the earlier subject
        if detect_language(earlier) == "de":
            topic = f"die {possessive.group('rest')} von {_with_article(named, _DATIVE)}"
        else:
            topic = f"the {possessive.group('rest')} of {named}"
    start, end = subject.span("subject")
    return f"{earlier[:start]}{topic}{earlier[end:]}".strip()


class HeuristicRewriter:
    """Without an LLM: resolve a follow-up against the previous user question.

    A personal pronoun is replaced by the person named in the previous question ("What
    does she think?" after "Who is Lisa Gürth?" -> "What does Lisa Gürth think?").
    Otherwise the follow-up is read with the previous question after it, so retrieval
    still leans on the new question first.
    """

    def __init__(self, known: Known | None = None) -> None:
        # The dictionary's word test: a lone capitalised word it does not know is a name
        # ("Peskov"); without it, only runs of two or more capitalised words are.
        self.known = known

    def rewrite(self, question: str, history: Sequence[Turn]) -> str:
        """A standalone version of `question`; unchanged when it is not a follow-up."""
        earlier = self.earlier(history)
        if not earlier or not is_follow_up(question):
            return question
        return self.resolved(question, earlier)

    def resolved(self, question: str, earlier: Sequence[str]) -> str:
        """A follow-up read against the earlier standalone questions (oldest first): a
        pronoun for the person they name, the last one asked about a new topic, or the
        follow-up with the last one after it."""
        return (
            person_resolved(question, earlier[::-1], self.known)
            or topic_replaced(question, earlier[-1])
            or subject_replaced(question, earlier[-1])
            or f"{question.strip()} ({earlier[-1]})"
        )

    def earlier(self, history: Sequence[Turn]) -> list[str]:
        """The user's earlier questions, each made standalone in turn (oldest first), so
        a follow-up of a follow-up reads the resolved one ("Why?" after "What does he
        expect?" after "Who is Serhij Najew?")."""
        standalone: list[str] = []
        for turn in history:
            if turn.role != "user" or not turn.content.strip():
                continue
            asked = turn.content.strip()
            if standalone and is_follow_up(asked):
                asked = self.resolved(asked, standalone)
            standalone.append(asked)
        return standalone


class LLMRewriter:
    """Rewrites follow-ups with an LLM; falls back to another Rewriter (heuristic)."""

    def __init__(
        self,
        generator: Generator,
        prompts: Prompts,
        fallback: Rewriter | None = None,
        max_turns: int = 4,
        max_turn_chars: int = 300,
        max_tokens: int = 60,
        max_chars: int = 300,
    ) -> None:
        if max_turns <= 0 or max_tokens <= 0 or max_chars <= 0:
            raise ValueError(
                f"max_turns, max_tokens and max_chars must be greater than 0; "
                f"got {max_turns}, {max_tokens}, {max_chars}"
            )
        self.generator = generator
        self.prompts = prompts
        self.fallback = fallback or HeuristicRewriter()
        self.max_turns = max_turns
        self.max_turn_chars = max_turn_chars
        self.max_tokens = max_tokens
        self.max_chars = max_chars

    def prime(self, languages: Sequence[str]) -> None:
        """Have the LLM read each language's constant system prompt (Primable)."""
        for language in languages:
            system = self.prompts.render("rewrite_system", language).strip()
            user = self.prompts.render("rewrite_user", language, history="", question="?")
            for _ in self.generator.stream(system, user.strip(), 1):
                pass  # one token: the prompt's state is what is kept

    def rewrite(self, question: str, history: Sequence[Turn]) -> str:
        """A standalone version of `question`; the question itself when it needs none."""
        if not history or not is_follow_up(question):
            return question
        # One pronoun for the person the previous question names needs no LLM: the rule's
        # rewrite is the same question, 2 s sooner on 2 cores. With two ("Was hält er von
        # ihr?"), which one is the person named is for the LLM to judge.
        if len(_PERSONAL_PRONOUN.findall(question)) == 1:
            resolved = person_resolved(question, [previous_question(history)])
            if resolved:
                return resolved
        language = detect_language(question)
        system = self.prompts.render("rewrite_system", language).strip()
        user = self.prompts.render(
            "rewrite_user",
            language,
            history=self.history_text(history, language),
            question=question.strip(),
        ).strip()
        reply = "".join(self.generator.stream(system, user, self.max_tokens))
        candidate = clean_rewrite(reply)
        problem = self.problem(candidate, question, language)
        if problem:
            log.info("rewrite %r rejected (%s); using the heuristic", candidate, problem)
            return self.fallback.rewrite(question, history)
        return candidate

    def history_text(self, history: Sequence[Turn], language: str) -> str:
        """The last turns, one line each, shortened."""
        lines = []
        for turn in list(history)[-self.max_turns :]:
            text = " ".join(turn.content.split())
            if len(text) > self.max_turn_chars:
                text = text[: self.max_turn_chars].rsplit(" ", 1)[0] + " …"
            lines.append(self.prompts.render(f"history_{turn.role}", language, text=text))
        return "\n".join(lines)

    def problem(self, candidate: str, question: str, language: str) -> str:
        """Why a rewrite is unusable; "" when it is fine."""
        if not words(candidate):
            return "empty"
        if len(candidate) > self.max_chars or len(candidate) > 3 * len(question) + 120:
            return f"too long ({len(candidate)} characters)"
        if has_markers(candidate):
            return "contains citation markers (an answer, not a question)"
        if detect_language(candidate) != language:
            return "in another language"
        return ""


def clean_rewrite(reply: str) -> str:
    """The first non-empty line of the reply, without a label and quotes."""
    line = next((line for line in reply.splitlines() if line.strip()), "")
    line = _LABEL.sub("", line).strip()
    return line.strip("\"'„“”«» ").strip()
