"""The framework text is read twice, by the C++ reader and again by json.loads (for to_dict and
pickling), so the two must agree on what is a document. The framework fuzz target found text the
C++ reader accepted that json.loads refuses (a traceback) or reads differently (a repeated key:
the C++ reader kept the first, json.loads the last, so a pickled framework came back as another
one). Each case now gets a FrameworkError naming the line and column."""

from __future__ import annotations

import json
import pickle

import pytest

import yosmodel as ym
from yosmodel.inspection import FrameworkError

SMALL = {
    "schema": "yosmodel.framework", "schema_version": 1, "id": "small", "name": "Small",
    "judged_scale": ["fine", "poor"],
    "bands": [{"min_score": 0.5, "judgement": "fine"}, {"min_score": 0, "judgement": "poor"}],
    "themes": [{"id": "a", "questions": [{"id": "a1"}]}, {"id": "g", "scored": False}],
}


def text(**replace: str) -> str:
    out = json.dumps(SMALL)
    for old, new in replace.items():
        assert old in out
        out = out.replace(old, new)
    return out


def test_a_repeated_key_is_refused_rather_than_read_two_ways():
    twice = text(**{'"id": "small"': '"id": "small", "id": "other"'})
    with pytest.raises(FrameworkError, match="the key 'id' appears twice"):
        ym.Framework(twice)


@pytest.mark.parametrize("number", ["01", "1.", "-", "1e", ".5"])
def test_numbers_json_loads_refuses_are_refused_by_the_reader_too(number):
    bad = text(**{'"schema_version": 1': f'"schema_version": {number}'})
    with pytest.raises(json.JSONDecodeError):
        json.loads(bad)  # the independent reading: not JSON
    with pytest.raises(FrameworkError, match="not valid JSON"):
        ym.Framework(bad)


def test_a_file_not_saved_as_utf8_is_a_framework_error(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(text(Small="Small \u00e9").encode("latin-1"))
    with pytest.raises(FrameworkError, match="not UTF-8"):
        ym.Framework.load(path)
    # Saved as UTF-8 (with or without a byte-order mark) it loads.
    path.write_bytes(b"\xef\xbb\xbf" + text(Small="Small \u00e9").encode("utf-8"))
    assert ym.Framework.load(path).name == "Small \u00e9"


def test_a_byte_order_mark_in_text_is_named():
    with pytest.raises(FrameworkError, match="byte-order mark"):
        ym.Framework("\ufeff" + text())


@pytest.mark.parametrize("given", ["text", "dict"])
def test_a_lone_surrogate_is_a_framework_error_not_an_argument_dump(given):
    document = dict(SMALL, name="Small \ud800")
    with pytest.raises(FrameworkError, match="lone surrogate") as raised:
        ym.Framework(json.dumps(document, ensure_ascii=False) if given == "text" else document)
    assert "Invoked with" not in str(raised.value) and "Small" not in str(raised.value)


def test_what_the_reader_accepts_pickles_to_the_same_framework():
    fw = ym.Framework(text(Small="Small \\u00e9 \\ud83d\\ude00"))
    back = pickle.loads(pickle.dumps(fw))
    assert (back.id, back.name, [t.id for t in back.themes]) == (fw.id, fw.name, ["a", "g"])
    assert fw.name == "Small \u00e9 \U0001f600"
