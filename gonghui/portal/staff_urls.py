"""The console's side of the portal: bindings a union confirms."""

from django.urls import path

from . import views

app_name = "bindings"

urlpatterns = [
    path("", views.BindingList.as_view(), name="list"),
    path("<int:pk>/", views.BindingDetail.as_view(), name="detail"),
    path("<int:pk>/confirm/", views.BindingConfirm.as_view(), name="confirm"),
    path("<int:pk>/refuse/", views.BindingRefuse.as_view(), name="refuse"),
]
