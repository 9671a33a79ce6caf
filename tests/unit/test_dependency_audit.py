"""The dependency audit really audits: a known-vulnerable control pin is caught (#6 item 23)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AUDIT = ROOT / "tools" / "audit_dependencies.py"


def _audit(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(AUDIT), *map(str, files)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_a_known_vulnerable_control_pin_fails_the_audit(tmp_path: Path) -> None:
    control = tmp_path / "control.txt"
    control.write_text("requests==2.19.0  # CVE-2018-18074\nrich==13.0.0\n", encoding="utf-8")
    done = _audit(control)
    assert done.returncode == 1
    assert "VULNERABLE requests==2.19.0: CVE-2018-18074" in done.stdout
    assert "audited 2 pinned packages" in done.stdout


def test_the_projects_pins_pass_the_audit() -> None:
    done = _audit()
    assert done.returncode == 0, done.stdout
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    pinned = sum(1 for line in lines if "==" in line.split("#")[0])
    assert f"audited {pinned} pinned packages" in done.stdout
