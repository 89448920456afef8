"""``gonghui jobs_worker``: the background task worker of gonghui.

django_tasks_db's ``db_worker`` with two differences. As it starts, it marks
failed the jobs (and tasks) of its queues that a dead worker left running or
that never got a task (``jobs.services.jobs_fail_abandoned``), so none stays
"running" forever. And no task can end it: when recording a task's outcome
fails too (a database error), the error is logged and the worker goes on.

Run one per queue of ``settings.TASKS`` (``scripts/serve.sh`` does):

    gonghui jobs_worker --queue-name default
    gonghui jobs_worker --queue-name exports
"""

from __future__ import annotations

import logging
import time

from django.db import DatabaseError, connections
from django_tasks_db.management.commands import db_worker

from gonghui.jobs.services import jobs_fail_abandoned

logger = logging.getLogger("gonghui.jobs")
#: How long the worker waits before trying again after its database failed it.
RETRY_SECONDS = 5


class Worker(db_worker.Worker):
    def run(self) -> None:
        while True:
            try:
                super().run()
                return
            except DatabaseError:
                # Claiming a task hit something other than a lock (which db_worker
                # waits out itself): try again on a fresh connection.
                logger.exception("the task worker's database call failed; retrying")
                connections.close_all()
                time.sleep(RETRY_SECONDS)
                if not self.running:
                    return

    def run_task(self, db_task_result) -> None:
        try:
            super().run_task(db_task_result)
        except Exception:
            # db_worker records a task's failure itself; this is that record failing.
            # run_job has already marked the job; the next start cleans up the rest.
            logger.exception("recording the outcome of task %s failed", db_task_result.id)
            connections.close_all()


class Command(db_worker.Command):
    help = (
        "Run a background task worker; as it starts, it marks failed the jobs of its "
        "queues left unfinished by a worker that stopped."
    )

    def handle(self, *, queue_name: str, **options) -> None:
        queues = None if "*" in queue_name.split(",") else queue_name.split(",")
        abandoned = jobs_fail_abandoned(queues=queues)
        if abandoned:
            self.stderr.write(f"{abandoned} unfinished job(s) of a stopped worker marked failed.")
        # db_worker's handle builds the worker from its module's ``Worker``.
        original, db_worker.Worker = db_worker.Worker, Worker
        try:
            super().handle(queue_name=queue_name, **options)
        finally:
            db_worker.Worker = original
