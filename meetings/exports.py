"""Tables the meetings app writes: registrant lists and the イベント一覧 open data."""

import io

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Meeting, Registration

# Digital Agency 推奨データセット「イベント一覧」: these 32 columns, in this order.
EVENT_COLUMNS = [
    "都道府県コード又は市区町村コード",
    "NO",
    "都道府県名",
    "市区町村名",
    "イベント名",
    "イベント名_カナ",
    "イベント名_英語",
    "開始日",
    "終了日",
    "開始時間",
    "終了時間",
    "開始日時特記事項",
    "説明",
    "料金(基本)",
    "料金(詳細)",
    "連絡先名称",
    "連絡先電話番号",
    "連絡先内線番号",
    "主催者",
    "場所名称",
    "住所",
    "方書",
    "緯度",
    "経度",
    "アクセス方法",
    "駐車場情報",
    "定員",
    "参加申込終了日",
    "参加申込終了時間",
    "参加申込方法",
    "URL",
    "備考",
]


def _remarks(meeting):
    notes = [meeting.get_kind_display()]
    if meeting.status == Meeting.Status.CANCELLED:
        notes.append("中止")
    if meeting.online_url:
        notes.append("オンライン参加可" if meeting.is_hybrid else "オンライン開催")
    return "。".join(str(n) for n in notes)


def event_rows(meetings, *, base_url):
    organiser = f"{settings.PORTAL_CITY_NAME} 協働推進課"
    for number, meeting in enumerate(meetings, start=1):
        start = timezone.localtime(meeting.starts_at)
        end = timezone.localtime(meeting.ends_at)
        closes = timezone.localtime(meeting.registration_closes_at)
        yield [
            settings.PORTAL_CITY_CODE,
            number,
            settings.PORTAL_PREFECTURE_NAME,
            settings.PORTAL_CITY_NAME,
            meeting.title,
            "",
            "",
            start.strftime("%Y-%m-%d"),
            end.strftime("%Y-%m-%d"),
            start.strftime("%H:%M"),
            end.strftime("%H:%M"),
            "",
            meeting.description,
            "無料",
            "",
            meeting.contact or organiser,
            meeting.contact_phone,
            "",
            organiser,
            meeting.venue_name or ("オンライン" if meeting.online_url else ""),
            meeting.venue_address,
            "",
            "",
            "",
            "",
            "",
            meeting.capacity,
            closes.strftime("%Y-%m-%d"),
            closes.strftime("%H:%M"),
            "ウェブサイトから申込み",
            base_url + meeting.get_absolute_url(),
            _remarks(meeting),
        ]


def participant_header():
    return [
        _("申込番号"),
        _("状態"),
        _("氏名"),
        _("氏名（カナ）"),
        _("メールアドレス"),
        _("電話番号"),
        _("人数"),
        _("参加方法"),
        _("配慮が必要なこと"),
        _("保育"),
        _("保育の人数"),
        _("ひとこと"),
        _("申込みの経路"),
        _("申込日時"),
        _("出席"),
    ]


def participant_rows(registrations):
    for r in registrations:
        yield [
            r.pk,
            r.get_status_display(),
            r.name,
            r.name_kana,
            r.email,
            r.phone,
            r.party_size,
            r.get_mode_display(),
            r.accessibility_needs,
            _("希望") if r.childcare_requested else "",
            r.childcare_children or "",
            r.comment,
            r.get_source_display(),
            timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(r.attended_at).strftime("%H:%M") if r.attended_at else "",
        ]


def participants_xlsx(registrations):
    # openpyxl costs 0.4 s at start-up; only the XLSX download needs it.
    from openpyxl import Workbook

    from portal.xlsx import xlsx_row

    book = Workbook()
    sheet = book.active
    sheet.title = _("参加者")
    sheet.append(xlsx_row(participant_header()))
    for row in participant_rows(registrations):
        sheet.append(xlsx_row(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


__all__ = ["EVENT_COLUMNS", "Registration", "event_rows", "participant_rows", "participants_xlsx"]
