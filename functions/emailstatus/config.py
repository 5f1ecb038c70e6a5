"""One frozen ``Settings`` object, read from the environment once per process.

Every module takes its configuration from here, so a variable is named, defaulted and
validated in exactly one place, and a bad value is reported with the variable's name.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from emailstatus.errors import ConfigError
from emailstatus.i18n import ENGLISH, LOCALES, _, supported
from emailstatus.thresholds import Thresholds

DEFAULT_ENDPOINT = "https://ses.intl.tencentcloudapi.com"
DEFAULT_REGION = "ap-singapore"
DEFAULT_TIMEZONE = "Asia/Shanghai"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
#: Seconds any call to Slack (Web API or response_url) may wait to connect and for each read:
#: Slack answers in well under a second, and a Lambda held 30 s by slack_sdk's default costs
#: a concurrency slot for nothing.
SLACK_TIMEOUT_S = 4
#: Event callbacks: the accepted tokens (the second only while rotating) and their shape.
EVENTS_TOKEN_VARIABLES = ("EMAILSTATUS_EVENTS_TOKEN", "EMAILSTATUS_EVENTS_TOKEN_PREVIOUS")
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{24,128}")
DEFAULT_EVENTS_RETENTION_DAYS = 400
#: How far back Tencent's blocklist is searched (``ListBlackEmailAddress`` StartDate, EndDate
#: today): the widest range we assume it accepts, the 30 days Tencent keeps status for.
#: Undocumented: our assumption (README, "Blocklists").
DEFAULT_BLOCKLIST_DAYS = 30


@dataclass(frozen=True, slots=True)
class TencentCredentials:
    """The key pair (and optional STS token) the SDK signs requests with."""

    secret_id: str
    secret_key: str
    session_token: str | None = None

    def __repr__(self) -> str:
        """Never show the key, even in a debugger or a log of the object."""
        return f"TencentCredentials(secret_id={self.secret_id[:4]}…, secret_key=***)"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable about emailstatus, validated."""

    credentials: TencentCredentials | None
    #: The key allowed only the blocklist deletes; None: removal is not offered.
    operator_credentials: TencentCredentials | None = None
    #: Slack user IDs who may remove an address from a blocklist (empty: nobody).
    operators: frozenset[str] = frozenset()
    blocklist_days: int = DEFAULT_BLOCKLIST_DAYS
    ses_region: str = DEFAULT_REGION
    ses_endpoint: str = DEFAULT_ENDPOINT
    ses_timeout: float = 5.0
    ses_rate: float = 20.0
    timezone: str = DEFAULT_TIMEZONE
    #: The language of answers when the asker's own Slack language is not one we have ("en",
    #: "zh-CN"; docs/i18n.md), and of the digest unless ``digest_locale`` says otherwise.
    locale: str = ENGLISH
    digest_locale: str | None = None
    # Slack (the slash command and the digest)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_api_url: str = DEFAULT_SLACK_API_URL
    allowed_users: frozenset[str] = frozenset()
    allowed_channels: frozenset[str] = frozenset()
    #: Lookups one Slack user may start per minute (per container; README "Security").
    user_lookups_per_minute: int = 10
    # The daily digest
    digest_rate: float = 16.0
    digest_channels: tuple[str, ...] = ()
    digest_show_addresses: bool = False
    digest_csv: bool = False
    alert_bounce_rate: float = 0.05
    alert_complaint_rate: float = 0.001
    alert_refusals: frozenset[int] = frozenset({3030, 3033})
    # Alerts from events (every 5 minutes): the channel, dropped emails per 15 minutes, and
    # the fewest emails in 15 minutes for a rate to mean anything.
    alert_channel: str | None = None
    alert_dropped: int = 25
    alert_min_emails: int = 50
    table_name: str | None = None
    # Email events (Tencent's callbacks): DynamoDB on AWS, else the SQLite file
    events_tokens: tuple[str, ...] = field(default=(), repr=False)
    events_table: str | None = None
    events_db: Path = field(default_factory=lambda: default_events_db({}))
    events_retention_days: int = DEFAULT_EVENTS_RETENTION_DAYS

    @property
    def thresholds(self) -> Thresholds:
        """The ``EMAILSTATUS_ALERT_*`` thresholds, for the digest's warnings and the alerts."""
        return Thresholds(
            bounce_rate=self.alert_bounce_rate,
            complaint_rate=self.alert_complaint_rate,
            refusals=self.alert_refusals,
            dropped=self.alert_dropped,
            min_emails=self.alert_min_emails,
        )

    @property
    def zone(self) -> ZoneInfo:
        """The zone dates are read and shown in (validated at load time)."""
        return ZoneInfo(self.timezone)

    def require_credentials(self) -> TencentCredentials:
        """The Tencent credentials, or one clear message naming the variables to set."""
        if self.credentials is None:
            raise ConfigError(
                _("Tencent Cloud credentials are not configured."),
                next_step=_(
                    "Set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY "
                    "(and TENCENTCLOUD_SESSION_TOKEN for temporary credentials)."
                ),
            )
        return self.credentials

    def require_operator_credentials(self) -> TencentCredentials:
        """The operator key (blocklist deletes only), or what to configure."""
        if self.operator_credentials is None:
            raise ConfigError(
                _("No operator key is configured, so nothing can be removed from a blocklist."),
                next_step=_(
                    "Set TENCENTCLOUD_OPERATOR_SECRET_ID and "
                    "TENCENTCLOUD_OPERATOR_SECRET_KEY to a key whose CAM policy is "
                    "infra/tencent-cam-policy-operator.json (deployed: `emailstatus params put`)."
                ),
            )
        return self.operator_credentials


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read and validate the settings from ``environ`` (the process environment by default).

    With ``EMAILSTATUS_SSM_PATH`` set (as on Lambda), the secrets the environment lacks are read
    from SSM Parameter Store under that path: one GetParameters call, cached per container.
    """
    env = os.environ if environ is None else environ
    ssm_path = env.get("EMAILSTATUS_SSM_PATH", "").strip()
    if ssm_path:
        from emailstatus.secrets import with_secrets  # boto3 is paid for only where SSM is used

        env = with_secrets(env, ssm_path)
    credentials = _key_pair(env, "TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY")
    token = env.get("TENCENTCLOUD_SESSION_TOKEN") or None
    if credentials is not None and token:
        credentials = replace(credentials, session_token=token)
    default = Settings(credentials=None)  # the defaults live on the dataclass alone
    return Settings(
        credentials=credentials,
        operator_credentials=_key_pair(
            env, "TENCENTCLOUD_OPERATOR_SECRET_ID", "TENCENTCLOUD_OPERATOR_SECRET_KEY"
        ),
        operators=frozenset(_list(env, "EMAILSTATUS_OPERATORS")),
        blocklist_days=int(_positive(env, "EMAILSTATUS_BLOCKLIST_DAYS", default.blocklist_days)),
        ses_region=env.get("EMAILSTATUS_SES_REGION", DEFAULT_REGION).strip() or DEFAULT_REGION,
        ses_endpoint=_endpoint(env.get("EMAILSTATUS_SES_ENDPOINT", DEFAULT_ENDPOINT)),
        ses_timeout=_positive(env, "EMAILSTATUS_SES_TIMEOUT", default.ses_timeout),
        ses_rate=_positive(env, "EMAILSTATUS_SES_RATE", default.ses_rate),
        timezone=_zone(env.get("EMAILSTATUS_TIMEZONE", DEFAULT_TIMEZONE)),
        locale=_locale(env, "EMAILSTATUS_LOCALE") or default.locale,
        digest_locale=_locale(env, "EMAILSTATUS_DIGEST_LOCALE"),
        slack_signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
        slack_bot_token=env.get("SLACK_BOT_TOKEN") or None,
        slack_app_token=env.get("SLACK_APP_TOKEN") or None,
        slack_api_url=_slack_api_url(env.get("EMAILSTATUS_SLACK_API_URL", "")),
        allowed_users=frozenset(_list(env, "EMAILSTATUS_ALLOWED_USERS")),
        allowed_channels=frozenset(_list(env, "EMAILSTATUS_ALLOWED_CHANNELS")),
        user_lookups_per_minute=int(
            _positive(env, "EMAILSTATUS_USER_LOOKUPS_PER_MINUTE", default.user_lookups_per_minute)
        ),
        digest_rate=_positive(env, "EMAILSTATUS_DIGEST_RATE", default.digest_rate),
        digest_channels=_list(env, "EMAILSTATUS_DIGEST_CHANNEL"),
        digest_show_addresses=_flag(env, "EMAILSTATUS_DIGEST_SHOW_ADDRESSES"),
        digest_csv=_flag(env, "EMAILSTATUS_DIGEST_CSV"),
        alert_bounce_rate=_positive(
            env, "EMAILSTATUS_ALERT_BOUNCE_RATE", default.alert_bounce_rate
        ),
        alert_complaint_rate=_positive(
            env, "EMAILSTATUS_ALERT_COMPLAINT_RATE", default.alert_complaint_rate
        ),
        alert_refusals=_codes(env, "EMAILSTATUS_ALERT_REFUSALS", default.alert_refusals),
        alert_channel=env.get("EMAILSTATUS_ALERT_CHANNEL", "").strip() or None,
        alert_dropped=int(_positive(env, "EMAILSTATUS_ALERT_DROPPED", default.alert_dropped)),
        alert_min_emails=int(
            _positive(env, "EMAILSTATUS_ALERT_MIN_EMAILS", default.alert_min_emails)
        ),
        table_name=env.get("EMAILSTATUS_TABLE", "").strip() or None,
        events_tokens=events_tokens(env),
        events_table=env.get("EMAILSTATUS_EVENTS_TABLE", "").strip() or None,
        events_db=Path(env.get("EMAILSTATUS_EVENTS_DB", "").strip() or default_events_db(env)),
        events_retention_days=int(
            _positive(env, "EMAILSTATUS_EVENTS_RETENTION_DAYS", default.events_retention_days)
        ),
    )


def events_tokens(env: Mapping[str, str]) -> tuple[str, ...]:
    """The callback tokens set in ``env`` (current first), each checked to be hard to guess.

    The token is the only secret of the callback URL: at least 24 URL-safe characters, such as
    ``python -c "import secrets; print(secrets.token_urlsafe(32))"`` prints.
    """
    tokens = []
    for name in EVENTS_TOKEN_VARIABLES:
        token = env.get(name, "").strip()
        if not token:
            continue
        if not _TOKEN_SHAPE.fullmatch(token):
            raise ConfigError(
                f"{name} must be 24 to 128 letters, digits, '-' or '_' (it is the callback "
                "URL's only secret).",
                next_step=f'Generate one with: python -c "import secrets; '
                f'print(secrets.token_urlsafe(32))" and set {name} to it.',
            )
        tokens.append(token)
    return tuple(tokens)


def default_events_db(env: Mapping[str, str]) -> Path:
    """The per-user SQLite file: ``$XDG_DATA_HOME/emailstatus/events.sqlite3``
    (``~/.local/share/emailstatus/events.sqlite3`` by default)."""
    base = env.get("XDG_DATA_HOME", "").strip() or str(Path.home() / ".local" / "share")
    return Path(base) / "emailstatus" / "events.sqlite3"


@cache
def get_settings() -> Settings:
    """The process-wide settings, read once (a Lambda container reuses them)."""
    return load_settings()


def _endpoint(value: str) -> str:
    url = value.strip().rstrip("/") or DEFAULT_ENDPOINT
    scheme, sep, host = url.partition("://")
    if not sep or scheme not in ("http", "https") or not host or "/" in host:
        raise ConfigError(
            f"EMAILSTATUS_SES_ENDPOINT is not a usable URL: {value!r}.",
            next_step="Use a full URL such as https://ses.intl.tencentcloudapi.com "
            "or http://127.0.0.1:8800 for a local simulator.",
        )
    return url


def _key_pair(env: Mapping[str, str], id_name: str, key_name: str) -> TencentCredentials | None:
    """A key pair from two variables (None when neither is set, an error when one is)."""
    secret_id, secret_key = env.get(id_name, "").strip(), env.get(key_name, "").strip()
    if bool(secret_id) != bool(secret_key):
        missing = key_name if secret_id else id_name
        raise ConfigError(
            f"{missing} is not set, but its partner is.",
            next_step=f"Set both {id_name} and {key_name}.",
        )
    return TencentCredentials(secret_id, secret_key) if secret_id else None


def _list(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    """A comma-separated list, blanks dropped."""
    return tuple(item.strip() for item in env.get(name, "").split(",") if item.strip())


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise ConfigError(
        f"{name} must be true or false, not {raw!r}.",
        next_step=f"Set {name}=true or {name}=false, or unset it.",
    )


def _codes(env: Mapping[str, str], name: str, default: frozenset[int]) -> frozenset[int]:
    items = _list(env, name)
    if not items:
        return default
    if not all(item.isdigit() for item in items):
        raise ConfigError(
            f"{name} must be comma-separated SendStatus codes, not {env[name]!r}.",
            next_step=f"Set {name} to a list such as 3030,3033.",
        )
    return frozenset(int(item) for item in items)


def _slack_api_url(value: str) -> str:
    url = value.strip() or DEFAULT_SLACK_API_URL
    if not url.startswith(("http://", "https://")):
        raise ConfigError(
            f"EMAILSTATUS_SLACK_API_URL is not a URL: {value!r}.",
            next_step="Use https://slack.com/api/ or a local fake such as http://127.0.0.1:8900/api/.",
        )
    return url if url.endswith("/") else url + "/"


def _positive(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise ConfigError(
            f"{name} must be a positive number, not {raw!r}.",
            next_step=f"Set {name} to a number such as {default:g}, or unset it.",
        )
    return value


def _locale(env: Mapping[str, str], name: str) -> str | None:
    """A language we have answers in (``i18n.LOCALES``), None when unset."""
    value = env.get(name, "").strip()
    if not value:
        return None
    locale = supported(value)
    if locale is None or locale.lower() != value.replace("_", "-").lower():
        raise ConfigError(
            f"{name} is not a language emailstatus answers in: {value!r}.",
            next_step=f"Use one of {', '.join(LOCALES)}.",
        )
    return locale


def _zone(name: str) -> str:
    name = name.strip() or DEFAULT_TIMEZONE
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"EMAILSTATUS_TIMEZONE is not a known time zone: {name!r}.",
            next_step="Use an IANA name such as Asia/Shanghai or Europe/Berlin.",
        ) from None
    return name
