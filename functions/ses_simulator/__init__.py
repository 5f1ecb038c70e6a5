"""A local Tencent Cloud SES API that the official SDK talks to over HTTP.

Signed requests are verified (TC3-HMAC-SHA256), answers come from a seeded dataset with fixed
demo fixtures, and faults (latency, error codes, dropped connections, hangs, bad bodies) can be
injected at random or on demand. It never imports the Tencent SDK: it is the other side of the
wire.
"""

from ses_simulator.blocklist import BLOCK_FIXTURES, Blocklists
from ses_simulator.config import (
    DEFAULT_SECRET_ID,
    DEFAULT_SECRET_KEY,
    SimulatorConfig,
)
from ses_simulator.dataset import Counts, Dataset, generate_day
from ses_simulator.faults import Faults
from ses_simulator.fixtures import ABSENT_ADDRESS, DEFAULT_NOW, Fixture, fixtures_for
from ses_simulator.protocol import ApiError
from ses_simulator.ratelimit import RateMode
from ses_simulator.server import Simulator
from ses_simulator.stats import Stats
from ses_simulator.wire import SHANGHAI

#: The fixed demo emails of every default dataset in this process, by name.
FIXTURES = fixtures_for(DEFAULT_NOW)

__all__ = [
    "ABSENT_ADDRESS",
    "BLOCK_FIXTURES",
    "DEFAULT_NOW",
    "DEFAULT_SECRET_ID",
    "DEFAULT_SECRET_KEY",
    "FIXTURES",
    "SHANGHAI",
    "ApiError",
    "Blocklists",
    "Counts",
    "Dataset",
    "Faults",
    "Fixture",
    "RateMode",
    "Simulator",
    "SimulatorConfig",
    "Stats",
    "generate_day",
]
