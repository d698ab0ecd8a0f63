"""`pip install .` into a fresh virtual environment builds and installs a working yosmodel."""

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(os.environ.get("YOSMODEL_SKIP_PACKAGING") == "1",
                    reason="YOSMODEL_SKIP_PACKAGING=1 (set by hand for quick local runs only)")
def test_pip_install_into_fresh_venv(tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    if shutil.which("ccache"):  # as the Makefile does: compiled objects reused across clones
        clean.setdefault("CMAKE_CXX_COMPILER_LAUNCHER", "ccache")
        clean.setdefault("CCACHE_BASEDIR", str(ROOT))
    subprocess.run([python, "-m", "pip", "install", "-q", str(ROOT)], check=True, env=clean,
                   timeout=1500)
    check = ("import yosmodel as ym, pathlib; t = ym.reoffending_rates("
             "ym.datasets.synthetic_cohort(1000), by='sex'); assert t['offenders'].sum() == 1000;"
             " s = ym.datasets.lewisham_2016().theme_scores();"
             " assert s['score'].notna().sum() == 5;"
             " p = pathlib.Path(ym.__file__).parent;"
             " assert (p / 'py.typed').is_file();"
             " assert all((p / '_core' / f'{a}.pyi').is_file() for a in ('__init__', 'core',"
             " 'reoffending', 'stats', 'disclosure', 'evaluation', 'inspection'));"
             " import yosmodel._core.stats; assert issubclass(ym.SeparationError, ValueError);"
             " print(ym.__file__)")
    out = subprocess.run([python, "-c", check], check=True, env=clean, cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert str(env_dir) in out.stdout
    cli = subprocess.run([env_dir / "bin" / "yosmodel", "--help"], env=clean, cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert cli.returncode == 0 and "demo" in cli.stdout
    assert sys.executable != str(python)
