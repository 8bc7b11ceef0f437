"""Long exports of the grants app, run as portal jobs with progress."""

from portal import jobs

from .services.exports import render_batch


@jobs.handler("grants.pdf_batch")
def run_pdf_batch(job, progress):
    ids = [int(pk) for pk in job.params["applications"]]
    progress(0, len(ids), force=True)
    export = render_batch(
        export_id=job.params["export"],
        application_ids=ids,
        by=jobs.job_actor(job),
        progress=progress,
    )
    message = f"{export.count}件のPDFを作成しました。"
    if export.failures:
        message += (
            f"{len(export.failures)}件は作成できませんでした（結果のページに一覧があります）。"
        )
    return {
        "message": message,
        "export": export.token,
        "failed": len(export.failures),
        # Items already done by an earlier, interrupted run of this job.
        "resumed": export.resumed,
    }
