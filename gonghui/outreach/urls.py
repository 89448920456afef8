from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("deliveries/", views.DeliveryList.as_view(), name="delivery-list"),
    path("deliveries/new/", views.DeliveryCreate.as_view(), name="delivery-create"),
    path("deliveries/summary/", views.DeliverySummaryView.as_view(), name="delivery-summary"),
    path("deliveries/<int:pk>/", views.DeliveryDetail.as_view(), name="delivery-detail"),
    path("deliveries/<int:pk>/edit/", views.DeliveryUpdate.as_view(), name="delivery-update"),
    path("visits/", views.VisitList.as_view(), name="visit-list"),
    path("visits/new/", views.VisitCreate.as_view(), name="visit-create"),
    path("visits/<int:pk>/", views.VisitDetail.as_view(), name="visit-detail"),
    path("visits/<int:pk>/edit/", views.VisitUpdate.as_view(), name="visit-update"),
    path("wishes/", views.WishList.as_view(), name="wish-list"),
    path("wishes/new/", views.WishCreate.as_view(), name="wish-create"),
    path("wishes/<int:pk>/", views.WishDetail.as_view(), name="wish-detail"),
    path("wishes/<int:pk>/edit/", views.WishUpdate.as_view(), name="wish-update"),
    path("wishes/<int:pk>/claim/", views.WishClaim.as_view(), name="wish-claim"),
    path("wishes/<int:pk>/fulfil/", views.WishFulfil.as_view(), name="wish-fulfil"),
    path("wishes/<int:pk>/withdraw/", views.WishWithdraw.as_view(), name="wish-withdraw"),
    path("wishes/<int:pk>/photo/", views.WishPhoto.as_view(), name="wish-photo"),
    path("ledger/", views.LedgerView.as_view(), name="ledger"),
]
