"""Chinese text takes full-width brackets and colons (core.labels)."""

import re

from django.template import Context, Template
from django.utils import translation

from gonghui.core.labels import bracketed, colon, labelled

ASCII_IN_CHINESE = re.compile(r"[\u4e00-\u9fff][:(]|[:)][\u4e00-\u9fff]|[\u4e00-\u9fff] \(")


def test_a_detail_and_a_value_take_full_width_marks_in_chinese():
    with translation.override("zh-hans"):
        assert bracketed("张三", "配偶") == "张三（配偶）"
        assert labelled("状态", "运行中") == "状态：运行中"
        assert colon() == "："
    with translation.override("en"):
        assert bracketed("Zhang San", "spouse") == "Zhang San (spouse)"
        assert labelled("Status", "running") == "Status: running"


def test_the_template_tags_write_the_same():
    template = Template(
        "{% load labels %}{{ name|bracketed:detail }} {% labelled label value %} a{% colon %}b"
    )
    context = Context({"name": "某中学", "detail": 2026, "label": "状态", "value": "完成"})
    with translation.override("zh-hans"):
        text = template.render(context)
    assert text == "某中学（2026） 状态：完成 a：b"
    assert not ASCII_IN_CHINESE.search(text)
