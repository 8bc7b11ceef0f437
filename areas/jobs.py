"""Jobs of the areas app (see portal.jobs)."""

from django.utils.translation import gettext as _

from portal import jobs

from . import services


@jobs.handler("areas.import_districts")
def run_district_import(job, progress):
    with job.upload.open("rb") as upload:
        result = services.import_districts(data=upload, by=jobs.job_actor(job), progress=progress)
    return {
        "message": _(
            "取り込みました: 地域 新規%(ac)d件・更新%(au)d件、"
            "町丁目 新規%(dc)d件・更新%(du)d件・変更なし%(un)d件。"
        )
        % {
            "ac": result.areas_created,
            "au": result.areas_updated,
            "dc": result.districts_created,
            "du": result.districts_updated,
            "un": result.unchanged,
        },
        "rows": result.rows,
    }
