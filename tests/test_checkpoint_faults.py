"""A shipped checkpoint that is missing, truncated or does not match its JSON: the lesson says which file
and what is wrong (ui.shell.run_page), nothing from the file is executed, the other lessons keep working.

The app runs through app.py in AppTest (the page shell is where the error is caught), with
rnncore.checkpoint.MODELS_DIR pointed at a copy of the entity taggers that a test then damages.
"""

from __future__ import annotations

import json
import pickle
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from rnncore import checkpoint
from tests.conftest import REPO_ROOT

APP = str(REPO_ROOT / "app.py")
ENTITIES, WORDS = "lessons/named_entities.py", "lessons/words_to_vectors.py"
TIMEOUT = 120
DAMAGED = "ner-birnn"  # the entity lesson's default architecture


@pytest.fixture
def models(tmp_path, monkeypatch):
    """A models folder holding copies of the shipped entity taggers, in place of assets/models.
    (rnncore.shipped caches by file path, so these copies are loaded afresh.)"""
    for path in checkpoint.MODELS_DIR.glob("ner-*"):
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.setattr(checkpoint, "MODELS_DIR", tmp_path)
    return tmp_path


def entity_lesson() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(ENTITIES)
    return at.run()


def error_text(at: AppTest) -> str:
    assert not at.exception, [e.message for e in at.exception]  # told, not raised
    assert len(at.error) == 1, [e.value for e in at.error]
    return at.error[0].value


def other_lessons_work(at: AppTest) -> None:
    at.switch_page(WORDS)
    at.run()
    assert not at.exception and not at.error
    assert at.title[0].value == "Words to vectors"


def test_a_truncated_checkpoint_is_named_and_the_other_lessons_work(models):
    weights = models / f"{DAMAGED}.safetensors"
    weights.write_bytes(weights.read_bytes()[:200])  # a copy that stopped half way
    at = entity_lesson()
    text = error_text(at)
    assert f"{DAMAGED}.safetensors: not a readable safetensors file" in text
    assert str(models) not in text  # the file's name, never the server's folders
    other_lessons_work(at)


def test_a_checkpoint_that_does_not_match_its_json_is_named(models):
    meta_path = models / f"{DAMAGED}.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["config"]["n_a"] += 1  # the JSON now describes a model these weights do not fit
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    at = entity_lesson()
    text = error_text(at)
    assert f"{DAMAGED}.safetensors: the weights do not fit {DAMAGED}.json" in text
    other_lessons_work(at)


def test_an_unreadable_json_is_named(models):
    (models / f"{DAMAGED}.json").write_text('{"model": "Tagger", "config": ', encoding="utf-8")
    at = entity_lesson()
    assert f"{DAMAGED}.json: not a readable JSON file" in error_text(at)
    other_lessons_work(at)


class Trap:
    """A pickle that, if anything unpickled it, would create a file: proof of code run from a checkpoint."""

    marker = None

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_nothing_in_a_checkpoint_file_is_executed(models, tmp_path_factory):
    marker = tmp_path_factory.mktemp("trap") / "executed"
    Trap.marker = marker
    (models / f"{DAMAGED}.safetensors").write_bytes(pickle.dumps(Trap()))  # a torch.save-style pickle
    at = entity_lesson()
    assert f"{DAMAGED}.safetensors: not a readable safetensors file" in error_text(at)
    assert not marker.exists()


def test_a_missing_checkpoint_is_named_and_the_lesson_uses_the_others(models):
    (models / f"{DAMAGED}.safetensors").unlink()
    at = entity_lesson()
    assert not at.exception and not at.error
    notes = [w.value for w in at.warning]
    assert any(f"Not shipped yet: `{DAMAGED}`" in note for note in notes), notes
    assert any("python -m rnncore train ner --arch ARCH" in note for note in notes)
    assert at.get("html"), "the sentence is still tagged by the architectures that exist"
    other_lessons_work(at)
