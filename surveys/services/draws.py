"""Random draws from the register, reproducible from their inputs and seed.

The same register, inputs and seed give the same residents in any process on
any machine: candidates are sorted by 住民番号 in code-point order (never by
the database's collation), strata are visited in a fixed order, and all
randomness comes from one `random.Random(seed)` (a str seed is hashed with
SHA-512, not with Python's per-process string hash).
"""

import random
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from django.db import connection
from django.utils.translation import gettext as _

from areas.models import Area
from portal import audit, locking
from portal.dates import age_counter, latest_birth_date
from portal.errors import ServiceError

from ..models import Draw, Invitation, Register, Resident
from . import codes


class Candidate(NamedTuple):
    resident_number: str
    resident_id: int
    area_code: str
    band: str
    sex: str


def birth_range(as_of, age_min, age_max):
    """(earliest, latest) birth dates for an age range on `as_of` (either may be None)."""
    latest = latest_birth_date(as_of, age_min) if age_min is not None else None
    earliest = (
        latest_birth_date(as_of, age_max + 1) + timedelta(days=1) if age_max is not None else None
    )
    return earliest, latest


def band_of(age, age_min, age_max):
    """The 10-year band of an age, cut to the target range: 40–49, 50–59, …"""
    low = age // 10 * 10
    high = low + 9
    if age_min is not None:
        low = max(low, age_min)
    if age_max is not None:
        high = min(high, age_max)
    return f"{low}–{high}"


def _band_start(band):
    return int(band.split("–")[0])


def stratum_key(stratum):
    area, band, sex = stratum
    return (area, _band_start(band), sex)


def _eligible_sql(*, register, as_of, age_min, age_max, area_codes, sexes, exclude):
    """FROM/WHERE of the eligible residents and its parameters (PostgreSQL)."""
    earliest, latest = birth_range(as_of, age_min, age_max)
    sql = [
        f" FROM {Resident._meta.db_table} r"  # noqa: S608 - fixed names
        " JOIN areas_district d ON d.id = r.district_id"
        " JOIN areas_area a ON a.id = d.area_id WHERE r.register_id = %s"
    ]
    params = [register.pk]
    if earliest:
        sql.append("AND r.birth_date >= %s")
        params.append(earliest)
    if latest:
        sql.append("AND r.birth_date <= %s")
        params.append(latest)
    if area_codes:
        sql.append("AND a.code = ANY(%s)")
        params.append(list(area_codes))
    if sexes:
        sql.append("AND r.sex = ANY(%s)")
        params.append(list(sexes))
    if exclude:
        sql.append("AND NOT (r.resident_number = ANY(%s))")
        params.append(sorted(exclude))
    return " ".join(sql), params


# Age as city systems count it (portal.dates.age_on): whole years on the day after.
_AGE_SQL = "date_part('year', age(%s::date, r.birth_date))::int"


def candidates(*, register, as_of, age_min=None, age_max=None, area_codes=(), sexes=(), exclude=()):
    """Every eligible resident, sorted by 住民番号 (code-point order).

    Reads the whole eligible population into memory: the portable way, used
    on SQLite. On PostgreSQL a draw counts and picks in the database instead
    (`_stratum_counts`, `_fetch_positions`), with the same result."""
    earliest, latest = birth_range(as_of, age_min, age_max)
    sql = [
        f"SELECT r.id, r.resident_number, r.birth_date, r.sex, a.code"  # noqa: S608 - fixed names
        f" FROM {Resident._meta.db_table} r"
        " JOIN areas_district d ON d.id = r.district_id"
        " JOIN areas_area a ON a.id = d.area_id WHERE r.register_id = %s"
    ]
    params = [register.pk]
    if earliest:
        sql.append("AND r.birth_date >= %s")
        params.append(earliest)
    if latest:
        sql.append("AND r.birth_date <= %s")
        params.append(latest)
    if area_codes:
        sql.append(f"AND a.code IN ({', '.join(['%s'] * len(area_codes))})")
        params += list(area_codes)
    if sexes:
        sql.append(f"AND r.sex IN ({', '.join(['%s'] * len(sexes))})")
        params += list(sexes)
    exclude = set(exclude)
    found = []
    # Runs once per resident of the register: the day after is worked out once.
    age_of = age_counter(as_of)
    bands = {}
    with connection.cursor() as cursor:
        cursor.execute(" ".join(sql), params)
        while batch := cursor.fetchmany(10000):
            for pk, number, birth, sex, area in batch:
                if number in exclude:
                    continue
                if isinstance(birth, str):  # SQLite
                    birth = date.fromisoformat(birth)
                age = age_of(birth)
                if (age_min is not None and age < age_min) or (
                    age_max is not None and age > age_max
                ):
                    continue
                band = bands.get(age)
                if band is None:
                    band = bands[age] = band_of(age, age_min, age_max)
                found.append(Candidate(number, pk, area, band, sex))
    found.sort(key=lambda c: c.resident_number)
    return found


def _stratum_counts(criteria):
    """{(area, band, sex): residents} of the eligible population, counted by
    PostgreSQL: the decade of the age identifies the band."""
    where, params = _eligible_sql(**criteria)
    after = criteria["as_of"] + timedelta(days=1)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.code, {_AGE_SQL} / 10, r.sex, count(*){where}"  # noqa: S608
            " GROUP BY 1, 2, 3",
            [after, *params],
        )
        rows = cursor.fetchall()
    age_min, age_max = criteria["age_min"], criteria["age_max"]
    return {
        (area, band_of(decade * 10, age_min, age_max), sex): count
        for area, decade, sex, count in rows
    }


def _fetch_positions(criteria, positions, method):
    """The candidates at the picked positions: within each stratum (stratified)
    or over all (simple), in 住民番号 code-point order (COLLATE "C" orders
    UTF-8 by code point), numbered by PostgreSQL without sending the
    population to Python."""
    where, params = _eligible_sql(**criteria)
    after = criteria["as_of"] + timedelta(days=1)
    age_min, age_max = criteria["age_min"], criteria["age_max"]
    if method == Draw.Method.STRATIFIED:
        window = f"PARTITION BY a.code, {_AGE_SQL} / 10, r.sex "
        picked = [(area, _band_start(band) // 10, sex, pos) for (area, band, sex), pos in positions]
        join = (
            " JOIN unnest(%s::text[], %s::int[], %s::text[], %s::bigint[]) AS p(area, decade, sex, pos)"
            " ON n.area = p.area AND n.age / 10 = p.decade AND n.sex = p.sex AND n.pos = p.pos"
        )
        join_params = (
            [list(column) for column in zip(*picked, strict=True)] if picked else [[], [], [], []]
        )
    else:
        window = ""
        join = " JOIN unnest(%s::bigint[]) AS p(pos) ON n.pos = p.pos"
        join_params = [[pos for _stratum, pos in positions]]
    sql = (
        "SELECT n.id, n.resident_number, n.area, n.age, n.sex FROM ("  # noqa: S608
        f"SELECT r.id, r.resident_number, a.code AS area, {_AGE_SQL} AS age, r.sex,"
        f' row_number() OVER ({window}ORDER BY r.resident_number COLLATE "C") - 1 AS pos'
        f"{where}) n{join}"
    )
    ages = [after, after] if window else [after]  # the age column, and the partition
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ages, *params, *join_params])
        rows = cursor.fetchall()
    return [
        Candidate(number, pk, area, band_of(age, age_min, age_max), sex)
        for pk, number, area, age, sex in rows
    ]


def allocate(populations, size):
    """Proportional allocation by largest remainder: {stratum: count} adding up
    to `size`. Ties in the remainder go to the stratum first in key order."""
    total = sum(populations.values())
    if size > total:
        raise ServiceError(
            _("抽出数（%(size)d）が対象者数（%(total)d）を超えています。")
            % {"size": size, "total": total}
        )
    quotas, remainders = {}, []
    for stratum in sorted(populations, key=stratum_key):
        whole, remainder = divmod(size * populations[stratum], total)
        quotas[stratum] = whole
        remainders.append((-remainder, stratum_key(stratum), stratum))
    left = size - sum(quotas.values())
    for _remainder, _key, stratum in sorted(remainders)[:left]:
        quotas[stratum] += 1
    return quotas


@dataclass
class DrawResult:
    chosen: list
    strata: list
    population: int


def pick(populations, *, size, method, seed):
    """Which positions to draw, from the strata's sizes alone (pure).

    Returns ([(stratum, position), …], strata table). A position counts from 0
    within its stratum (stratified) or within the whole population in 住民番号
    order (simple; the stratum is then None). `rng.sample(range(n), k)` picks
    the same positions as `rng.sample(list_of_n, k)`, so the population itself
    never has to be in memory to be drawn from."""
    rng = random.Random(str(seed))
    total = sum(populations.values())
    if size > total:
        raise ServiceError(
            _("抽出数（%(size)d）が対象者数（%(total)d）を超えています。")
            % {"size": size, "total": total}
        )
    expected = {k: size * n / total for k, n in populations.items()} if total else {}
    if method == Draw.Method.STRATIFIED:
        quotas = allocate(populations, size)
        positions = [
            (stratum, position)
            for stratum in sorted(populations, key=stratum_key)
            for position in rng.sample(range(populations[stratum]), quotas[stratum])
        ]
    else:
        positions = [(None, position) for position in rng.sample(range(total), size)]
    return positions, expected


def strata_table(populations, expected, chosen):
    drawn = {}
    for candidate in chosen:
        key = (candidate.area_code, candidate.band, candidate.sex)
        drawn[key] = drawn.get(key, 0) + 1
    return [
        {
            "area": k[0],
            "band": k[1],
            "sex": k[2],
            "population": populations[k],
            "expected": round(expected[k], 2),
            "drawn": drawn.get(k, 0),
        }
        for k in sorted(populations, key=stratum_key)
    ]


def select(found, *, size, method, seed):
    """The drawn candidates and the strata table, from the whole eligible
    population in memory, sorted by 住民番号 (pure: no database)."""
    groups = {}
    for candidate in found:
        groups.setdefault((candidate.area_code, candidate.band, candidate.sex), []).append(
            candidate
        )
    populations = {k: len(v) for k, v in groups.items()}
    positions, expected = pick(populations, size=size, method=method, seed=seed)
    chosen = [
        groups[stratum][position] if stratum is not None else found[position]
        for stratum, position in positions
    ]
    chosen.sort(key=lambda c: c.resident_number)
    return DrawResult(
        chosen=chosen,
        strata=strata_table(populations, expected, chosen),
        population=len(found),
    )


def select_in_database(criteria, *, size, method, seed):
    """`select` for PostgreSQL: the same residents, but the population is
    counted and numbered by the database and only the drawn rows are read."""
    populations = _stratum_counts(criteria)
    positions, expected = pick(populations, size=size, method=method, seed=seed)
    chosen = _fetch_positions(criteria, positions, method)
    chosen.sort(key=lambda c: c.resident_number)
    return DrawResult(
        chosen=chosen,
        strata=strata_table(populations, expected, chosen),
        population=sum(populations.values()),
    )


def draw_candidates(*, size, method, seed, **criteria):
    """The draw's result on whichever database the portal runs on."""
    if connection.vendor == "postgresql":
        return select_in_database(criteria, size=size, method=method, seed=seed)
    return select(candidates(**criteria), size=size, method=method, seed=seed)


def recently_drawn(count, *, before=None):
    """住民番号 drawn in the last `count` draws (while their registers are kept)."""
    if not count:
        return set()
    draws = Draw.objects.order_by("-created_at", "-pk")
    if before is not None:
        draws = draws.exclude(pk=before)
    ids = list(draws.values_list("pk", flat=True)[:count])
    return set(
        Invitation.objects.filter(draw_id__in=ids, resident__isnull=False).values_list(
            "resident__resident_number", flat=True
        )
    )


def new_seed():
    return secrets.token_hex(8)


def draw_sample(
    *,
    register,
    size,
    seed,
    by,
    title="",
    method=Draw.Method.STRATIFIED,
    as_of=None,
    age_min=None,
    age_max=None,
    area_codes=(),
    sexes=(),
    exclude_recent=0,
    purpose,
    legal_basis,
    approval_body="",
    approval_number="",
    approval_date=None,
    answer_deadline=None,
    closes_on=None,
):
    """Draw `size` residents, record the draw and create one invitation (with
    an access code) per drawn resident. Returns the Draw."""
    if not str(purpose).strip() or not str(legal_basis).strip():
        raise ServiceError(_("利用目的と法的根拠を入力してください。"))
    if size < 1:
        raise ServiceError(_("抽出数は1以上にしてください。"))
    if age_min is not None and age_max is not None and age_min > age_max:
        raise ServiceError(_("年齢の下限が上限を超えています。"))
    if method not in Draw.Method.values:
        raise ServiceError(_("抽出方法が正しくありません。"))
    as_of = as_of or register.reference_date
    area_codes = sorted(set(area_codes))
    sexes = sorted(set(sexes))
    with locking.locked(Register.objects.filter(pk=register.pk)) as rows:
        if not rows:
            raise ServiceError(_("名簿が見つかりません。"))
        register = rows[0]
        if register.is_purged:
            raise ServiceError(_("この名簿は消去済みです。"))
        exclude = recently_drawn(exclude_recent) if exclude_recent else set()
        result = draw_candidates(
            size=size,
            method=method,
            seed=seed,
            register=register,
            as_of=as_of,
            age_min=age_min,
            age_max=age_max,
            area_codes=area_codes,
            sexes=sexes,
            exclude=exclude,
        )
        draw = Draw.objects.create(
            title=title or _("無作為抽出（基準日 %(date)s）") % {"date": register.reference_date},
            register=register,
            reference_date=register.reference_date,
            as_of=as_of,
            method=method,
            size=size,
            age_min=age_min,
            age_max=age_max,
            area_codes=area_codes,
            sexes=sexes,
            exclude_recent=exclude_recent,
            seed=str(seed),
            population=result.population,
            strata=result.strata,
            purpose=purpose,
            legal_basis=legal_basis,
            approval_body=approval_body,
            approval_number=approval_number,
            approval_date=approval_date,
            answer_deadline=answer_deadline,
            closes_on=closes_on,
            created_by=by.user,
        )
        _write_invitations(draw, result.chosen)
        audit.record(
            by=by,
            action="surveys.draw.created",
            target=draw,
            data={
                "register": register.reference_date.isoformat(),
                "method": method,
                "size": size,
                "seed": str(seed),
                "as_of": as_of.isoformat(),
                "age_min": age_min,
                "age_max": age_max,
                "areas": area_codes,
                "sexes": sexes,
                "exclude_recent": exclude_recent,
                "population": result.population,
                **draw.legal_basis_audit(),
            },
        )
    return draw


def _write_invitations(draw, chosen):
    """One invitation with a fresh access code per drawn resident, in 住民番号
    order. PostgreSQL takes them through COPY (the register import's path)."""
    areas = dict(Area.objects.values_list("code", "pk"))
    seen = set()
    encrypt = codes.encrypter()
    rows = []
    for number, candidate in enumerate(chosen, start=1):
        code, digest = codes.new_code(seen)
        rows.append(
            (
                draw.pk,
                number,
                candidate.resident_id,
                areas[candidate.area_code],
                candidate.band,
                candidate.sex,
                digest,
                encrypt(code),
            )
        )
    columns = ("draw_id", "number", "resident_id", "area_id", "age_band", "sex")
    columns += ("code_digest", "code_encrypted")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = Invitation._meta.db_table
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    else:
        Invitation.objects.bulk_create(
            [Invitation(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=2000
        )


def drawn_numbers(draw):
    """The drawn 住民番号, sorted (while the register is kept)."""
    return sorted(
        draw.invitations.filter(resident__isnull=False).values_list(
            "resident__resident_number", flat=True
        )
    )
