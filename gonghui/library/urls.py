from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("", views.RoomList.as_view(), name="room-list"),
    path("new/", views.RoomCreate.as_view(), name="room-create"),
    path("<int:pk>/", views.RoomDetail.as_view(), name="room-detail"),
    path("<int:pk>/edit/", views.RoomUpdate.as_view(), name="room-update"),
    path("<int:pk>/books/new/", views.BookCreate.as_view(), name="book-create"),
    path("<int:pk>/books/import/", views.BookImport.as_view(), name="book-import"),
    path("<int:pk>/lend/", views.LoanLend.as_view(), name="room-lend"),
    path("books/", views.BookList.as_view(), name="book-list"),
    path("books/<int:pk>/", views.BookDetail.as_view(), name="book-detail"),
    path("books/<int:pk>/edit/", views.BookUpdate.as_view(), name="book-update"),
    path("books/<int:pk>/return/", views.BookReturn.as_view(), name="book-return"),
    path("loans/", views.LoanList.as_view(), name="loan-list"),
    path("loans/<int:pk>/return/", views.LoanReturn.as_view(), name="loan-return"),
]
