"""The choices table, the status tables and the document generator, on the archives."""
import pytest

from kashtan.report import documents, program, rules, status, verdicts


def test_the_choices_table_covers_every_setting_once():
    rows = verdicts.rows()
    # 3 tie rules x 2 feedback x 2 claims (logic), 3 scorings x 2 ties x 2 claims (retina)
    assert len(rows) == 12 + 12
    assert len({(c, s) for c, s, _ in rows}) == len(rows)
    assert all(rules.verdict(r) in rules.VERDICTS or rules.verdict(r).startswith("inconclusive") for *_, r in rows)
    # corrected over the table: no q below its p
    assert all(r.q >= r.p for *_, r in rows if r.p is not None)


def test_every_status_row_has_a_verdict_and_a_section():
    for claim, r in status.results():
        assert rules.verdict(r).split(" (")[0] in rules.VERDICTS
        assert claim.section.startswith("#") or claim.section.startswith("DYNAMICS.md#")
    assert program.anchor("Size: NAND circuits") == "#size-nand-circuits-with-12-24-48-and-96-gates--size_logictoml"


def test_a_block_is_filled_in_place_and_a_missing_one_is_named():
    text = "head\n<!-- GENERATED:x -->\nold\n<!-- /GENERATED -->\ntail\n"
    assert documents.fill(text, "x", "new") == "head\n<!-- GENERATED:x -->\nnew\n<!-- /GENERATED -->\ntail\n"
    with pytest.raises(ValueError, match="GENERATED:y"):
        documents.fill(text, "y", "new", "README.md")


def test_the_documents_are_what_the_archives_give():
    """Every generated table of README.md, replications/README.md, PROGRAM.md and DYNAMICS.md is
    regenerated from replications/data; a difference means a document was edited by hand, or code
    or archives changed without `python -m kashtan.report.documents`."""
    assert documents.stale() == []


def test_every_number_in_the_prose_is_one_the_archives_give():
    """Prose sits next to generated tables; a number it quotes must be in one of them (at the
    precision quoted), or be listed in documents.NOT_FROM_ARCHIVES with the reason."""
    texts = {doc: (documents.ROOT / doc).read_text() for doc in documents.DOCUMENTS}
    assert documents.unsourced_numbers(texts) == []


def test_a_stale_prose_number_is_caught():
    gen = "<!-- GENERATED:t -->\n| a | 0.432 [0.337–0.454] |\n- p = 2.4e-20\n<!-- /GENERATED -->\n"
    texts = {d: "" for d in documents.WHOLE}
    texts["replications/PROGRAM.md"] = gen + "Q 0.432 (p = 2e-20), against 0.0427.\n"
    texts["replications/MEASURES.md"] = gen + "Q rose to 0.43 and 0.433.\n"
    assert [line.split(":")[1].split()[0] for line in documents.unsourced_numbers(texts)] == ["0.0427", "0.433"]


def test_each_table_keeps_its_own_family_of_q_values():
    """The status table reuses the choices table's measurements but corrects over its own tests."""
    before = {(c, s): r.q for c, s, r in verdicts.rows()}
    status.results()
    assert {(c, s): r.q for c, s, r in verdicts.rows()} == before
    shared = [r for claim, r in status.results() if claim.paper.startswith("MVG solves sooner")][0]
    original = next(r for c, s, r in verdicts.rows() if c == verdicts.CLAIMS["logic"][0] and s == verdicts.LOGIC["default"])
    assert shared is not original and shared.p == original.p


@pytest.mark.parametrize("archive, condition, seed", [
    ("choices_logic", "fixed_G1__ties=stable__feedback=false", 0),     # a tied least-exchange split
    ("clune_simplified", "pcc", 3),
    ("size_retina_8x", "pcc_8x", 0),                                   # 15 live nodes: the local search
])
def test_archived_measures_rows_recompute_to_the_digit(archive, condition, seed):
    """A measures.csv row is what ``seed_measures`` gives today from the archived genome, byte for byte."""
    import csv
    import io
    from pathlib import Path
    from kashtan.analysis import campaign_measures
    from kashtan.running import rundir
    out = Path(__file__).resolve().parent.parent / "replications" / "data" / archive
    cfg = rundir.read_campaign(out)["conditions"][condition]
    row = campaign_measures.seed_measures(cfg, seed, rundir.seed_dir(out, condition, seed))
    text = io.StringIO()
    csv.DictWriter(text, campaign_measures.FIELDS, extrasaction="ignore").writerow(row)
    archived = [line for line in (out / "measures.csv").read_text().splitlines()
                if line.startswith(f"{condition},{seed},")]
    assert archived == [text.getvalue().rstrip("\r\n")]
