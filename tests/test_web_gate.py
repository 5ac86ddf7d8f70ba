"""The Gate that bounds calls waiting for the language model."""

from __future__ import annotations

import threading

import pytest

from web.gate import Busy, Gate


def test_a_full_gate_refuses_at_once_and_admits_again_after_a_turn() -> None:
    gate = Gate(1, 0, "no room")
    with gate.hold(), pytest.raises(Busy, match="no room"), gate.hold():
        pass
    with gate.hold():  # the turn was given back
        pass


def test_a_waiting_call_gets_the_turn_when_it_ends() -> None:
    gate = Gate(1, 1)
    entered = threading.Event()

    def wait_for_turn() -> None:
        with gate.hold():
            entered.set()

    with gate.hold():
        waiter = threading.Thread(target=wait_for_turn, daemon=True)
        waiter.start()
        assert not entered.wait(0.2)  # it waits while the turn is taken
    waiter.join(10)
    assert entered.is_set()


def test_an_error_in_the_block_gives_the_turn_back() -> None:
    gate = Gate(1, 0)
    with pytest.raises(RuntimeError), gate.hold():
        raise RuntimeError("boom")
    with gate.hold():
        pass


def test_capacity_and_bad_sizes_are_named() -> None:
    assert Gate(1, 4).capacity == 5 and Gate(4, None).capacity is None
    with pytest.raises(ValueError, match="running must be greater than 0; got 0"):
        Gate(0, 1)
    with pytest.raises(ValueError, match="waiting must be 0 or more; got -1"):
        Gate(1, -1)
