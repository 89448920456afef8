from django.utils.functional import SimpleLazyObject

from .navigation import navigation_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    # Worked out only by a page that shows it: a desk page without the sidebar (the
    # card check) does not pay for a permission check and a URL per console area.
    return {"navigation": SimpleLazyObject(lambda: navigation_for(user))}
