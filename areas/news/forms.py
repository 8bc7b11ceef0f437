import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas import sdgs
from areas.models import Area, Facility, LocalIssue, Post, SdgGoal, Subscription

from .images import MAX_UPLOAD_BYTES
from .services import PostContent


class PostForm(forms.Form):
    title = forms.CharField(label=_("題名"), max_length=200)
    body = forms.CharField(
        label=_("本文"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Markdown で書けます（**太字**、- 箇条書き、[リンク](https://…)）。HTMLは使えません。"
        ),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("対象地域"),
        queryset=Area.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("選ばないとき：お知らせは市内全域、活動報告は団体の活動地域。"),
    )
    issues = forms.ModelMultipleChoiceField(
        label=_("地域課題"),
        queryset=LocalIssue.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sdg_goals = forms.ModelMultipleChoiceField(
        label=_("SDGs"),
        queryset=SdgGoal.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sdg_goals.label_from_instance = sdgs.goal_label
    reply_prompt = forms.CharField(
        label=_("回覧板の回答欄"),
        max_length=300,
        required=False,
        help_text=_(
            "回答がほしいときだけ、聞きたいことを書きます（例：参加人数をお書きください）。"
        ),
    )
    publish_at = forms.DateTimeField(
        label=_("公開開始"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("空欄なら公開した時点から。"),
    )
    unpublish_at = forms.DateTimeField(
        label=_("公開終了"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    image = forms.FileField(
        label=_("写真"),
        required=False,
        help_text=_("JPEG・PNG・WebP、8MBまで。位置情報（EXIF）は取り除かれます。"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    image_alt = forms.CharField(
        label=_("写真の説明（代替テキスト）"),
        max_length=200,
        required=False,
        help_text=_("目の不自由な方にも伝わるよう、写真の内容を短く書きます。"),
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields = {
                "organisation": forms.ModelChoiceField(
                    label=_("団体"), queryset=organisations, empty_label=None
                ),
                **self.fields,
            }

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and image.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("画像が大きすぎます（8MBまで）。"))
        return image

    def clean(self):
        data = super().clean()
        if data.get("image") and not (data.get("image_alt") or "").strip():
            self.add_error("image_alt", _("写真の説明を入力してください。"))
        start, end = data.get("publish_at"), data.get("unpublish_at")
        if start and end and end <= start:
            self.add_error("unpublish_at", _("公開終了は公開開始より後にしてください。"))
        return data

    def content(self):
        data = self.cleaned_data
        return PostContent(
            title=data["title"],
            body=data["body"],
            areas=list(data["areas"]),
            issues=list(data["issues"]),
            sdg_goals=list(data["sdg_goals"]),
            reply_prompt=data["reply_prompt"],
            publish_at=data["publish_at"],
            unpublish_at=data["unpublish_at"],
        )

    @classmethod
    def initial_for(cls, post):
        def local(value):
            return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else None

        return {
            "title": post.title,
            "body": post.body,
            "areas": list(post.areas.all()),
            "issues": list(post.issues.all()),
            "sdg_goals": list(post.sdg_goals.all()),
            "reply_prompt": post.reply_prompt,
            "publish_at": local(post.publish_at),
            "unpublish_at": local(post.unpublish_at),
        }


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("差し戻しの理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("キーワード"), max_length=100, required=False)
    area = forms.ModelChoiceField(
        label=_("地域"),
        queryset=Area.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("すべての地域"),
    )
    issue = forms.ModelChoiceField(
        label=_("地域課題"),
        queryset=LocalIssue.objects.filter(is_active=True),
        required=False,
        to_field_name="number",
        empty_label=_("すべての課題"),
    )
    kind = forms.ChoiceField(
        label=_("種類"), choices=[("", _("すべて")), *Post.Kind.choices], required=False
    )


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("メールアドレス"))
    areas = forms.ModelMultipleChoiceField(
        label=_("地域"),
        queryset=Area.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("地域も課題も選ばないと、すべてのお知らせが届きます。"),
    )
    issues = forms.ModelMultipleChoiceField(
        label=_("地域課題"),
        queryset=LocalIssue.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    frequency = forms.ChoiceField(
        label=_("配信の頻度"),
        choices=Subscription.Frequency.choices,
        initial=Subscription.Frequency.WEEKLY,
        widget=forms.RadioSelect,
    )


def next_month(today=None):
    today = today or timezone.localdate()
    return (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


class CircularForm(forms.Form):
    month = forms.DateField(
        label=_("対象月"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        help_text=_("回覧する月（例：2026-05）。"),
    )
    title = forms.CharField(label=_("題名"), max_length=200)
    issuer = forms.CharField(
        label=_("発行者"), max_length=200, help_text=_("例：桜ヶ丘一丁目自治会 会長")
    )
    posts = forms.ModelMultipleChoiceField(
        label=_("載せる投稿"),
        queryset=Post.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    meetings = forms.MultipleChoiceField(
        label=_("載せる会議・イベント"), required=False, widget=forms.CheckboxSelectMultiple
    )
    households = forms.CharField(
        label=_("回覧順の世帯"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("1行に1世帯を、回覧する順に入力（表計算ソフトから貼り付けできます）。"),
    )

    def __init__(self, *args, posts, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posts"].queryset = posts
        self.fields["meetings"].choices = [
            (item["key"], f"{item['title']}（{item.get('when', '')}）") for item in meetings
        ]

    def clean_households(self):
        text = self.cleaned_data["households"]
        lines = [line.split("\t")[0].strip() for line in text.splitlines()]
        return "\n".join(line for line in lines if line)


class FacilityForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), required=False, assume_scheme="https")

    class Meta:
        model = Facility
        fields = [
            "area",
            "kind",
            "name",
            "name_kana",
            "common_name",
            "address",
            "address_detail",
            "latitude",
            "longitude",
            "phone",
            "extension",
            "operator",
            "corporate_number",
            "poi_code",
            "open_days",
            "opens_at",
            "closes_at",
            "availability_note",
            "description",
            "barrier_free",
            "url",
            "note",
            "is_published",
        ]
        widgets = {
            "opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "barrier_free": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
