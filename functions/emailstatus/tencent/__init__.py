"""The Tencent Cloud SES adapter: the only package that imports the Tencent SDK.

``client`` (paging, retries, the shared adaptive ``limiter``), ``walk`` (the digest's concurrent
day walk), ``transport`` (each request's total time and size cap), ``retry``. Only the jobs
(``lookup``, ``blocklist``, ``digest.run``) and the front ends that build a client import it.
"""
