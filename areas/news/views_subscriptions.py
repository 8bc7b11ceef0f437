"""Subscribing to the digest (double opt-in) and one-click unsubscribing."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from areas.models import Subscription
from portal.audit import Actor
from portal.errors import ServiceError
from portal.permissions import PUBLIC, permission_required, visible
from portal.ratelimit import TooManyAttempts

from . import selectors, subscriptions
from .forms import SubscribeForm


@permission_required(PUBLIC)
def subscribe(request):
    user = request.user
    initial = {"email": user.email} if user.is_authenticated else {}
    form = SubscribeForm(request.POST or None, initial=initial)
    status = 400 if request.method == "POST" else 200
    retry_after = None
    if request.method == "POST" and form.is_valid():
        try:
            subscription = subscriptions.subscribe(
                email=form.cleaned_data["email"],
                areas=list(form.cleaned_data["areas"]),
                issues=list(form.cleaned_data["issues"]),
                frequency=form.cleaned_data["frequency"],
                by=Actor.from_request(request),
            )
        except TooManyAttempts as error:
            form.add_error(None, error.message)
            status, retry_after = error.status_code, error.retry_after
        else:
            if subscription.confirmed_at:
                messages.success(request, _("メール配信を登録しました。"))
            else:
                # The same answer whether or not the address was known.
                messages.success(
                    request,
                    _("確認のメールを送りました。メールのリンクを開くと登録が完了します。"),
                )
            return redirect("areas:news:subscribe")
    current = list(selectors.subscriptions_of(user)) if user.is_authenticated else []
    response = render(
        request,
        "areas/news/subscribe.html",
        {"form": form, "subscriptions": current},
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@permission_required(PUBLIC)
def confirm(request, token):
    """GET shows a button (mail scanners open links); POST confirms."""
    try:
        subscription = subscriptions.subscription_for_confirmation(token)
    except ServiceError as error:
        return render(
            request, "areas/news/token_problem.html", {"message": error.message}, status=400
        )
    if request.method == "POST":
        try:
            subscriptions.confirm(token=token, by=Actor.from_request(request))
        except ServiceError as error:
            return render(
                request, "areas/news/token_problem.html", {"message": error.message}, status=400
            )
        messages.success(request, _("メール配信の登録が完了しました。"))
        return redirect("areas:news:list")
    return render(request, "areas/news/confirm.html", {"subscription": subscription})


@csrf_exempt
@permission_required(PUBLIC)
def unsubscribe(request, token):
    """RFC 8058: a POST with `List-Unsubscribe=One-Click` (from the mail
    program, without cookies or CSRF token) unsubscribes at once; a person
    following the link gets a page with a button that posts here."""
    try:
        subscription = subscriptions.subscription_for_unsubscribe(token)
    except ServiceError as error:
        return render(
            request, "areas/news/token_problem.html", {"message": error.message}, status=400
        )
    if request.method == "POST":
        subscriptions.unsubscribe(token=token, by=Actor.from_request(request))
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("配信を停止しました。"), content_type="text/plain; charset=utf-8")
        return render(request, "areas/news/unsubscribed.html", {})
    return render(request, "areas/news/unsubscribe.html", {"subscription": subscription})


def _own_subscription(request, pk, **kwargs):
    mine = visible(request.user, "areas.manage_own_subscription", Subscription.objects.all())
    return get_object_or_404(mine, pk=pk)


@require_POST
@permission_required("areas.manage_own_subscription", get_object=_own_subscription)
def end_subscription(request, pk, obj):
    subscriptions.end_subscription(subscription_id=obj.pk, by=Actor.from_request(request))
    messages.success(request, _("メール配信を解除しました。"))
    return redirect("areas:news:subscribe")
