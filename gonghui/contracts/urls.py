from django.urls import path

from . import views

app_name = "contracts"

urlpatterns = [
    path("", views.ContractList.as_view(), name="list"),
    path("new/", views.ContractCreate.as_view(), name="create"),
    path("coverage/", views.ContractCoverage.as_view(), name="coverage"),
    path("<int:pk>/", views.ContractDetail.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ContractUpdate.as_view(), name="update"),
    path("<int:pk>/text/", views.ContractText.as_view(), name="text"),
    path("<int:pk>/filing/", views.ContractRecordFiling.as_view(), name="filing"),
    path("<int:pk>/objection/", views.ContractRecordObjection.as_view(), name="objection"),
]
