from django.middleware.locale import LocaleMiddleware


class JapaneseFirstLocaleMiddleware(LocaleMiddleware):
    """Japanese unless the visitor chose another language with the switcher.

    The browser's Accept-Language is ignored on purpose: city staff and
    residents often use browsers set to English, and the portal's pages,
    letters and notices are Japanese first.
    """

    def process_request(self, request):
        accept_language = request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        try:
            super().process_request(request)
        finally:
            if accept_language is not None:
                request.META["HTTP_ACCEPT_LANGUAGE"] = accept_language
