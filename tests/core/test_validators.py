from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.db.migrations.writer import MigrationWriter
from django.utils import timezone

from core.validators import (
    USCC_CHARSET,
    birth_date_from_resident_id,
    normalise_resident_id,
    normalise_uscc,
    resident_id_check_char,
    sex_from_resident_id,
    uscc_check_char,
    validate_phone,
    validate_resident_id,
    validate_uscc,
)

# The two worked examples printed in GB 11643-1999 itself.
GB11643_EXAMPLE = "11010519491231002X"
GB11643_EXAMPLE_1880 = "440524188001010014"
# Widely cited as a valid code (Fujian, enterprise); its check character verifies by hand.
USCC_EXAMPLE = "91350100M000100Y43"


def resident_id(region="420322", born="19850615", sequence="123"):
    first17 = region + born + sequence
    return first17 + resident_id_check_char(first17)


def uscc(first17="91420322MA4F0K1L2"):
    return first17 + uscc_check_char(first17)


def error_code(validator, value):
    with pytest.raises(ValidationError) as err:
        validator(value)
    return err.value.code


# --- resident ID -----------------------------------------------------------------


def test_published_example_is_valid_and_matches_the_helper():
    assert resident_id_check_char(GB11643_EXAMPLE[:17]) == "X"
    validate_resident_id(GB11643_EXAMPLE)


def test_the_standards_1880_example_has_the_right_check_digit_but_too_early_a_birth():
    assert resident_id_check_char(GB11643_EXAMPLE_1880[:17]) == GB11643_EXAMPLE_1880[-1]
    assert error_code(validate_resident_id, GB11643_EXAMPLE_1880) == "birth_date"


def test_built_numbers_are_valid():
    for sequence in ("000", "001", "123", "998", "999"):
        validate_resident_id(resident_id(sequence=sequence))


def test_lower_case_x_is_accepted():
    validate_resident_id(GB11643_EXAMPLE.lower())


@pytest.mark.parametrize("position", range(18))
def test_any_single_changed_character_fails(position):
    original = resident_id()
    digit = original[position]
    changed = original[:position] + ("7" if digit != "7" else "3") + original[position + 1 :]
    with pytest.raises(ValidationError):
        validate_resident_id(changed)


def test_wrong_check_digit():
    good = resident_id()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    assert error_code(validate_resident_id, bad) == "check_digit"
    assert error_code(validate_resident_id, GB11643_EXAMPLE[:17] + "0") == "check_digit"


def test_swapped_neighbours_are_caught_by_the_check_digit():
    good = resident_id(sequence="123")
    assert error_code(validate_resident_id, resident_id(sequence="213")[:17] + good[17]) == "check_digit"


@pytest.mark.parametrize("born", ["20230230", "19850631", "19851301", "19850000", "19000229"])
def test_impossible_birth_date(born):
    assert error_code(validate_resident_id, resident_id(born=born)) == "birth_date"


def test_leap_day_is_a_real_date():
    validate_resident_id(resident_id(born="20000229"))


def test_future_birth_date():
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert error_code(validate_resident_id, resident_id(born=tomorrow.strftime("%Y%m%d"))) == "birth_date"


def test_born_today_is_accepted():
    validate_resident_id(resident_id(born=timezone.localdate().strftime("%Y%m%d")))


def test_1900_is_the_earliest_birth_year():
    validate_resident_id(resident_id(born="19000101"))
    assert error_code(validate_resident_id, resident_id(born="18991231")) == "birth_date"


@pytest.mark.parametrize("region", ["000000", "100000", "160000", "390000", "720000", "840000", "990000"])
def test_bad_region(region):
    assert error_code(validate_resident_id, resident_id(region=region)) == "region"


@pytest.mark.parametrize("region", ["110105", "460100", "650100", "710000", "810000", "820000", "830000"])
def test_good_regions_including_hong_kong_macao_taiwan(region):
    validate_resident_id(resident_id(region=region))


def test_old_15_digit_number_is_refused_asking_for_18_digits():
    with pytest.raises(ValidationError) as err:
        validate_resident_id("110105491231002")
    assert err.value.code == "length"
    assert "18位" in str(err.value.message)  # the message asks for the current 18-digit number


@pytest.mark.parametrize("value", ["", GB11643_EXAMPLE[:17], GB11643_EXAMPLE + "1"])
def test_wrong_length(value):
    assert error_code(validate_resident_id, value) == "length"


@pytest.mark.parametrize(
    "value",
    [
        "1101051949123100XX",
        "11010519491231002A",
        "1101051949A231002X",
        "11010519491231002 ",
        "１１010519491231002X",
    ],
)
def test_wrong_characters(value):
    assert error_code(validate_resident_id, value) == "format"


def test_normalise_resident_id_cleans_form_input():
    assert normalise_resident_id(" 110105 19491231 002x ") == GB11643_EXAMPLE
    # Full-width digits and the ideographic space come from Chinese input methods.
    assert normalise_resident_id("１１０１０５\u300019491231002ｘ") == GB11643_EXAMPLE


def test_birth_date_and_sex():
    assert birth_date_from_resident_id(GB11643_EXAMPLE) == date(1949, 12, 31)
    assert sex_from_resident_id(GB11643_EXAMPLE) == "female"
    assert sex_from_resident_id(resident_id(sequence="123")) == "male"
    assert birth_date_from_resident_id(GB11643_EXAMPLE.lower()) == date(1949, 12, 31)


@pytest.mark.parametrize("value", ["110105491231002", "110105194913310021", "1101051949ab31002X"])
def test_birth_date_helper_refuses_numbers_without_one(value):
    with pytest.raises(ValueError):
        birth_date_from_resident_id(value)


@pytest.mark.parametrize("first17", ["1101051949123100", "1101051949123100A", "110105194912310022"])
def test_resident_id_check_char_wants_17_digits(first17):
    with pytest.raises(ValueError):
        resident_id_check_char(first17)


# --- unified social credit code ---------------------------------------------------


def test_published_uscc_example_is_valid_and_matches_the_helper():
    assert uscc_check_char(USCC_EXAMPLE[:17]) == "3"
    validate_uscc(USCC_EXAMPLE)


def test_built_codes_are_valid():
    for first2 in ("11", "12", "31", "33", "51", "52", "53", "91", "92", "93", "A1", "N2", "Y1"):
        validate_uscc(uscc(first2 + "420322MA4F0K1L2"))


def test_lower_case_uscc_is_accepted():
    validate_uscc(USCC_EXAMPLE.lower())


def test_check_value_31_becomes_zero():
    # Position 17's weight (28) is coprime with 31, so exactly one character there gives sum % 31 == 0.
    codes = [uscc("91420322MA4F0K1L" + char) for char in USCC_CHARSET]
    zeros = [code for code in codes if code.endswith("0")]
    assert len(zeros) == 1
    validate_uscc(zeros[0])


def test_wrong_uscc_check_character():
    assert error_code(validate_uscc, USCC_EXAMPLE[:17] + "4") == "check_digit"


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_forbidden_letters(letter):
    value = USCC_EXAMPLE[:8] + letter + USCC_EXAMPLE[9:]
    assert error_code(validate_uscc, value) == "format"


@pytest.mark.parametrize("value", ["", USCC_EXAMPLE[:17], USCC_EXAMPLE + "0", "91350100-M000100Y43"])
def test_uscc_wrong_length(value):
    assert error_code(validate_uscc, value) == "length"


@pytest.mark.parametrize("first2", ["01", "0A", "B1", "G1", "22", "A2", "88", "94", "99", "N4", "Y2"])
def test_unknown_authority_or_category(first2):
    assert error_code(validate_uscc, uscc(first2 + "350100M000100Y4")) == "format"


def test_division_code_must_be_digits():
    assert error_code(validate_uscc, uscc("913501A0M000100Y4")) == "format"


def test_normalise_uscc():
    assert normalise_uscc(" 91350100 m000100y43\n") == USCC_EXAMPLE
    assert normalise_uscc("９１350100M000100Y43") == USCC_EXAMPLE


def test_uscc_check_char_wants_17_charset_characters():
    with pytest.raises(ValueError):
        uscc_check_char("91350100I000100Y4")
    with pytest.raises(ValueError):
        uscc_check_char(USCC_EXAMPLE)


# --- phone ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "13800138000",
        "19912345678",
        "0719-6222110",
        "07196222110",
        "010-12345678",
        "01012345678",
        "0755-26543210",
    ],
)
def test_good_phone_numbers(value):
    validate_phone(value)


@pytest.mark.parametrize(
    "value",
    [
        "12800138000",
        "1380013800",
        "138001380001",
        "0719-622211",
        "010-1234567",
        "0719-0222110",
        "0719--6222110",
        "+8613800138000",
        "１３８００１３８０００",
        "",
    ],
)
def test_bad_phone_numbers(value):
    assert error_code(validate_phone, value) == "phone"


# --- model field use --------------------------------------------------------------


def test_validators_work_on_model_fields_and_in_migrations():
    field = models.CharField(max_length=18, validators=[validate_resident_id])
    field.run_validators(GB11643_EXAMPLE)
    with pytest.raises(ValidationError) as err:
        field.run_validators(GB11643_EXAMPLE[:17] + "0")
    assert err.value.error_list[0].code == "check_digit"
    for validator in (validate_resident_id, validate_uscc, validate_phone):
        assert MigrationWriter.serialize(validator)[0] == f"core.validators.{validator.__name__}"
