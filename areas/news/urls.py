"""Included from areas/urls.py before the area catch-all: /areas/news/…,
/areas/circulars/…, /areas/facilities/… (names `areas:news:…`)."""

from django.urls import path

from portal.costly import FEED_LIMIT, costly
from portal.permissions import PUBLIC, permission_required

from . import feeds, views, views_circulars, views_facilities, views_subscriptions

app_name = "news"


def public(feed):
    # Feeds are public; the decorator records that for the permission checks.
    # Feed readers poll: the answer is kept a minute and counted per client.
    return permission_required(PUBLIC)(costly(FEED_LIMIT, name="news-feed")(feed))


urlpatterns = [
    path("news/", views.post_list, name="list"),
    path("news/feed/", public(feeds.PostFeed()), name="feed"),
    path("news/area/<str:code>/", views.area_posts, name="area"),
    path("news/area/<str:code>/feed/", public(feeds.AreaFeed()), name="area_feed"),
    path("news/issue/<int:number>/feed/", public(feeds.IssueFeed()), name="issue_feed"),
    path(
        "news/organisation/<int:pk>/feed/",
        public(feeds.OrganisationFeed()),
        name="organisation_feed",
    ),
    path("news/mine/", views.my_posts, name="mine"),
    path("news/new/", views.create_news, name="create_news"),
    path("news/report/new/", views.create_report, name="create_report"),
    path("news/review/", views.review_queue, name="review_queue"),
    path("news/<int:pk>/", views.post_detail, name="detail"),
    path("news/<int:pk>/edit/", views.edit_post, name="edit"),
    path("news/<int:pk>/submit/", views.submit_post, name="submit"),
    path("news/<int:pk>/publish/", views.publish_post, name="publish"),
    path("news/<int:pk>/return/", views.return_post, name="return"),
    path("news/<int:pk>/unpublish/", views.unpublish_post, name="unpublish"),
    path("news/subscribe/", views_subscriptions.subscribe, name="subscribe"),
    path("news/subscribe/confirm/<str:token>/", views_subscriptions.confirm, name="confirm"),
    path("news/unsubscribe/<str:token>/", views_subscriptions.unsubscribe, name="unsubscribe"),
    path(
        "news/subscriptions/<int:pk>/end/",
        views_subscriptions.end_subscription,
        name="end_subscription",
    ),
    path("circulars/", views_circulars.circular_list, name="circulars"),
    path("circulars/new/<str:code>/", views_circulars.circular_create, name="circular_create"),
    path("circulars/<int:pk>/", views_circulars.circular_detail, name="circular"),
    path("circulars/<int:pk>/pdf/", views_circulars.circular_pdf, name="circular_pdf"),
    path("facilities/", views_facilities.facility_list, name="facilities"),
    path("facilities/new/", views_facilities.facility_create, name="facility_create"),
    path("facilities/<int:pk>/edit/", views_facilities.facility_edit, name="facility_edit"),
]
