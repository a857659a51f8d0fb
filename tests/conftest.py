"""Shared pytest fixtures: headless matplotlib, closed figures, fixed seeds.

Keep this file small and generic; module-specific fixtures belong in the
test module that uses them.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: tests must never open a window

import numpy as np  # noqa: E402
import pytest  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = REPO_ROOT / "seeds"


@pytest.fixture(autouse=True)
def close_figures():
    """Close every matplotlib figure a test left open (seaborn's conftest does the same)."""
    yield
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:  # importing pyplot just to close nothing costs a second
        plt.close("all")


@pytest.fixture(autouse=True)
def fixed_seeds():
    """Seed the global generators so a test that forgets `seed=` is still reproducible."""
    random.seed(0)
    np.random.seed(0)
    yield


@pytest.fixture
def rng() -> np.random.Generator:
    """A fresh, seeded numpy Generator for tests that simulate data."""
    return np.random.default_rng(0)


@pytest.fixture(scope="session")
def seed_article_path() -> Path:
    """Path of the seed article shipped in ``seeds/``."""
    return SEED_DIR / "global-times-2026-01-30-us-canada-sovereignty.txt"
