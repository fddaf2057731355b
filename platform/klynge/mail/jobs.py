"""The mail jobs (imported through klynge.app.CORE_JOB_MODULES so they are registered) and
their schedules (klynge.apps.CORE_CRON_JOBS)."""

from __future__ import annotations

from klynge.mail.digest import DIGEST_JOB, send_mail_digest
from klynge.mail.sending import SEND_JOB, send_mail

__all__ = ["DIGEST_JOB", "SEND_JOB", "send_mail", "send_mail_digest"]
