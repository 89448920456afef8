"""A console action's refusals reach the page it redirects to (``core.views``)."""

import pytest
from django import forms
from django.contrib.messages import constants, get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from gonghui.core.views import form_refusal, refusals_shown, show_form_errors


def _request():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _shown(request) -> list[tuple[int, str]]:
    return [(message.level, str(message)) for message in get_messages(request)]


def test_a_refusal_ends_the_block_and_each_message_is_shown_as_an_error():
    request = _request()
    after = []
    with refusals_shown(request):
        raise ValidationError(["The loan is already returned.", "The book is lost."])
        after.append("success")  # never reached
    assert after == []
    assert _shown(request) == [
        (constants.ERROR, "The loan is already returned."),
        (constants.ERROR, "The book is lost."),
    ]


def test_a_refusal_of_fields_shows_every_field_s_message():
    request = _request()
    with refusals_shown(request):
        raise ValidationError({"reason": "Give a reason.", "day": ["Not a working day."]})
    assert sorted(text for _level, text in _shown(request)) == [
        "Give a reason.",
        "Not a working day.",
    ]


def test_without_a_refusal_the_whole_block_runs_and_nothing_is_shown():
    request = _request()
    done = []
    with refusals_shown(request):
        done.append("service")
        done.append("success message")
    assert done == ["service", "success message"]
    assert _shown(request) == []


def test_any_other_error_is_not_taken_for_a_refusal():
    request = _request()
    with pytest.raises(KeyError), refusals_shown(request):
        raise KeyError("a bug, not a refusal")
    assert _shown(request) == []


class _ReasonForm(forms.Form):
    reason = forms.CharField()
    count = forms.IntegerField(min_value=1)


def test_a_failed_form_s_errors_are_shown_one_by_one():
    request = _request()
    form = _ReasonForm({"reason": "", "count": "0"})
    assert not form.is_valid()
    show_form_errors(request, form)
    shown = _shown(request)
    assert len(shown) == 2
    assert {level for level, _text in shown} == {constants.ERROR}
    assert set(text for _level, text in shown) == {
        str(form.errors["reason"][0]),
        str(form.errors["count"][0]),
    }


def test_a_failed_form_raised_as_a_refusal_ends_the_block_with_its_errors():
    request = _request()
    form = _ReasonForm({"reason": "", "count": "0"})
    assert not form.is_valid()
    after = []
    with refusals_shown(request):
        raise form_refusal(form)
        after.append("service")  # never reached
    assert after == []
    assert sorted(text for _level, text in _shown(request)) == sorted(
        [str(form.errors["reason"][0]), str(form.errors["count"][0])]
    )
