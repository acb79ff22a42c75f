"""The campaign tables of replications/PROGRAM.md: per block, the archives, the conditions in the
order shown and the pairs tested, as ``kashtan summarize ARCHIVES --conditions ... --compare A:B``
prints them (the tests are uncorrected: the status table at the top of PROGRAM.md corrects them)."""
from __future__ import annotations

from kashtan.report import summary

DATA = "replications/data"

VARIANTS = ['pcc_l1', 'pcc_l2', 'pcc_l1_optimal', 'pcc_l2_optimal', 'pcc_interleaved', 'pcc_shuffled']

# block name -> (archives, conditions, pairs)
TABLES = {
    'serial_logic': (['serial_logic'],
        ['parallel_fixed', 'parallel_mvg', 'serial_fixed', 'serial_mvg_first', 'serial_mvg_second'],
        [('parallel_fixed', 'serial_fixed'), ('parallel_fixed', 'parallel_mvg'), ('serial_fixed', 'serial_mvg_first'), ('parallel_mvg', 'serial_mvg_first'), ('serial_fixed', 'serial_mvg_second')]),
    'serial_logic_swap': (['serial_logic_swap', 'serial_logic'],
        ['serial_mvg_swap', 'parallel_mvg', 'serial_fixed', 'serial_mvg_first'],
        [('serial_fixed', 'serial_mvg_swap'), ('serial_mvg_first', 'serial_mvg_swap'), ('parallel_mvg', 'serial_mvg_swap')]),
    'serial_logic_rmvg': (['serial_logic', 'serial_logic_swap', 'serial_logic_rmvg'],
        ['parallel_mvg', 'serial_fixed', 'serial_mvg_first', 'serial_mvg_swap', 'serial_rmvg_first', 'serial_rmvg_second'],
        [('serial_fixed', 'serial_rmvg_first'), ('serial_fixed', 'serial_rmvg_second'), ('serial_mvg_first', 'serial_rmvg_first'), ('serial_mvg_swap', 'serial_rmvg_second'), ('serial_rmvg_first', 'serial_rmvg_second')]),
    'serial_retina': (['serial_retina'],
        ['parallel_fixed', 'parallel_mvg', 'serial_fixed', 'serial_mvg_first', 'serial_mvg_second'],
        [('serial_fixed', 'parallel_fixed'), ('parallel_mvg', 'parallel_fixed'), ('serial_mvg_first', 'serial_fixed'), ('serial_mvg_second', 'serial_fixed'), ('serial_mvg_first', 'parallel_mvg')]),
    'serial_retina_rmvg': (['serial_retina_rmvg', 'serial_retina'],
        ['serial_fixed', 'serial_mvg_first', 'serial_mvg_second', 'serial_rmvg_first', 'serial_rmvg_second', 'parallel_fixed'],
        [('serial_rmvg_first', 'serial_fixed'), ('serial_rmvg_second', 'serial_fixed'), ('serial_rmvg_first', 'serial_mvg_first'), ('serial_rmvg_second', 'serial_mvg_second')]),
    'size_logic': (['size_logic', 'size_logic_96'],
        ['free_12', 'free_24', 'penalised_24', 'free_48', 'penalised_48', 'free_96'],
        [('free_24', 'free_12'), ('free_48', 'free_12'), ('penalised_24', 'free_24'), ('penalised_48', 'free_48'),
         ('free_96', 'free_48')]),
    'clune_variants': (['clune_variants', 'clune_simplified'],
        VARIANTS + ['pa', 'pcc'],
        [(v, ref) for ref in ('pa', 'pcc') for v in VARIANTS]),
    'clune_count': (['clune_count', 'clune_simplified', 'clune_goals'],
        ['pcc_count', 'mvg_pcc_count', 'pa', 'pcc', 'mvg_pa', 'mvg_pcc'],
        [('pcc_count', 'pcc'), ('pcc_count', 'pa'), ('mvg_pcc_count', 'mvg_pcc'), ('mvg_pcc_count', 'pcc_count'), ('mvg_pcc_count', 'mvg_pa')]),
    'local_cost_logic': (['local_cost_logic'],
        ['fixed_none', 'fixed_count', 'fixed_squared', 'fixed_l1', 'fixed_l1_interleaved', 'mvg_none', 'mvg_count', 'mvg_l1', 'mvg_l1_interleaved'],
        [('fixed_none', 'fixed_count'), ('fixed_none', 'fixed_squared'), ('fixed_none', 'fixed_l1'), ('fixed_l1', 'fixed_l1_interleaved'), ('fixed_count', 'fixed_l1'), ('mvg_none', 'mvg_count'), ('mvg_none', 'mvg_l1'), ('mvg_l1', 'mvg_l1_interleaved'), ('mvg_count', 'mvg_l1'), ('fixed_none', 'mvg_none')]),
    'clune_goals': (['clune_goals', 'clune_simplified'],
        ['mvg_pa', 'mvg_pcc', 'rmvg_pa', 'rmvg_pcc', 'pa', 'pcc'],
        [('mvg_pcc', 'mvg_pa'), ('rmvg_pcc', 'rmvg_pa'), ('mvg_pcc', 'pcc'), ('rmvg_pcc', 'pcc'), ('mvg_pa', 'pa'), ('rmvg_pa', 'pa'), ('rmvg_pcc', 'mvg_pcc')]),
}


def table(name: str, root) -> str:
    archives, conditions, pairs = TABLES[name]
    first, *more = (root / DATA / a for a in archives)
    return summary.markdown(first, more, pairs, conditions)


# ---- the other tables of PROGRAM.md: census, final bests, measures, sizes, speed ---------------------------

SERIAL_MODULES = {"X⊕Y": "X ^ Y", "Z⊕W": "Z ^ W", "Z∧W": "Z & W", "Z∨W": "Z | W"}
SIZE = ["clune_simplified", "size_retina", "size_retina_8x"]
WIDTHS = ["pa", "pcc", "pa_2x", "pcc_2x", "pa_4x", "pcc_4x", "pa_8x", "pcc_8x"]
COSTS = ["size_retina_cost", "size_retina", "clune_count", "clune_variants", "clune_simplified"]
NOISE = [f"{k}__input_noise={p}" for k in ("pa", "pcc") for p in ("0.02", "0.05", "0.1")]
NOISY_LOGIC = [f"{k}__input_noise={p}" for k in ("fixed", "mvg") for p in ("0.0", "0.02", "0.05", "0.1")]


def _dirs(root, names):
    return [root / DATA / a for a in names]


def campaign_speed(root, archives) -> str:
    """Milliseconds per generation of each condition's runs as the campaign ran them (result.json's
    elapsed time over its generations; workers shared the machine)."""
    import numpy as np

    from kashtan.running import rundir
    from kashtan.analysis import stats
    body = []
    for out in _dirs(root, archives):
        for c, rs in rundir.results(out)[1].items():
            body.append([c, len(rs), f"{np.median([r['elapsed'] / r['generations'] * 1e3 for r in rs]):.1f}"])
    return stats.table(["condition", "runs", "ms per generation in the campaign, median"], body)


def measures(root, archives, conditions=None, pairs=None) -> str:
    """``kashtan measures`` tables of the archives' measures.csv."""
    from kashtan.analysis import campaign_measures
    return campaign_measures.archived_table(_dirs(root, archives), conditions, pairs)


def more(root) -> dict:
    """Block name -> the function that writes it."""
    from kashtan.report import final_table, live_broadness, module_census, netsummary, size_census
    d = root / DATA
    return {
        "serial_logic_census": lambda: module_census.census(d / "serial_logic", SERIAL_MODULES),
        "serial_logic_rmvg_census": lambda: module_census.census(
            [d / "serial_logic_rmvg", d / "serial_logic_swap", d / "serial_logic"], SERIAL_MODULES,
            ["serial_rmvg_first", "serial_rmvg_second", "serial_mvg_swap", "serial_fixed"],
            [("serial_rmvg_second", "serial_mvg_swap"), ("serial_rmvg_second", "serial_fixed"),
             ("serial_rmvg_first", "serial_fixed")]),
        "serial_logic_measures": lambda: measures(
            root, ["serial_logic", "serial_logic_swap"],
            ["parallel_fixed", "parallel_mvg", "serial_fixed", "serial_mvg_first", "serial_mvg_swap"],
            [("serial_fixed", "parallel_fixed"), ("serial_mvg_first", "serial_fixed"),
             ("serial_mvg_first", "parallel_mvg"), ("serial_mvg_swap", "serial_fixed"),
             ("parallel_mvg", "parallel_fixed")]),
        "size_retina": lambda: netsummary.markdown(
            _dirs(root, SIZE), [("pa", "pa_2x"), ("pa", "pa_4x"), ("pa", "pa_8x"), ("pcc", "pcc_2x"), ("pcc", "pcc_4x"),
                                ("pcc", "pcc_8x"), ("pa_2x", "pcc_2x"), ("pa_4x", "pcc_4x"), ("pa_8x", "pcc_8x"),
                                ("pa_4x", "pa_8x"), ("pcc_4x", "pcc_8x")], WIDTHS),
        "size_retina_final": lambda: final_table.table(_dirs(root, SIZE)),
        "size_retina_speed": lambda: campaign_speed(root, SIZE[1:]),
        "size_census_retina": lambda: size_census.census(_dirs(root, SIZE)),
        "size_census_logic": lambda: size_census.census([d / "size_logic", d / "size_logic_96"]),
        "size_retina_measures": lambda: measures(
            root, SIZE, WIDTHS, [(a, f"{a}_{w}") for a in ("pa", "pcc") for w in ("2x", "4x", "8x")]),
        "size_retina_live": lambda: live_broadness.table(_dirs(root, SIZE)),
        "size_retina_cost": lambda: netsummary.markdown(
            _dirs(root, COSTS), [("pcc_count_4x", "pcc_4x"), ("pcc_l1_4x", "pcc_4x"), ("pcc_count_4x", "pa_4x"),
                                 ("pcc_l1_4x", "pa_4x"), ("pcc_count_4x", "pcc_l1_4x")],
            ["pa", "pcc", "pcc_count", "pcc_l1", "pa_4x", "pcc_4x", "pcc_count_4x", "pcc_l1_4x"]),
        "size_retina_cost_census": lambda: size_census.census(
            _dirs(root, COSTS), conditions={"pa", "pa_4x", "pcc_count", "pcc_l1", "pcc", "pcc_count_4x", "pcc_l1_4x",
                                            "pcc_4x"}),
        "local_cost_logic_census": lambda: module_census.census(
            d / "local_cost_logic", {"X⊕Y": "X ^ Y", "Z⊕W": "Z ^ W"}),
        "noise_logic_final": lambda: final_table.table(d / "noise_logic", ["fixed__input_noise=0.0",
                                                                           "mvg__input_noise=0.0"]),
        "noise_logic_populations": lambda: final_table.population_table(d / "noise_logic", NOISY_LOGIC[4:],
                                                                        ["G1", "G2"]),
        "noise_logic_measures": lambda: measures(
            root, ["noise_logic"], NOISY_LOGIC, [(f"{k}__input_noise={p}", f"{k}__input_noise=0.0")
                                                 for p in ("0.05", "0.1") for k in ("fixed", "mvg")]),
        "noise_retina": lambda: netsummary.markdown(
            _dirs(root, ["clune_simplified", "noise_retina"]),
            [(k, n) for k in ("pa", "pcc") for n in NOISE if n.startswith(k + "__")]
            + [("pa__input_noise=0.1", "pcc__input_noise=0.1")], ["pa", "pcc"] + NOISE),
        "noise_retina_final": lambda: final_table.table(_dirs(root, ["clune_simplified", "noise_retina"]),
                                                        ["pa", "pcc"]),
        "noise_retina_census": lambda: size_census.census(_dirs(root, ["clune_simplified", "noise_retina"]),
                                                          only_perfect=False, conditions={"pa", "pcc", *NOISE}),
        "serial_retina_measures": lambda: measures(
            root, ["serial_retina"], None, [("serial_fixed", "parallel_fixed"), ("serial_mvg_first", "serial_fixed"),
                                            ("serial_mvg_second", "serial_fixed"), ("parallel_mvg", "parallel_fixed")]),
        "clune_variants_measures": lambda: measures(
            root, ["clune_variants", "clune_simplified"], VARIANTS + ["pa", "pcc"], [(v, "pcc") for v in VARIANTS]),
        "clune_goals_measures": lambda: measures(
            root, ["clune_goals", "clune_simplified"], ["mvg_pa", "rmvg_pa", "mvg_pcc", "rmvg_pcc", "pa", "pcc"],
            [("mvg_pa", "pa"), ("rmvg_pa", "pa"), ("mvg_pcc", "pcc"), ("rmvg_pcc", "pcc")]),
        "noise_retina_measures": lambda: measures(
            root, ["clune_simplified", "noise_retina"], ["pa", *NOISE[:3], "pcc", *NOISE[3:]],
            [(n, n.split("__")[0]) for n in NOISE] + [("pa__input_noise=0.1", "pcc__input_noise=0.1")]),
    }
