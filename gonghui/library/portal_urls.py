from django.urls import path

from . import portal_views as views

app_name = "portal-library"

urlpatterns = [
    path("", views.LibraryHome.as_view(), name="home"),
    path("rooms/<int:pk>/", views.RoomCatalogue.as_view(), name="room"),
]
