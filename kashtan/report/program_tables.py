"""The campaign tables of replications/PROGRAM.md: per block, the archives, the conditions in the
order shown and the pairs tested, as ``kashtan summarize ARCHIVES --conditions ... --compare A:B``
prints them (the tests are uncorrected: the status table at the top of PROGRAM.md corrects them)."""
from __future__ import annotations

from kashtan.report import summary

DATA = "replications/data"

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
    'size_logic': (['size_logic'],
        ['free_12', 'free_24', 'penalised_24', 'free_48', 'penalised_48'],
        [('free_24', 'free_12'), ('free_48', 'free_12'), ('penalised_24', 'free_24'), ('penalised_48', 'free_48')]),
    'clune_variants': (['clune_variants', 'clune_simplified'],
        ['pcc_l1', 'pcc_l2', 'pcc_l1_optimal', 'pcc_l2_optimal', 'pcc_interleaved', 'pcc_shuffled', 'pa', 'pcc'],
        []),
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
