"""The Kubernetes manifests run locked down, bounded and truthfully probed (#6 items 7, 22).

Every YAML document under deploy/k8s is parsed; every workload in it (Deployment, Job, …) is
checked, so a workload added later is held to the same rules.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from core.health import DEFAULT_READY_TIMEOUT

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
DOCKERFILE = ROOT / "Dockerfile"
PROBE_START_SECONDS = 3  # a fresh Python needs about 2 s to import core before the check runs
WRITABLE_ENV = ("RUNTIME_DIR", "HOME", "XDG_CACHE_HOME", "HF_HOME", "TORCH_HOME", "MPLCONFIGDIR")

Doc = dict[str, Any]


def _documents() -> list[tuple[str, Doc]]:
    found = []
    for path in sorted([*K8S.rglob("*.yaml"), *K8S.rglob("*.yml")]):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if doc:
                found.append((path.relative_to(ROOT).as_posix(), doc))
    return found


def _pod_spec(doc: Doc) -> Doc | None:
    kind, spec = doc.get("kind"), doc.get("spec") or {}
    if kind == "Pod":
        return spec
    if kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}:
        return spec["template"]["spec"]
    if kind == "CronJob":
        return spec["jobTemplate"]["spec"]["template"]["spec"]
    return None


DOCUMENTS = _documents()
WORKLOADS = [
    pytest.param(doc, _pod_spec(doc), id=f"{doc['kind']}/{doc['metadata']['name']}")
    for _, doc in DOCUMENTS
    if _pod_spec(doc) is not None
]
CONTAINERS = [
    pytest.param(doc, spec, container, id=f"{doc['kind']}/{doc['metadata']['name']}/{c_name}")
    for _, doc in DOCUMENTS
    if (spec := _pod_spec(doc)) is not None
    for container in [*spec.get("initContainers", []), *spec["containers"]]
    if (c_name := container["name"])
]


def _dockerfile_env() -> dict[str, str]:
    text = DOCKERFILE.read_text(encoding="utf-8")
    return dict(re.findall(r"^\s+([A-Z_]+)=(\S+?)\s*\\?$", text, flags=re.MULTILINE))


def _config_maps() -> dict[str, dict[str, str]]:
    return {
        doc["metadata"]["name"]: doc.get("data") or {}
        for _, doc in DOCUMENTS
        if doc.get("kind") == "ConfigMap"
    }


def _environment(container: Doc) -> dict[str, str]:
    """What the container sees: the image's ENV, then its ConfigMaps, then its own env."""
    env = _dockerfile_env()
    maps = _config_maps()
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            env.update(maps.get(source["configMapRef"]["name"], {}))
    env.update(
        {item["name"]: item["value"] for item in container.get("env", []) if "value" in item}
    )
    return env


_UNITS = {"": 1, "m": 1e-3, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "K": 1e3, "M": 1e6, "G": 1e9}


def _quantity(value: object) -> float:
    match = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", str(value))
    assert match, f"unreadable quantity {value!r}"
    return float(match.group(1)) * _UNITS[match.group(2)]


def test_the_manifests_hold_the_app_and_its_migration() -> None:
    kinds = {doc["kind"] for _, doc in DOCUMENTS}
    assert {"Deployment", "Job"} <= kinds


def test_no_secret_lives_in_the_applied_folder() -> None:
    """`kubectl apply -f deploy/k8s/` must never overwrite the real secret with an example."""
    secrets = [
        (path, doc["metadata"]["name"]) for path, doc in DOCUMENTS if doc["kind"] == "Secret"
    ]
    assert secrets == []


def test_the_example_secret_is_kept_outside_and_documented() -> None:
    example = ROOT / "deploy" / "examples" / "secret.example.yaml"
    (doc,) = list(yaml.safe_load_all(example.read_text(encoding="utf-8")))
    assert doc["kind"] == "Secret"
    assert "deploy/examples/secret.example.yaml" in (ROOT / "README.md").read_text("utf-8")


@pytest.mark.parametrize(("doc", "spec"), WORKLOADS)
def test_every_pod_runs_as_the_images_non_root_user_with_the_default_seccomp(
    doc: Doc, spec: Doc
) -> None:
    uid = re.search(r"useradd\b.*--uid (\d+)", DOCKERFILE.read_text(encoding="utf-8"))
    assert uid, "the Dockerfile creates its user with a fixed --uid"
    pod = spec.get("securityContext") or {}
    assert pod.get("runAsNonRoot") is True
    assert pod.get("runAsUser") == int(uid.group(1))
    assert isinstance(pod.get("fsGroup"), int) and pod["fsGroup"] > 0
    assert (pod.get("seccompProfile") or {}).get("type") == "RuntimeDefault"
    assert spec.get("automountServiceAccountToken") is False
    assert not spec.get("hostNetwork") and not spec.get("hostPID") and not spec.get("hostIPC")


@pytest.mark.parametrize(("doc", "spec", "container"), CONTAINERS)
def test_every_container_is_locked_down(doc: Doc, spec: Doc, container: Doc) -> None:
    context = container.get("securityContext") or {}
    assert context.get("allowPrivilegeEscalation") is False
    assert context.get("readOnlyRootFilesystem") is True
    assert context.get("privileged") in (None, False)
    assert "ALL" in (context.get("capabilities") or {}).get("drop", [])
    assert not (context.get("capabilities") or {}).get("add")
    assert context.get("runAsUser", 1) != 0


@pytest.mark.parametrize(("doc", "spec", "container"), CONTAINERS)
def test_every_place_the_app_writes_is_a_writable_empty_dir(
    doc: Doc, spec: Doc, container: Doc
) -> None:
    env = _environment(container)
    needed = {"/tmp"} | {env[name] for name in WRITABLE_ENV if name in env}
    assert env.get("RUNTIME_DIR") == "/var/lib/companion" and "HOME" in env
    empty_dirs = {volume["name"] for volume in spec.get("volumes", []) if "emptyDir" in volume}
    writable = [
        mount["mountPath"].rstrip("/")
        for mount in container.get("volumeMounts", [])
        if mount["name"] in empty_dirs and not mount.get("readOnly")
    ]
    for path in sorted(needed):
        assert any(path == m or path.startswith(m + "/") for m in writable), (
            f"{path} is not on a writable emptyDir in {container['name']}"
        )


@pytest.mark.parametrize(("doc", "spec", "container"), CONTAINERS)
def test_every_container_has_resource_requests_and_limits(
    doc: Doc, spec: Doc, container: Doc
) -> None:
    resources = container.get("resources") or {}
    for resource in ("cpu", "memory"):
        request = (resources.get("requests") or {}).get(resource)
        limit = (resources.get("limits") or {}).get(resource)
        assert request is not None and limit is not None, f"{resource} request and limit"
        assert _quantity(request) <= _quantity(limit)


@pytest.mark.parametrize(("doc", "spec", "container"), CONTAINERS)
def test_every_image_has_a_fixed_version(doc: Doc, spec: Doc, container: Doc) -> None:
    image = container["image"]
    if "@sha256:" in image:
        return
    name, _, tag = image.rpartition(":")
    assert name and "/" not in tag, f"{image} has no tag"
    assert tag != "latest"


def test_the_app_and_its_migration_run_the_same_image() -> None:
    images = {container.values[2]["image"] for container in CONTAINERS}
    assert len(images) == 1, images


def _deployment_containers() -> list[Any]:
    return [c for c in CONTAINERS if c.values[0]["kind"] == "Deployment"]


@pytest.mark.parametrize(("doc", "spec", "container"), _deployment_containers())
def test_readiness_asks_the_database_and_liveness_asks_something_else(
    doc: Doc, spec: Doc, container: Doc
) -> None:
    readiness, liveness = container.get("readinessProbe"), container.get("livenessProbe")
    assert readiness and liveness
    command = readiness["exec"]["command"]
    assert command[:4] == ["python", "-m", "core.health", "ready"]
    timeout = (
        float(command[command.index("--timeout") + 1])
        if "--timeout" in command
        else DEFAULT_READY_TIMEOUT
    )
    # The probe's own deadline (1 s unless set) must outlast the check's, or it always fails.
    assert readiness.get("timeoutSeconds", 1) >= timeout + PROBE_START_SECONDS
    handler = {key: value for key, value in liveness.items() if key in {"exec", "httpGet"}}
    assert handler != {"exec": readiness["exec"]}
    assert handler in (
        {"httpGet": {"path": "/_stcore/health", "port": 8501}},
        {"exec": {"command": ["python", "-m", "core.health", "live"]}},
    )
