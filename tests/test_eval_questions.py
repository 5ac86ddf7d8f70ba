"""The question sets: schema, unique ids, evidence really in the article, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.__main__ import main
from eval.questions import (
    Item,
    QuestionSetError,
    check_evidence,
    load_questions,
    parse_item,
    parse_lines,
    read_documents,
)

ROOT = Path(__file__).resolve().parent.parent
SETS = [ROOT / "eval" / "questions" / "dev.jsonl", ROOT / "eval" / "questions" / "test.jsonl"]


@pytest.fixture(scope="module")
def shipped() -> dict[str, list[Item]]:
    return {path.stem: load_questions(path) for path in SETS}


@pytest.fixture(scope="module")
def article_text() -> str:
    return read_documents(ROOT / "corpus")["putin-minsk-analyse"]


def test_every_evidence_string_is_in_the_article(shipped, article_text):
    for name, items in shipped.items():
        check_evidence(items, {"putin-minsk-analyse": article_text}, name)


def test_ids_are_unique_across_both_sets(shipped):
    ids = [item.id for items in shipped.values() for item in items]
    assert len(ids) == len(set(ids))


def test_sets_cover_what_the_issue_asks_for(shipped):
    items = [item for group in shipped.values() for item in group]
    assert len(items) >= 90
    assert all(len(group) >= 40 for group in shipped.values())
    languages = [item.lang for item in items]
    assert 0.4 <= languages.count("en") / len(items) <= 0.6
    assert sum(not item.answerable for item in items) >= 14
    assert sum(len(item.turns) > 1 for item in items) >= 10
    for group in shipped.values():
        assert {item.lang for item in group if not item.answerable} == {"de", "en"}
        assert any(len(item.turns) > 1 for item in group)


def test_every_answerable_item_has_reader_facts(shipped):
    for items in shipped.values():
        for item in items:
            assert not item.answerable or item.facts_reader, item.id


def test_dev_set_has_the_added_evidence_items(shipped):
    dev = shipped["dev"]
    assert len(dev) >= 86
    added = dev[46:]
    assert [item.id for item in added] == [f"dev{n}" for n in range(47, 47 + len(added))]
    assert 0.6 <= sum(item.lang == "en" for item in added) / len(added) <= 0.8
    assert sum(not item.answerable for item in added) >= 10
    assert sum(len(item.turns) > 1 for item in added) >= 5


def test_questions_do_not_copy_their_evidence(shipped):
    for items in shipped.values():
        for item in items:
            for evidence in item.evidence:
                assert evidence not in " ".join(item.turns), item.id


def test_shipped_sets_pass_the_check_command(capsys):
    assert main(["check", *map(str, SETS), "--corpus", str(ROOT / "corpus")]) == 0
    assert "items ok" in capsys.readouterr().out


def _line(**fields: object) -> str:
    base: dict[str, object] = {
        "id": "q1",
        "lang": "en",
        "answerable": True,
        "question": "How many?",
        "facts": [["9000"]],
        "evidence": ["9000 Soldaten"],
    }
    base.update(fields)
    return json.dumps({key: value for key, value in base.items() if value is not None})


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"lang": "fr"}, "lang must be one of de, en"),
        ({"answerable": "yes"}, "answerable must be true or false"),
        ({"turns": ["a", "b"]}, "exactly one of 'question' or 'turns'"),
        ({"question": None}, "exactly one of 'question' or 'turns'"),
        ({"facts": []}, "facts must be a non-empty list"),
        ({"facts": [["9000"], []]}, "each facts group"),
        ({"evidence": None}, "evidence must be a non-empty list"),
        ({"answerable": False}, "an unanswerable item has no facts or evidence"),
        ({"facts_reader": []}, "facts_reader must be a non-empty list"),
        ({"facts_reader": [["No"], [""]]}, "each facts_reader group"),
        (
            {"answerable": False, "facts": None, "evidence": None, "facts_reader": [["x"]]},
            "an unanswerable item has no facts or evidence",
        ),
        ({"colour": "red"}, "unknown field(s) colour"),
        ({"id": ""}, "id must be a non-empty string"),
    ],
)
def test_an_invalid_item_names_the_line_and_the_problem(fields, message):
    lines = [_line(id="q0"), "", _line(**fields)]
    with pytest.raises(QuestionSetError) as raised:
        parse_lines(lines, "set.jsonl")
    assert str(raised.value).startswith("set.jsonl:3: ")
    assert message in str(raised.value)


def test_broken_json_names_the_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(_line() + "\n{not json\n", encoding="utf-8")
    with pytest.raises(QuestionSetError, match=r"bad\.jsonl:2: not valid JSON"):
        load_questions(path)


def test_a_duplicate_id_names_both_lines():
    with pytest.raises(QuestionSetError, match=r"x:2: id 'q1' is already used on line 1"):
        parse_lines([_line(), _line()], "x")


def test_missing_and_empty_files_are_clear_errors(tmp_path):
    with pytest.raises(QuestionSetError, match="cannot read"):
        load_questions(tmp_path / "missing.jsonl")
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    with pytest.raises(QuestionSetError, match="empty"):
        load_questions(tmp_path / "empty.jsonl")


def test_evidence_missing_from_the_article_is_reported_with_line_and_id():
    items = parse_lines([_line(), _line(id="q2", evidence=["not in there"])], "set.jsonl")
    with pytest.raises(QuestionSetError, match=r"line 2, q2: evidence not found"):
        check_evidence(items, {"doc": "Es gab 9000 Soldaten."}, "set.jsonl")


def test_turns_make_the_last_turn_the_scored_question():
    item = parse_item(json.loads(_line(question=None, turns=["Who is X?", "Where is she?"])))
    assert item.question == "Where is she?"
    assert item.history == ("Who is X?",)
    assert parse_item(item.to_json()) == item


def test_reader_facts_are_optional_and_round_trip():
    item = parse_item(json.loads(_line()))
    assert item.facts_reader == () and "facts_reader" not in item.to_json()
    item = parse_item(json.loads(_line(facts_reader=[["9,000", "9000"]])))
    assert item.facts_reader == (("9,000", "9000"),)
    assert parse_item(item.to_json()) == item


def test_unanswerable_items_need_no_facts():
    item = parse_item({"id": "u1", "lang": "de", "answerable": False, "question": "Wer?"})
    assert item.facts == () and item.evidence == ()
    assert item.to_json() == {"id": "u1", "lang": "de", "answerable": False, "question": "Wer?"}


def test_the_check_command_fails_with_one_line(tmp_path, capsys):
    path = tmp_path / "q.jsonl"
    path.write_text(_line(evidence=["nowhere"]) + "\n", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Es gab 9000 Soldaten.\n", encoding="utf-8")
    assert main(["check", str(path), "--corpus", str(corpus)]) == 1
    error = capsys.readouterr().err
    assert error.startswith("error: ") and "q1: evidence not found" in error
