"""How a simulator is set up: one immutable value, so a running simulator can always be reset
to exactly what it started with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ses_simulator.faults import Faults
from ses_simulator.ratelimit import RateMode
from ses_simulator.wire import ComplaintSpelling

#: Recognisable test credentials: never valid at Tencent.
DEFAULT_SECRET_ID = "AKIDsimulator0000000000000000000000"
DEFAULT_SECRET_KEY = "simulatorsecretkey00000000000000"
#: The operator key: allowed only the blocklist deletes (infra/tencent-cam-policy-operator.json).
DEFAULT_OPERATOR_SECRET_ID = "AKIDsimulatoroperator000000000000000"
DEFAULT_OPERATOR_SECRET_KEY = "simulatoroperatorkey000000000000"
#: What each key's CAM policy allows, as the two policy files in infra/ do.
LOOKUP_ACTIONS = frozenset(
    {"GetSendEmailStatus", "GetStatisticsReport", "ListBlackEmailAddress", "ListCustomBlacklist"}
)
OPERATOR_ACTIONS = frozenset({"DeleteBlackList", "DeleteCustomBlackList"})
API_VERSION = "2020-10-02"
SERVICE = "ses"
DEFAULT_REGIONS = frozenset({"ap-singapore", "ap-guangzhou", "ap-hongkong"})


@dataclass(frozen=True)
class SimulatorConfig:
    """Everything a ``Simulator`` is started with; ``reset()`` returns to these values."""

    seed: int = 7
    emails_per_day: int = 200
    #: Days (up to and including today) that have generated emails.
    days: int = 30
    #: Requests per second per action; None for no limit.
    rate_limit: float | None = 20.0
    rate_mode: RateMode = "fixed"
    #: Dates more than this many days before "today" get FailedOperation.NotSupportDate.
    retention_days: int = 30
    secret_id: str = DEFAULT_SECRET_ID
    secret_key: str = DEFAULT_SECRET_KEY
    operator_secret_id: str = DEFAULT_OPERATOR_SECRET_ID
    operator_secret_key: str = DEFAULT_OPERATOR_SECRET_KEY
    host: str = "127.0.0.1"
    #: 0 picks a free port.
    port: int = 0
    faults: Faults = field(default_factory=Faults)
    regions: frozenset[str] = DEFAULT_REGIONS
    #: Seconds a request's X-TC-Timestamp may be off before AuthFailure.SignatureExpire.
    max_clock_skew: int = 300
    #: The dataset's frozen clock; None means the process-wide default (matches FIXTURES).
    now: datetime | None = None
    complaint_spelling: ComplaintSpelling = "both"
    #: Generated days kept in memory; older ones are regenerated on demand.
    max_cached_days: int = 8
