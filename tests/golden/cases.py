"""Short recorded runs of every replication config: the regression record.

``python tests/golden/cases.py`` re-records them (only when a change of results is
intended, and said so in the commit); ``tests/test_golden.py`` replays each case and
asserts byte-identical files (elapsed times aside).
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from kashtan.configuration import config  # noqa: E402
from kashtan.running import runner  # noqa: E402

LIGHT = ["record.qm_random=20", "record.qmax_steps=20", "record.qmax_restarts=1", "record.checkpoint_every=40"]
LOGIC = ["ga.population=300", "ga.select_args={elite=90}", "stop.max_generations=200",
         "record.qm_every=20", "record.qdist_every=50", *LIGHT]
RETINA = ["ga.population=120", "ga.select_args={elite=30}", "stop.max_generations=200",
          "record.qm_every=50", "record.qdist_every=100", *LIGHT]
SOLVE = ["record.qm_every=20", "record.qdist_every=500", *LIGHT]
CLUNE = ["ga.population=60", "stop.max_generations=60", "record.qm_every=20", "record.qdist_every=30", *LIGHT]

# case name -> (config file, condition, overrides, seed)
CASES = {
    "logic_fixed": ("kashtan2005_logic.toml", "fixed_G1", LOGIC, 1),
    "logic_mvg": ("kashtan2005_logic.toml", "mvg", LOGIC, 2),
    "logic_rmvg": ("kashtan2005_logic.toml", "rmvg", LOGIC, 3),
    "logic_random": ("kashtan2005_logic.toml", "random", LOGIC, 4),
    "logic_deap": ("kashtan2005_logic.toml", "mvg",
                   [*LOGIC, "ga.select=deap.selTournament", "ga.select_args={tournsize=3}",
                    "ga.mutate=deap.mutUniformInt", "ga.mutate_args={indpb=0.05}",
                    "ga.mate=deap.cxTwoPoint", "stop.max_generations=40"], 5),
    "logic_tournament": ("kashtan2005_logic.toml", "fixed_G1",
                         [*LOGIC, "ga.select=tournament", "ga.select_args={size=3, keep=10}",
                          "ga.mate=one_point", "ga.mutate=point", "ga.mutate_args={indpb=0.05}"], 6),
    "retina_fixed": ("kashtan2005_retina.toml", "fixed", RETINA, 1),
    "retina_mvg": ("kashtan2005_retina.toml", "mvg", RETINA, 2),
    "retina_resampled": ("kashtan2005_retina.toml", "mvg", [*RETINA, "network.resample=true"], 3),
    "clune_pa": ("clune2013_retina.toml", "pa", CLUNE, 1),
    "clune_pcc": ("clune2013_retina.toml", "pcc", CLUNE, 2),
    "clune_mvg_pcc": ("clune2013_retina.toml", "mvg_pcc", CLUNE, 3),
    "clune_diversity": ("clune2013_retina.toml", "pcc",
                        [*CLUNE, "network.diversity=true", "ga.select_args={probs=[1.0, 0.25, 1.0]}"], 4),
    # runs that solve, so the at-solution and after-solution paths are recorded too
    "logic_fixed_solve": ("kashtan2005_logic.toml", "fixed_G1", [*SOLVE, "stop.max_generations=3000"], 3),
    "logic_mvg_solve": ("kashtan2005_logic.toml", "mvg", [*SOLVE, "stop.max_generations=3000", "stop.after_solved=60"], 3),
    "retina_solve": ("kashtan2005_retina.toml", "fixed", [*SOLVE, "network.solved_at=0.85", "stop.max_generations=3000"], 1),
    "clune_solve": ("clune2013_retina.toml", "mvg_pcc", [*CLUNE, "network.solved_at=0.8"], 1),
}


def config_of(case: str) -> tuple[dict, int]:
    path, condition, overrides, seed = CASES[case]
    raw = config.read_file(ROOT / "replications" / path)
    return config.resolve(raw, condition, overrides=overrides), seed


def files(run_dir: Path) -> dict[str, bytes]:
    """The files a run leaves that must not change, with wall-clock times taken out."""
    out = {}
    lines = (run_dir / "generations.csv").read_text().splitlines()
    out["generations.csv"] = "\n".join(ln.rsplit(",", 1)[0] for ln in lines).encode()   # elapsed is last
    result = json.loads((run_dir / "result.json").read_text())
    result.pop("elapsed")
    out["result.json"] = json.dumps(result, indent=1, sort_keys=True).encode()
    for name in ("qdist.jsonl", "final_population.npy", "final_best.json"):
        if (run_dir / name).exists():
            out[name] = (run_dir / name).read_bytes()
    for f in sorted((run_dir / "best").glob("*.json")):
        out[f"best/{f.name}"] = f.read_bytes()
    return out


def replay(case: str, run_dir: Path) -> dict[str, bytes]:
    cfg, seed = config_of(case)
    runner.run_seed(cfg, seed, run_dir)
    return files(run_dir)


def record(cases=None) -> None:
    import tempfile
    for case in cases or CASES:
        with tempfile.TemporaryDirectory() as tmp:
            got = replay(case, Path(tmp) / case)
        dest = HERE / case
        shutil.rmtree(dest, ignore_errors=True)
        for name, data in got.items():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            (dest / name).write_bytes(data)
        print(case, len(got), "files")


if __name__ == "__main__":
    record(sys.argv[1:])
