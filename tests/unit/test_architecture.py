"""House rules a reviewer would otherwise have to remember."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _python_files(*folders: str) -> list[Path]:
    return [path for folder in folders for path in (ROOT / folder).rglob("*.py")]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_core_and_workers_never_import_streamlit() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in _python_files("core", "workers")
        if {"streamlit", "streamlit_authenticator", "ui"} & _imports(path)
    ]
    assert offenders == []


def test_pages_do_no_sql_http_or_model_work_themselves() -> None:
    forbidden = {"sqlalchemy", "sqlmodel", "httpx", "requests", "ollama", "hnswlib", "torch"}
    offenders = {
        str(path.relative_to(ROOT)): sorted(forbidden & _imports(path))
        for path in [ROOT / "Home.py", *_python_files("pages", "ui")]
        if forbidden & _imports(path)
    }
    assert offenders == {}


def test_no_cache_shared_between_users_holds_personal_data() -> None:
    # st.cache_data is global to all users and persist="disk" writes plaintext pickles.
    for path in [ROOT / "Home.py", *_python_files("pages", "ui")]:
        text = path.read_text(encoding="utf-8")
        assert "cache_data" not in text, path
        assert "persist=" not in text, path
