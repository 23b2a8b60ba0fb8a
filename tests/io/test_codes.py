import pytest

from civicgraph.io._codes import (
    CREDIT_ALPHABET,
    credit_code_check_char,
    credit_code_problem,
    credit_code_registrar,
    is_valid_credit_code,
)


def _code(first17: str) -> str:
    return first17 + credit_code_check_char(first17)


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # the standard's own example
        _code("52340200MJB12345X"),
        _code("51340207MJ0000001"),
    ],
)
def test_valid(code):
    assert is_valid_credit_code(code)
    assert credit_code_problem(code) is None


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("91350100M000100Y44", "check character is 4, should be 3"),
        ("91350100M000100Y4", "has 17 characters"),
        ("91350100M000100I43", "never uses: I"),
        ("9135A100M000100Y43", "3-8 must be"),
    ],
)
def test_invalid(code, why):
    assert why in credit_code_problem(code)
    assert not is_valid_credit_code(code)


def test_every_single_character_change_is_caught():
    good = "91350100M000100Y43"
    for i in range(18):
        for c in CREDIT_ALPHABET:
            if c != good[i]:
                bad = good[:i] + c + good[i + 1 :]
                assert not is_valid_credit_code(bad), bad


def test_registrar_level():
    assert credit_code_registrar("52340200MJB123456X") == ("3402", "city")
    assert credit_code_registrar("52340207MJB123456X") == ("340207", "district")
    assert credit_code_registrar("52340000MJB123456X") == ("34", "province")
