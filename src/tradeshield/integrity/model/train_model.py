"""Train the committed integrity model and write integrity_model.json next to this file.

    .venv/bin/python src/tradeshield/integrity/model/train_model.py

Makes two demo marketplaces in temporary SQLite files: one to train on (seed 11, 300,000
orders) and one held out (seed 7, 50,000 orders). Training reads confirmed outcomes only
(rulings holding the buyer liable after a cut-off); the held-out figures are the same
kind of outcome on the other market. Same as ``tradeshield integrity train``.
"""

from __future__ import annotations

import json
import sys

from tradeshield.integrity.model_training import train_committed_model

if __name__ == "__main__":
    metrics = train_committed_model()
    json.dump(metrics, sys.stdout, indent=1)
    sys.stdout.write("\n")
