"""Checks for PRC identifiers: resident ID numbers, unified social credit codes and phone numbers.

The ``validate_*`` functions raise ``ValidationError`` and can go straight into a model
field's ``validators``; forms should run the matching ``normalise_*`` first.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# --- Resident identity card number (GB 11643-1999) ---------------------------------

RESIDENT_ID_LENGTH = 18
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK_CHARS = "10X98765432"

# 71 is Taiwan's GB/T 2260 code; 81/82/83 begin the numbers on residence permits for
# Hong Kong, Macao and Taiwan residents, which parties present in place of an ID card.
PROVINCE_CODES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23"}
    | {"31", "32", "33", "34", "35", "36", "37"}
    | {"41", "42", "43", "44", "45", "46"}
    | {"50", "51", "52", "53", "54"}
    | {"61", "62", "63", "64", "65"}
    | {"71", "81", "82", "83"}
)
EARLIEST_BIRTH_DATE = date(1900, 1, 1)

_RESIDENT_ID_FORMAT = re.compile(r"\d{17}[\dX]", re.ASCII)


def normalise_resident_id(value: str) -> str:
    """Fold full-width characters (Chinese IMEs), drop whitespace, upper-case the X."""
    return "".join(unicodedata.normalize("NFKC", value).split()).upper()


def resident_id_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"expected 17 digits, got {first17!r}")
    total = sum(int(digit) * weight for digit, weight in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK_CHARS[total % 11]


def _parse_birth_date(digits: str) -> date | None:
    try:
        return date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def _today() -> date:
    # "Future" must mean future in the centre's own time zone, not UTC.
    return timezone.localdate() if settings.USE_TZ else date.today()


def validate_resident_id(value: str) -> None:
    """Check an 18-character resident ID number; a lower-case x is accepted."""
    value = str(value).upper()
    if len(value) != RESIDENT_ID_LENGTH:
        if len(value) == 15 and value.isascii() and value.isdigit():
            raise ValidationError(
                _("15-digit ID numbers expired in 2013: enter the 18-digit number on the current ID card."),
                code="length",
            )
        raise ValidationError(_("A resident ID number has 18 characters."), code="length")
    if not _RESIDENT_ID_FORMAT.fullmatch(value):
        raise ValidationError(
            _("A resident ID number is 17 digits followed by a digit or the letter X."), code="format"
        )
    if value[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _("The first two digits of the resident ID number are not a valid province code."),
            code="region",
        )
    born = _parse_birth_date(value[6:14])
    if born is None:
        raise ValidationError(
            _("Digits 7 to 14 of the resident ID number are not a valid date of birth (YYYYMMDD)."),
            code="birth_date",
        )
    if born > _today():
        raise ValidationError(
            _("The date of birth in the resident ID number (%(date)s) is in the future."),
            code="birth_date",
            params={"date": born.isoformat()},
        )
    if born < EARLIEST_BIRTH_DATE:
        raise ValidationError(
            _("The date of birth in the resident ID number (%(date)s) is before 1900."),
            code="birth_date",
            params={"date": born.isoformat()},
        )
    if value[17] != resident_id_check_char(value[:17]):
        raise ValidationError(
            _("The resident ID number's check digit is wrong: check the last character."),
            code="check_digit",
        )


def birth_date_from_resident_id(value: str) -> date:
    """The date of birth in an 18-character resident ID number (ValueError if there is none)."""
    value = normalise_resident_id(value)
    digits = value[6:14] if len(value) == RESIDENT_ID_LENGTH else ""
    born = _parse_birth_date(digits) if digits.isascii() and digits.isdigit() else None
    if born is None:
        raise ValueError(f"no date of birth in {value!r}")
    return born


def sex_from_resident_id(value: str) -> str:
    """Return "male" or "female": the 17th digit is odd for men, even for women."""
    value = normalise_resident_id(value)
    if len(value) != RESIDENT_ID_LENGTH or not value[16].isdigit():
        raise ValueError(f"not an 18-character resident ID number: {value!r}")
    return "male" if int(value[16]) % 2 else "female"


# --- Unified social credit code (GB 32100-2015) -------------------------------------

USCC_LENGTH = 18
# I, O, Z, S and V are left out because they are easily misread as 1, 0, 2, 5 and U.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# Registration authority (position 1) -> organisation categories it may assign
# (position 2), per GB 32100-2015 annex A as amended. The standard defines no B-G:
# those letters belong to the older organisation-code authority table, not this one.
USCC_CATEGORIES = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 中央编办管理的群众团体, 其他
    "2": "19",  # 外交: 外国常驻新闻机构, 其他
    "3": "123459",  # 司法行政: 律师事务所, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
    "4": "19",  # 文化: 外国在华文化中心, 其他
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游: 外国旅游部门代表机构, 港澳台旅游部门代表机构, 其他
    "7": "129",  # 宗教: 宗教活动场所, 宗教院校, 其他
    "8": "19",  # 工会: 基层工会, 其他
    "9": "123",  # 工商 (市场监管): 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室: 军队事业单位, 其他
    "N": "1239",  # 农业: 组级, 村级, 乡镇级集体经济组织, 其他
    "Y": "1",  # 其他: not subdivided
}

_USCC_VALUES = {char: index for index, char in enumerate(USCC_CHARSET)}


def normalise_uscc(value: str) -> str:
    """Fold full-width characters, drop whitespace, upper-case."""
    return "".join(unicodedata.normalize("NFKC", value).split()).upper()


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters."""
    if len(first17) != 17 or any(char not in _USCC_VALUES for char in first17):
        raise ValueError(f"expected 17 characters from {USCC_CHARSET}, got {first17!r}")
    total = sum(_USCC_VALUES[char] * weight for char, weight in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    """Check an 18-character unified social credit code; lower case is accepted."""
    value = str(value).upper()
    if len(value) != USCC_LENGTH:
        raise ValidationError(_("A unified social credit code has 18 characters."), code="length")
    if any(char not in _USCC_VALUES for char in value):
        raise ValidationError(
            _(
                "A unified social credit code uses only digits and capital letters other than I, O, Z, S and V."
            ),
            code="format",
        )
    if value[1] not in USCC_CATEGORIES.get(value[0], ""):
        raise ValidationError(
            _(
                "The first two characters of the unified social credit code are not a valid "
                "registration authority and organisation type."
            ),
            code="format",
        )
    if not value[2:8].isdigit():
        raise ValidationError(
            _("Characters 3 to 8 of the unified social credit code must be a 6-digit division code."),
            code="format",
        )
    if value[17] != uscc_check_char(value[:17]):
        raise ValidationError(
            _("The unified social credit code's check character is wrong: check the last character."),
            code="check_digit",
        )


# --- Phone numbers ------------------------------------------------------------------

# Three-digit area codes are 010 and 02x and take 8-digit local numbers; the four-digit
# ones take 7 or 8. A local number starting with 0 is really a second trunk prefix (a typo).
_PHONE = re.compile(
    r"1[3-9]\d{9}"
    r"|0(?:10|2\d)-?[1-9]\d{7}"
    r"|0[3-9]\d{2}-?[1-9]\d{6,7}",
    re.ASCII,
)


def validate_phone(value: str) -> None:
    """Check a mainland mobile number or a landline with area code."""
    if not _PHONE.fullmatch(str(value)):
        raise ValidationError(
            # Same msgid as core.models.phone_validator, so the translation is shared.
            _("Enter a mobile number (11 digits) or a landline with area code, e.g. 0719-6222110."),
            code="phone",
        )
