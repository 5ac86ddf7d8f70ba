"""The domain errors that carry a message meant for the user.

Each is raised where the problem is found; the edges (command line, web page) turn
them into one friendly line. Anything else is a bug and is reported as such.
"""

from __future__ import annotations

from index.answer import QuestionError
from index.corpus import CorpusError
from index.models import ModelError
from index.prompts import PromptError
from index.settings import SettingsError
from index.store import StoreError

USER_ERRORS: tuple[type[Exception], ...] = (
    SettingsError, ModelError, StoreError, CorpusError, QuestionError, PromptError)
