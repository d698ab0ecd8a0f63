"""What the evaluation tests share: the covariates they match on, and a refusal checked to carry
none of the planted values (the number 987654, the names "Pat Smith" and "XJ-...")."""

import pytest

import yosmodel as ym

COVARIATES = ["sex", "ethnicity", "disposal", "age", "previous_offences"]


def raises(exc, data, **kwargs):
    """evaluate_intervention's error for ``kwargs`` (over the defaults), its message returned
    once it is checked to hold no planted value."""
    args = {"treated": "treated", "covariates": COVARIATES, "outcomes": ["reoffended"]}
    args.update(kwargs)
    with pytest.raises(exc) as info:
        ym.evaluate_intervention(data, **args)
    message = str(info.value)
    assert "987654" not in message and "Pat Smith" not in message and "XJ-" not in message
    return message
