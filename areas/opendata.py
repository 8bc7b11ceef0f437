"""Open data in the Digital Agency's recommended dataset formats (推奨データセット).

Each dataset is a list of columns in the standard's exact order and a
function giving rows of values; the same rows make the CSV (UTF-8 with BOM)
and the JSON. The city's 全国地方公共団体コード and name come from settings.
Datasets add themselves to DATASETS (the index page lists those whose URLs
exist); the イベント一覧 views live with the meetings.
"""

import json
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from portal.costly import FEED_LIMIT, costly
from portal.csvio import csv_bytes
from portal.permissions import PUBLIC, permission_required

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.ja"

PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県",
    "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県",
    "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府",
    "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県",
    "鹿児島県", "沖縄県",
)  # fmt: skip

FACILITY_COLUMNS = (
    "都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名", "名称", "名称_カナ",
    "名称_通称", "POIコード", "住所", "方書", "緯度", "経度", "電話番号", "内線番号", "法人番号",
    "団体名", "利用可能曜日", "開始時間", "終了時間", "利用可能日時特記事項", "説明",
    "バリアフリー情報", "URL", "備考",
)  # fmt: skip


def city_code():
    return settings.PORTAL_CITY_CODE


def city_name():
    return settings.PORTAL_CITY_NAME


def prefecture_name():
    """From the first two digits of the 全国地方公共団体コード (JIS X 0401)."""
    override = settings.PORTAL_PREFECTURE_NAME
    if override:
        return override
    try:
        number = int(city_code()[:2])
    except ValueError:
        return ""
    return PREFECTURES[number - 1] if 1 <= number <= len(PREFECTURES) else ""


def date_text(value):
    return value.strftime("%Y-%m-%d") if value else ""


def time_text(value):
    return value.strftime("%H:%M") if value else ""


def number_text(value):
    return "" if value is None else format(value, "f")


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    csv_url_name: str
    json_url_name: str

    def urls(self):
        try:
            return reverse(self.csv_url_name), reverse(self.json_url_name)
        except NoReverseMatch:
            return None


DATASETS = [
    Dataset(
        "events",
        "イベント一覧",
        "公開中の会議・イベント（エリアミーティングなど）",
        "opendata:events_csv",
        "opendata:events_json",
    ),
    Dataset(
        "facilities",
        "公共施設一覧",
        "地域の集会所・公園・避難所などの公共施設",
        "opendata:facilities_csv",
        "opendata:facilities_json",
    ),
]


def csv_response(columns, rows, filename):
    response = HttpResponse(
        csv_bytes(list(columns), rows, encoding="utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_response(title, columns, rows):
    payload = {
        "dataset": title,
        "publisher": city_name(),
        "license": LICENCE,
        "licenseUrl": LICENCE_URL,
        "columns": list(columns),
        "records": [dict(zip(columns, row, strict=True)) for row in rows],
    }
    return HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )


def facility_rows():
    from areas.news.selectors import facilities

    code, prefecture, city = city_code(), prefecture_name(), city_name()
    for number, facility in enumerate(facilities(published_only=True), start=1):
        yield [
            code,
            str(number),
            prefecture,
            city,
            facility.name,
            facility.name_kana,
            facility.common_name,
            facility.poi_code,
            facility.address,
            facility.address_detail,
            number_text(facility.latitude),
            number_text(facility.longitude),
            facility.phone,
            facility.extension,
            facility.corporate_number,
            facility.operator,
            facility.open_days,
            time_text(facility.opens_at),
            time_text(facility.closes_at),
            facility.availability_note,
            facility.description,
            facility.barrier_free,
            facility.url,
            facility.note,
        ]


@require_GET
@permission_required(PUBLIC)
def index(request):
    from django.shortcuts import render

    datasets = [(dataset, dataset.urls()) for dataset in DATASETS]
    return render(
        request,
        "areas/opendata_index.html",
        {
            "datasets": [(d, urls) for d, urls in datasets if urls],
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "city_code": city_code(),
        },
    )


@require_GET
@permission_required(PUBLIC)
@costly(FEED_LIMIT, name="opendata")
def facilities_csv(request):
    return csv_response(
        FACILITY_COLUMNS, list(facility_rows()), f"{city_code()}_public_facility.csv"
    )


@require_GET
@permission_required(PUBLIC)
@costly(FEED_LIMIT, name="opendata")
def facilities_json(request):
    return json_response("公共施設一覧", FACILITY_COLUMNS, list(facility_rows()))
