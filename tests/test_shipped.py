"""The replication configs ship with the package and are found by name from any directory."""
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kashtan import cli
from kashtan.configuration import config, shipped
from kashtan.configuration.checks import ConfigError

ROOT = Path(__file__).resolve().parent.parent
ON_DISK = sorted(p.stem for p in (ROOT / "replications").glob("*.toml"))


def test_the_installed_package_holds_every_replication_config():
    """Through the installed mapping (a fresh interpreter outside the repository), not the source-tree fallback."""
    code = ("from importlib import resources; "
            "print(' '.join(sorted(p.name for p in resources.files('kashtan.configs').iterdir() "
            "if p.name.endswith('.toml'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/", timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [f"{n}.toml" for n in ON_DISK]
    assert shipped.names() == ON_DISK


def test_configs_lists_and_prints(capsys):
    assert cli.main(["configs"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listed] == ON_DISK
    assert "PA vs P&CC" in next(line for line in listed if line.startswith("clune2013_retina"))
    assert cli.main(["configs", "serial_logic"]) == 0
    assert capsys.readouterr().out == (ROOT / "replications" / "serial_logic.toml").read_text()
    assert cli.main(["configs", "nope"]) == 2
    assert "shipped: choices_logic" in capsys.readouterr().err


def test_run_by_name_from_another_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "c"
    assert cli.main(["run", "kashtan2005_logic", "--scale", "quick", "--conditions", "fixed_G1", "--seeds", "1",
                     "--set", "stop.max_generations=3", "--out", str(out), "--workers", "1", "--no-progress"]) == 0
    result = json.loads((out / "fixed_G1" / "seed_000" / "result.json").read_text())
    assert result["generations"] == 3
    assert json.loads((out / "campaign.json").read_text())["config_file"] == "kashtan2005_logic"


def test_a_file_on_disk_wins_over_a_shipped_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    mine = (ROOT / "replications" / "kashtan2005_logic.toml").read_text().replace(
        'description = "', 'description = "MY COPY ', 1)
    (tmp_path / "kashtan2005_logic.toml").write_text(mine)
    assert config.read_file("kashtan2005_logic.toml")["description"].startswith("MY COPY")
    assert not config.read_file("kashtan2005_logic")["description"].startswith("MY COPY")


def test_a_path_is_never_taken_for_a_shipped_name(tmp_path):
    assert shipped.find("x/kashtan2005_logic") is None
    with pytest.raises(ConfigError, match="cannot read.*shipped configs: choices_logic"):
        config.read_file(tmp_path / "kashtan2005_logic.toml")


@pytest.mark.slow
def test_a_built_wheel_carries_the_configs(tmp_path):
    """Builds the wheel (pip fetches the build backend from the registry)."""
    out = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", str(ROOT), "-w", str(tmp_path)],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    names = zipfile.ZipFile(next(tmp_path.glob("kashtan-*.whl"))).namelist()
    assert sorted(n.split("/")[-1][:-5] for n in names if n.startswith("kashtan/configs/") and n.endswith(".toml")) \
        == ON_DISK
