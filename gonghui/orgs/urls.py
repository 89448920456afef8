from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.OrganisationList.as_view(), name="organisation-list"),
    path("new/", views.OrganisationCreate.as_view(), name="organisation-create"),
    path("<int:pk>/", views.OrganisationDetail.as_view(), name="organisation-detail"),
    path("<int:pk>/edit/", views.OrganisationUpdate.as_view(), name="organisation-update"),
    path("<int:pk>/move/", views.OrganisationMove.as_view(), name="organisation-move"),
    path("<int:pk>/delete/", views.OrganisationDelete.as_view(), name="organisation-delete"),
    path("employers/", views.EmployerList.as_view(), name="employer-list"),
    path("employers/new/", views.EmployerCreate.as_view(), name="employer-create"),
    path("employers/<int:pk>/", views.EmployerDetail.as_view(), name="employer-detail"),
    path("employers/<int:pk>/edit/", views.EmployerUpdate.as_view(), name="employer-update"),
    path("employers/<int:pk>/delete/", views.EmployerDelete.as_view(), name="employer-delete"),
]
