"""The interface language: Simplified Chinese unless the user chose otherwise."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Use the language picked with the switch (its cookie), else LANGUAGE_CODE.

    Django's LocaleMiddleware would follow the browser's Accept-Language; union
    staff often use browsers set up in English on office machines, and the
    console must still open in Chinese. English is one click away and sticks.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or settings.LANGUAGE_CODE
        try:
            language = translation.get_supported_language_variant(chosen)
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
