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


def _modules(path: Path) -> set[str]:
    """Every module a file imports, by its full dotted name."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


# Entry points and the composition root choose adapters; the domain only knows the ports.
# (train_semantic is the training command; ui/runtime is the Streamlit app's way to the root.)
_WIRING = {"core/bootstrap.py", "core/keys.py", "core/safety/train_semantic.py", "ui/runtime.py"}


def _is_wiring(path: Path) -> bool:
    relative = path.relative_to(ROOT).as_posix()
    return (
        relative in _WIRING
        or relative.startswith(("core/adapters/", "core/demo/"))
        or path.name == "__main__.py"
    )


def test_domain_modules_import_ports_never_adapters() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            m for m in _modules(path) if m.startswith("core.adapters")
        )
        for path in _python_files("core", "ui", "pages")
        if not _is_wiring(path) and any(m.startswith("core.adapters") for m in _modules(path))
    }
    assert offenders == {}


def test_settings_are_read_only_by_the_composition_root() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in [*_python_files("core", "ui", "pages", "workers"), ROOT / "Home.py"]
        if "Settings(" in path.read_text(encoding="utf-8")
        and path.relative_to(ROOT).as_posix() not in {"core/config.py", "core/bootstrap.py"}
    ]
    assert offenders == []


def test_only_the_per_user_store_opens_a_users_cipher() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in _python_files("core", "ui", "pages", "workers")
        if ".cipher_for(" in path.read_text(encoding="utf-8")
        and path.relative_to(ROOT).as_posix() != "core/store.py"
    ]
    assert offenders == []


def test_interfaces_to_outside_systems_live_in_the_ports_module() -> None:
    # A Protocol elsewhere in core would be a second place to look for an interface.
    offenders = [
        str(path.relative_to(ROOT))
        for path in _python_files("core")
        if "(Protocol)" in path.read_text(encoding="utf-8")
        and path.relative_to(ROOT).as_posix() != "core/ports.py"
    ]
    assert offenders == []
