import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from areas.services import import_districts
from portal.audit import Actor
from portal.csvio import ImportRejected


class Command(BaseCommand):
    help = (
        "地域・町丁目をCSVファイルから取り込みます（地域コード, 地域名, 町丁目コード, 町丁目名）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        try:
            data = file.open("rb")
        except OSError as exc:
            raise CommandError(f"ファイルを読めません: {exc}") from exc
        try:
            with data:
                result = import_districts(
                    data=data, by=Actor.for_system("manage.py import_districts")
                )
        except ImportRejected as rejected:
            for line in rejected.report_lines():
                self.stdout.write(line)
            self.stderr.write(
                f"{rejected.error_count}件の誤りがあるため取り込みませんでした（何も変更していません）。"
            )
            sys.exit(1)
        self.stdout.write(
            f"地域: 新規 {result.areas_created} 件・更新 {result.areas_updated} 件、"
            f"町丁目: 新規 {result.districts_created} 件・更新 {result.districts_updated} 件・"
            f"変更なし {result.unchanged} 件"
        )
