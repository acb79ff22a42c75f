"""What each subcommand does, with examples: the description and epilog of ``kashtan CMD --help``."""

HELP = {
    "run": ("Run every condition of a config over its seeds into a campaign directory. Each seed writes "
            "its records as it goes and checkpoints; Ctrl-C keeps what is done (`kashtan resume`).",
            ["kashtan run kashtan2005_logic --scale quick", "kashtan run mine.toml --conditions fixed_G1,mvg --seeds 10",
             "kashtan run clune2013_retina --set ga.population=200 --workers 2 --out runs/small"]),
    "resume": ("Continue a campaign from its checkpoints (the same results as an uninterrupted run), or add seeds.",
               ["kashtan resume runs/kashtan2005_logic", "kashtan resume runs/kashtan2005_logic --seeds 0-49"]),
    "summarize": ("Per-condition table of a campaign or archive beside the paper's numbers: solved fraction, "
                  "Kaplan–Meier time to solve, Q and Qm, tests between conditions. Writes summary.md too.",
                  ["kashtan summarize runs/kashtan2005_logic", "kashtan summarize runs/a runs/b --compare fixed_G1:mvg",
                   "kashtan summarize replications/data/choices_logic --wide > table.md"]),
    "analyze": ("Score a saved circuit or network on each goal and report Q, Qm and its modules.",
                ["kashtan analyze runs/x/mvg/seed_000/best/G1.json --goal 'G3=(X ^ Y) | (Z ^ W)'"]),
    "adapt": ("Clune et al.'s adaptation test: copies of each run's final best evolve toward a new goal; "
              "writes adaptation_GOAL.json in the campaign.",
              ["kashtan adapt runs/clune2013_retina --goal L-OR-R --cap 2000 --workers 2"]),
    "measures": ("Broadness and information-flow modularity of every run's final best, by condition (measures.csv).",
                 ["kashtan measures replications/data/clune_simplified --workers 2 --figures figures"]),
    "archive": ("Copy a campaign's compact artefacts (config, results, best genomes, final populations, "
                "per-generation histories) into a directory small enough to commit.",
                ["kashtan archive runs/kashtan2005_logic replications/data/kashtan2005_logic"]),
    "configs": ("List the shipped replication configs, or print one to edit a copy.",
                ["kashtan configs", "kashtan configs kashtan2005_logic > mine.toml && kashtan run mine.toml"]),
    "figures": ("Draw a campaign's or archive's figures: curves (fitness, Q, Qm, share solved), circuits or networks.",
                ["kashtan figures runs/kashtan2005_logic --out figures",
                 "kashtan figures replications/data/logic6 --format png,pdf --conditions mvg"]),
}


def describe(name: str) -> dict:
    """``add_parser`` keywords: a description and an epilog of examples."""
    import argparse
    text, examples = HELP[name]
    return {"description": text, "epilog": "examples:\n" + "\n".join(f"  {e}" for e in examples),
            "formatter_class": argparse.RawDescriptionHelpFormatter}
