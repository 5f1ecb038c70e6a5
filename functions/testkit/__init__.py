"""What the tests, ``bench/`` and ``infra/`` share to stand in for the world, in one place: the
fake Slack (``fake_slack``), Slack's signed requests (``slack_requests``) and the harness that
sends them (``slack_harness``), the Block Kit check (``block_kit``), the simulator started as
its own process (``simulator_process``), the cold-import timer (``cold_import``), the command
parser's properties (``command_properties``) and serverless.yml as read (``serverless_yml``). Never
imported by the product (``.importlinter``), never shipped to Lambda.
"""
