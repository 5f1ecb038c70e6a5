"""What the tests, ``bench/`` and ``infra/`` share to stand in for the world, in one place:
the simulator started as its own process (``simulator_process``) and requests signed as Slack
signs them (``slack_requests``). Never imported by the product (``.importlinter``), never
shipped to Lambda.
"""
