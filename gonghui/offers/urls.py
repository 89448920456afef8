from django.urls import path

from . import views

app_name = "offers"

urlpatterns = [
    path("", views.OfferList.as_view(), name="list"),
    path("new/", views.OfferCreate.as_view(), name="create"),
    path("<int:pk>/", views.OfferDetail.as_view(), name="detail"),
    path("<int:pk>/edit/", views.OfferUpdate.as_view(), name="update"),
    path("<int:pk>/status/", views.OfferSetStatus.as_view(), name="status"),
    path("<int:pk>/pin/", views.OfferSetPin.as_view(), name="pin"),
    path("<int:pk>/claims/", views.OfferClaims.as_view(), name="claims"),
]
