"""The daily digest: ``summary`` (the pure fold of a day), ``trends`` (comparisons, alerts),
``report`` (all one digest says), ``run`` (claim → walk → post), ``post`` (Slack), ``store``
(the DynamoDB run records and figures).
"""
