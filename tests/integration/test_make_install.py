"""`make install` the first time: a line per step and per package while pip works, pip's whole log when
it fails. pip itself is played by a stand-in `python -m venv` that writes a `pip` printing what pip
prints, so the test needs neither the network nor two minutes."""
from __future__ import annotations

import subprocess
from pathlib import Path

from webapp.config import PROJECT_ROOT

STAND_IN_PYTHON = r"""#!/bin/sh
[ "$1" = "-m" ] && [ "$2" = "venv" ] || exit 2
mkdir -p "$3/bin"
cat > "$3/bin/pip" <<'PIP'
#!/bin/sh
case "$*" in *--upgrade\ pip*) echo "Requirement already satisfied: pip"; exit 0;; esac
echo "Obtaining file:///laget"
echo "Collecting flask>=3.0 (from laget==0.1.0)"
echo "  Downloading flask-3.1.2-py3-none-any.whl.metadata (3.2 kB)"
echo "Collecting plotly>=5.24 (from laget==0.1.0)"
if [ -n "$PIP_FAILS" ]; then echo "ERROR: No matching distribution found for psycopg>=3.2" >&2; exit 1; fi
echo "Installing collected packages: flask, plotly"
echo "Successfully installed flask plotly"
PIP
chmod +x "$3/bin/pip"
"""


def make_install(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    python = tmp_path / "python"
    python.write_text(STAND_IN_PYTHON)
    python.chmod(0o755)
    venv = tmp_path / "venv"
    return subprocess.run(["make", "--no-print-directory", f"VENV={venv}", f"PYTHON={python}",
                           f"{venv}/.installed-stamp"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=60, env={"PATH": "/usr/bin:/bin", **env}, check=False)


def test_a_first_install_shows_each_step_and_each_package(tmp_path):
    done = make_install(tmp_path)

    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Installing Laget and its dependencies into")
    assert "    flask>=3.0" in lines and "    plotly>=5.24" in lines
    assert lines[-1] == "  done"
    assert "Successfully installed flask plotly" in (tmp_path / "venv" / "install.log").read_text()


def test_a_failed_install_shows_pips_whole_log_and_fails(tmp_path):
    done = make_install(tmp_path, PIP_FAILS="1")

    assert done.returncode != 0
    assert "ERROR: No matching distribution found for psycopg>=3.2" in done.stdout
    assert "Downloading flask-3.1.2" in done.stdout  # the whole log, not only the lines shown on the way
    assert not (tmp_path / "venv" / ".installed-stamp").exists()
