from django.urls import path

from . import views

app_name = "counselling"
urlpatterns = [
    path("", views.BookingList.as_view(), name="booking-list"),
    path("book/", views.BookingCreate.as_view(), name="booking-create"),
    path("slots/", views.FreeSlotList.as_view(), name="slot-list"),
    path("<int:pk>/", views.BookingDetail.as_view(), name="booking-detail"),
    path("<int:pk>/cancel/", views.BookingCancel.as_view(), name="booking-cancel"),
    path("<int:pk>/outcome/", views.BookingOutcome.as_view(), name="booking-outcome"),
    path("mine/", views.MyCalendar.as_view(), name="my-calendar"),
    path("mine/new/", views.SlotCreate.as_view(), name="slot-create"),
    path("mine/slots/<int:pk>/withdraw/", views.SlotWithdraw.as_view(), name="slot-withdraw"),
    path("mine/<int:pk>/", views.MyBookingDetail.as_view(), name="my-booking"),
]
