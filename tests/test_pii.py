"""The pii step: phone, e-mail, resident ID, QQ and bank card numbers redacted; near misses untouched."""

from __future__ import annotations

import re

import pytest
from faker import Faker

from zhclean.document import Document
from zhclean.steps.pii import Pii, find_pii, id_checksum_ok, luhn_ok, redact

fake = Faker("zh_CN")
Faker.seed(20240601)


def mutate_check_digit(number: str) -> str:
    last = number[-1]
    return number[:-1] + ("0" if last in "Xx" else str((int(last) + 1) % 10))


@pytest.mark.parametrize("k", range(20))
def test_faker_numbers_redacted(k):
    phone, ssn, email, qq = (
        fake.phone_number(),
        fake.ssn(),
        fake.email(),
        str(fake.random_int(10000, 9999999999)),
    )
    card = fake.credit_card_number(card_type="mastercard")
    text = (
        f"联系人：{fake.name()}，手机：{phone}，邮箱：{email}，身份证号：{ssn}，QQ：{qq}，银行卡号：{card}。"
    )
    assert redact(text).endswith(
        "手机：[PHONE]，邮箱：[EMAIL]，身份证号：[ID]，QQ：[QQ]，银行卡号：[BANKCARD]。"
    )


def test_seed_contact_lines():
    line = "違法和不良信息舉報電話：0513-68218870 郵箱：ntrb@163.com"
    assert redact(line) == "違法和不良信息舉報電話：[PHONE] 郵箱：[EMAIL]"
    hotlines = "發行熱線：85118867 廣告熱線：85118892 爆料熱線：85110110"
    assert redact(hotlines) == "發行熱線：[PHONE] 廣告熱線：[PHONE] 爆料熱線：[PHONE]"


@pytest.mark.parametrize(
    "text",
    [
        "蘇ICP備08106468-3號蘇新網備2010048 互聯網新聞信息服務許可證32120180013",
        "全年实现营业收入增長12345678元，同比增长13.5%。",
        "2022-09-07 09:27:00 发布，2009-2021 年累计投资13912345678元。",
        "全市常住人口9154251人，其中城镇人口7012345人。",
        "本期彩票号码为13800138000，请核对。",  # phone-like, no contact word before it
        "商品编号6222020200012345678，价格 1999.00 元。",  # card-like, no card word
        "会议于2023年6月3日召开，市委书记王进健出席并讲话。",  # an official's name
        "统计显示，该市户籍人口为110105194912310021人。",  # ID-like digits as a quantity
    ],
)
def test_near_misses_untouched(text):
    assert find_pii(text) == []
    doc = Document(text)
    Pii()(doc)
    assert doc.text == text and doc.edits == []


def test_checksums():
    ssn = fake.ssn()
    assert id_checksum_ok(ssn)
    assert not id_checksum_ok(mutate_check_digit(ssn))
    assert find_pii(f"身份证{mutate_check_digit(ssn)}") == []
    card = fake.credit_card_number(card_type="mastercard")
    assert luhn_ok(card)
    assert find_pii(f"卡号{mutate_check_digit(card)}") == []


def test_edit_records_never_hold_the_value():
    phone = fake.phone_number()
    doc = Document(f"标题\n咨询电话：{phone}\n正文。")
    Pii()(doc)
    assert doc.text == "标题\n咨询电话：[PHONE]\n正文。"
    assert [(e.kind, e.before, e.after) for e in doc.edits] == [("phone", "phone", "[PHONE]")]
    assert phone not in repr(doc.to_record())
    assert doc.meta["pii"] == {"phone": 1}


def test_remove_line_and_keep_modes():
    phone = fake.phone_number()
    text = f"标题\n正文第一段。\n联系电话：{phone}"
    doc = Document(text)
    Pii(mode="remove-line")(doc)
    assert doc.text == "标题\n正文第一段。"
    assert doc.removed[0].line == "联系电话：[PHONE]"
    assert phone not in repr(doc.to_record())
    doc = Document(text)
    Pii(mode="keep")(doc)
    assert doc.text == text
    assert doc.flags[0]["pii"] == "phone" and doc.flags[0]["length"] == len(phone)
    assert phone not in repr(doc.flags)


def test_bad_mode():
    from zhclean.pipeline import ConfigError

    with pytest.raises(ConfigError):
        Pii(mode="erase")


def test_qq_pairs_are_every_pair_that_qq_matches():
    import sys

    from zhclean.steps.pii import _QQ_PAIRS

    one = re.compile(r"(?i)[qＱ]")
    matched = [
        chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000 and one.fullmatch(chr(c))
    ]
    pairs = re.compile(r"(?i)(?:qq|ＱＱ)")
    assert sorted(a + b for a in matched for b in matched if pairs.fullmatch(a + b)) == sorted(_QQ_PAIRS)
