from django.urls import path

from . import views

app_name = "skills"

urlpatterns = [
    path("", views.SkillRecordList.as_view(), name="list"),
    path("counts/", views.SkillCounts.as_view(), name="counts"),
    path("person/<int:person>/new/", views.SkillRecordCreate.as_view(), name="create"),
    path("<int:pk>/edit/", views.SkillRecordUpdate.as_view(), name="update"),
    path("<int:pk>/remove/", views.SkillRecordRemove.as_view(), name="remove"),
]
