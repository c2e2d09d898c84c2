"""Making the committed model: a training market and a held-out market from the demo
generator, confirmed outcomes only, figures on the held-out market."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tradeshield import migrate
from tradeshield.db import make_engine
from tradeshield.demo import service as demo
from tradeshield.integrity.frames import MarketFrames
from tradeshield.integrity.metrics import auc
from tradeshield.integrity.model import MODEL_FEATURES, MODEL_PATH, IntegrityModel
from tradeshield.integrity.policy import load_policy
from tradeshield.integrity.sources import load_market
from tradeshield.integrity.training import train, training_set

MODEL_VERSION = "integrity-lr-2026.12.1"
TRAIN_SEED, TRAIN_ORDERS = 11, 300_000
HELD_OUT_SEED, HELD_OUT_ORDERS = 7, 50_000
HORIZON_DAYS = 60
L2 = 1.0


def demo_market(folder: Path, seed: int, orders: int) -> tuple[Engine, MarketFrames]:
    engine = make_engine(f"sqlite:///{folder / f'demo-{seed}.db'}")
    migrate.upgrade(engine)
    summary = demo.generate(engine, orders, seed)
    with Session(engine) as session:
        return engine, load_market(session, summary.tenant_id)


def fit_and_measure(train_market: MarketFrames, held_out: MarketFrames) -> IntegrityModel:
    policy = load_policy()
    features = list(MODEL_FEATURES)
    data = training_set(train_market, policy, HORIZON_DAYS, features)
    source = {"market": f"demo seed {TRAIN_SEED}, {TRAIN_ORDERS} orders", "l2": L2}
    model = train(data, MODEL_VERSION, L2, source)
    test = training_set(held_out, policy, HORIZON_DAYS, features)
    metrics: dict[str, Any] = {
        "train_auc": auc(model.log_odds(data.columns), data.outcome),
        "held_out_auc": auc(model.log_odds(test.columns), test.outcome),
        "held_out_market": f"demo seed {HELD_OUT_SEED}, {HELD_OUT_ORDERS} orders",
        "held_out_accounts": len(test.outcome),
        "held_out_positives": int(test.outcome.sum()),
    }
    return replace(model, metrics=metrics)


def train_committed_model(path: Path = MODEL_PATH) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        _, train_market = demo_market(Path(folder), TRAIN_SEED, TRAIN_ORDERS)
        _, held_out = demo_market(Path(folder), HELD_OUT_SEED, HELD_OUT_ORDERS)
        model = fit_and_measure(train_market, held_out)
    path.write_text(model.to_json(), encoding="utf-8")
    return {"version": model.version, **model.metrics, **model.trained_on}
