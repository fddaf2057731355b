"""Notification e-mail: every notification also goes out by mail to the accounts it reaches,
in each reader's language (plain text + HTML, a link back, an unsubscribe link).

Mails are rendered when the notification is stored and written to the outbox (`MailOutbox`) in
the same transaction; the `send_mail` job sends the due ones with aiosmtplib, with retries and
backoff; accounts that chose a daily digest get one mail a day (`send_mail_digest`). Without
KLYNGE_SMTP_URL the mails are kept in the outbox and shown to the admin at /admin/utboks.
"""
