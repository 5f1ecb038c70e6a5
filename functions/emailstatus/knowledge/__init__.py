"""What Tencent's and mail servers' answers mean, as data and pure functions; no I/O, no SDK.

``codes`` (every status and error code), ``records`` (typed email records), ``statistics``,
``blocklist_entries``, and the one SMTP-reply reader ``replies`` with its data ``reply_rules``
and ``reasons``. Everything else may import these; they import nothing of emailstatus.
"""
