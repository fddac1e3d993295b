"""Kept for old notes: the calibration is a command now (election_ops/calibration.py).

    election-ops rules calibrate scenarios/2022-presidential.yaml \\
        --param roles.polling.register_check.step --target 727

This wrapper passes its arguments on; the old ``--kinds``, ``--lo``, ``--hi`` and ``--by``
options and the ``polling.register_check.step`` form of ``--param`` still work.
"""

import sys

from election_ops.cli import app

if __name__ == "__main__":
    app(["rules", "calibrate", *sys.argv[1:]], prog_name="calibrate_rules.py")
