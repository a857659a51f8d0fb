"""Coverage of summarize()'s 95% interval on simulated clustered data.

Each replicate simulates ``k`` speakers with a speaker random effect
~ N(0, sd_speaker) and 1..8 statements each with noise ~ N(0, sd_statement),
true mean tone ``mu``; then summarize() runs with the speaker (cluster)
bootstrap and with the naive statement bootstrap, and we count how often
each interval covers ``mu``. Prints one JSON document.

    python benchmarks/coverage_check.py [--reps 1000] [--n-boot 1000]

With 1000 replicates the Monte Carlo standard error of a coverage near 0.95
is about 0.007.
"""
from __future__ import annotations

import argparse
import json
import time

import numpy as np
import pandas as pd

from stancekit.analysis import summarize

MU = 0.2


def simulate(reps: int, k: int, *, sd_speaker: float, sd_statement: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frames = []
    for r in range(reps):
        sizes = rng.integers(1, 9, size=k)
        effects = rng.normal(0.0, sd_speaker, size=k)
        speaker = np.repeat(np.arange(k), sizes)
        tone = MU + effects[speaker] + rng.normal(0.0, sd_statement, size=len(speaker))
        frames.append(pd.DataFrame({"rep": r, "speaker": [f"s{j}" for j in speaker], "tone": tone}))
    return pd.concat(frames, ignore_index=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=1000)
    ap.add_argument("--n-boot", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    results = []
    t0 = time.perf_counter()
    designs = [
        # (speakers, sd_speaker, sd_statement)
        (3, 0.3, 0.15),
        (5, 0.3, 0.15),
        (10, 0.3, 0.15),
        (20, 0.3, 0.15),
        (40, 0.3, 0.15),
        (20, 0.0, 0.3),  # no clustering: both methods should be near 0.95
    ]
    for i, (k, sd_u, sd_e) in enumerate(designs):
        data = simulate(args.reps, k, sd_speaker=sd_u, sd_statement=sd_e, seed=args.seed + i)
        for method in ("speakers", "statements"):
            out = summarize(data, by="rep", n_boot=args.n_boot, seed=args.seed, method=method)
            covered = (out["tone_low"] <= MU) & (out["tone_high"] >= MU)
            results.append(
                {
                    "speakers": k,
                    "sd_speaker": sd_u,
                    "sd_statement": sd_e,
                    "method": method,
                    "coverage": round(float(covered.mean()), 4),
                    "mc_se": round(float(np.sqrt(covered.mean() * (1 - covered.mean()) / len(out))), 4),
                    "median_width": round(float((out["tone_high"] - out["tone_low"]).median()), 4),
                }
            )
    print(
        json.dumps(
            {
                "nominal": 0.95,
                "reps": args.reps,
                "n_boot": args.n_boot,
                "true_mean": MU,
                "results": results,
                "seconds": round(time.perf_counter() - t0, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
