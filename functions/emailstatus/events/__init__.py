"""Tencent SES's event callbacks: the parsed event, its storage, and what reads it.

``model`` is the event and its identity, ``payload`` turns a callback body into events (or a
reason it was refused), ``counters`` says what each event adds to the per-day and per-5-minute
counters, and ``store`` is the one storage interface with two backends: ``sqlite`` (embedded,
the default without AWS) and ``dynamodb`` (on Lambda).
"""
