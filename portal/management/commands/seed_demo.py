from django.core.management.base import BaseCommand

from portal.demo import build_demo


class Command(BaseCommand):
    help = "デモ用の架空市（地域、町丁目、団体、各役割のアカウント）を作成します。2回実行しても安全です。"

    def handle(self, *args, **options):
        build_demo(self.stdout)
        self.stdout.write(self.style.SUCCESS("デモデータを作成しました。"))
