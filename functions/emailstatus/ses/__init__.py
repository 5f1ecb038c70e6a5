"""Tencent Cloud SES access: the only package that imports the Tencent SDK.

``records`` and ``codes`` are pure data and cheap to import; ``client`` pulls in the SDK, so it
is imported only by the code paths that call Tencent.
"""
