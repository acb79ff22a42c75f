"""The layering the project keeps: one-way package dependencies, readers that do not rebuild
runs, registries that agree with config validation."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# a package may import only the packages listed for it (besides the standard library and third parties)
ALLOWED = {"circuits": {"circuits"}, "tasks": {"tasks"}, "evo": {"evo", "circuits", "tasks"},
           "kashtan": {"kashtan", "evo", "circuits", "tasks"}}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & set(ALLOWED)


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_dependencies_point_one_way(package):
    for path in sorted((ROOT / package).rglob("*.py")):
        assert imports(path) <= ALLOWED[package], f"{path.relative_to(ROOT)} imports {imports(path) - ALLOWED[package]}"


def test_no_file_over_400_lines():
    for package in ALLOWED:
        for path in (ROOT / package).rglob("*.py"):
            assert len(path.read_text().splitlines()) <= 400, path


# kashtan's own layers, each importing only the ones listed (the entry points, kashtan/*.py, import any)
LAYERS = {"configuration": {"configuration"}, "running": {"configuration", "running"},
          "analysis": {"configuration", "running", "analysis"},
          "report": {"configuration", "running", "analysis", "report"}}


def kashtan_layers(path: Path) -> set[str]:
    """The kashtan sub-packages a module imports (``from kashtan import X``: X is a module of the top)."""
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else []
        for name in names:
            parts = name.split(".")
            if parts[0] == "kashtan":
                if len(parts) > 1:
                    found.add(parts[1])
                else:
                    found |= {a.name for a in node.names}
    return found


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_kashtan_layers_point_one_way(layer):
    """Configuration knows nothing of running it; running nothing of analysing or reporting;
    reports read what runs wrote; only the entry points (cli, api) sit on top of everything."""
    assert sorted(p.name for p in (ROOT / "kashtan").glob("*.py")) == ["__init__.py", "api.py", "cli.py",
                                                                       "cli_dynamics.py", "cli_help.py"]
    for path in sorted((ROOT / "kashtan" / layer).glob("*.py")):
        assert kashtan_layers(path) <= LAYERS[layer], f"{path.relative_to(ROOT)} imports {kashtan_layers(path) - LAYERS[layer]}"


def test_readers_do_not_load_the_runner_or_the_build_chain():
    code = ("import sys; import kashtan.report.summary, kashtan.report.netsummary, kashtan.report.figures, kashtan.analysis.stats, kashtan.running.rundir; "
            "print(sorted(m for m in ('kashtan.running.runner', 'kashtan.configuration.build', 'evo.loop') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_registries_agree_with_the_builders():
    from evo import kinds
    from kashtan.configuration import build, config
    from tasks import schedules
    assert set(build.SCHEDULES) == set(schedules.KINDS) == set(config.CHOICES["schedule.kind"])
    assert set(build.PROBLEMS) == set(kinds.KINDS) == set(config.CHOICES["circuit.kind"])


def test_a_strategy_is_chosen_by_name_and_checked():
    from circuits.network import NetSpec
    from evo.net_problem import NetworkProblem, NetworkSettings
    from evo.strategies import NSGA2, Generational
    from evo.toolbox import OperatorError, make_toolbox
    prob = NetworkProblem(NetSpec(), NetworkSettings(cost="optimal"))
    assert isinstance(make_toolbox(prob, "nsga2", {}, "clune").strategy, NSGA2)
    assert isinstance(make_toolbox(prob, "tournament", {}, "clune").strategy, Generational)
    with pytest.raises(OperatorError, match="takes no argument 'prob'"):
        make_toolbox(prob, "nsga2", {"prob": [1.0, 0.5]}, "clune")
    with pytest.raises(OperatorError, match=r"2 probabilities in \[0, 1\] \(performance, cost\)"):
        make_toolbox(prob, "nsga2", {"probs": [1.0]}, "clune")
    with pytest.raises(OperatorError, match="did you mean 'nsga2'"):
        make_toolbox(prob, "nsga", {}, "clune")


def test_installed_package_names_resolve_to_this_project():
    """`tasks`, `evo` and `circuits` are common names: a same-named package installed elsewhere
    must not shadow these (checked in a fresh interpreter, from outside the repository)."""
    import subprocess
    import sys
    code = ("import circuits, evo, kashtan, tasks, pathlib; "
            "print('\\n'.join(str(pathlib.Path(m.__file__).resolve().parent.parent) "
            "for m in (circuits, evo, kashtan, tasks)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/", timeout=120)
    assert out.returncode == 0, out.stderr
    assert set(out.stdout.split()) == {str(ROOT)}
