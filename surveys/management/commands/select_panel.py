import hashlib
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal import audit
from portal.csvio import ImportRejected
from surveys.sortition import ALGORITHMS, InfeasibleQuotas, PoolError, select
from surveys.sortition.io import read_features, read_people, selection_files


class Command(BaseCommand):
    help = (
        "割当（特徴量ファイル）を満たすパネルを候補者ファイルから公平に選びます"
        "（LEXIMIN または maximin、HiGHS）。Sortition Foundation のファイル形式に対応。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--features", type=Path, required=True)
        parser.add_argument("--people", type=Path, required=True)
        parser.add_argument("--size", type=int, required=True)
        parser.add_argument("--seed", type=int, required=True)
        parser.add_argument("--algorithm", choices=ALGORITHMS, default="leximin")
        parser.add_argument("--id-column", dest="id_column", default=None)
        parser.add_argument("--selected", type=Path, required=True)
        parser.add_argument("--remaining", type=Path, required=True)
        parser.add_argument("--probabilities", type=Path, required=True)

    def _read(self, path):
        try:
            return path.read_bytes()
        except OSError as exc:
            raise CommandError(f"ファイルを読めません: {path}: {exc.strerror}") from exc

    def _fail(self, lines):
        for line in lines:
            self.stderr.write(line)
        sys.exit(1)

    def handle(self, *args, **options):
        features_data = self._read(options["features"])
        people_data = self._read(options["people"])
        try:
            quotas = read_features(features_data)
        except ImportRejected as rejected:
            self._fail(
                [f"{options['features'].name}: {line}" for line in rejected.report_lines()]
                + ["特徴量ファイルに誤りがあるため選出しませんでした。"]
            )
        try:
            people = read_people(people_data, quotas=quotas, id_column=options["id_column"])
        except ImportRejected as rejected:
            self._fail(
                [f"{options['people'].name}: {line}" for line in rejected.report_lines()]
                + ["候補者ファイルに誤りがあるため選出しませんでした。"]
            )
        try:
            result = select(
                quotas,
                people.records,
                size=options["size"],
                seed=options["seed"],
                algorithm=options["algorithm"],
            )
        except (InfeasibleQuotas, PoolError) as exc:
            self._fail(
                [*exc.messages, "パネルを選べませんでした。割当または候補者を見直してください。"]
            )

        selected, remaining, probabilities = selection_files(people, result)
        for path, content in (
            (options["selected"], selected),
            (options["remaining"], remaining),
            (options["probabilities"], probabilities),
        ):
            try:
                path.write_bytes(content)
            except OSError as exc:
                raise CommandError(f"ファイルに書き込めません: {path}: {exc.strerror}") from exc

        audit.record(
            by=audit.Actor.for_system("manage.py select_panel"),
            action="surveys.panel.selected",
            target="パネル選出（ファイル）",
            data={
                "algorithm": result.algorithm,
                "seed": result.seed,
                "size": len(result.panel),
                "pool": len(result.probabilities),
                "solver": result.solver_version,
                "features_sha256": hashlib.sha256(features_data).hexdigest(),
                "people_sha256": hashlib.sha256(people_data).hexdigest(),
                "quotas_met": result.all_quotas_met,
            },
        )
        self.stdout.write(
            f"{len(result.probabilities)}人から{len(result.panel)}人を選びました"
            f"（{result.algorithm.upper()}、{result.solver_version}、シード {result.seed}、"
            f"最低選出確率 {result.lowest_probability:.4f}）。"
        )
