"""The Kubernetes manifests (deploy/kubernetes) against the API schemas of several
Kubernetes versions (kubernetes-validate, strict), checkov's policies, and what the
deployment needs: Qdrant in distributed mode with replicas, a locked-down stateless
service, egress only where Yakuba must go, images pinned by digest, no secrets."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy._tools import (
    KUBERNETES,
    SETTING_NAMES,
    checkov,
    documents,
    env_file,
    run,
    tool,
)

KUSTOMIZATION = KUBERNETES / "kustomization.yaml"
# Kubernetes versions the manifests must stay valid for: the oldest still common on
# on-premises clusters to the newest kubernetes-validate knows.
VERSIONS = ["1.29.0", "1.33.0", "1.37.0"]
DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")


def _kustomization() -> dict[str, Any]:
    return documents(KUSTOMIZATION)[0]


def _manifests() -> list[Path]:
    return [KUBERNETES / name for name in _kustomization()["resources"]]


def _objects() -> dict[tuple[str, str], dict[str, Any]]:
    return {(o["kind"], o["metadata"]["name"]): o for p in _manifests() for o in documents(p)}


def _pod(kind: str, name: str) -> dict[str, Any]:
    spec: dict[str, Any] = _objects()[(kind, name)]["spec"]["template"]["spec"]
    return spec


def test_kustomization_lists_every_manifest_and_only_those() -> None:
    listed = {p.name for p in _manifests()}
    on_disk = {p.name for p in KUBERNETES.glob("*.yaml")} - {KUSTOMIZATION.name}
    assert listed == on_disk


@pytest.mark.parametrize("version", VERSIONS)
def test_manifests_match_the_api_schemas(version: str) -> None:
    result = run(
        [tool("kubernetes-validate"), "--strict", "--quiet", "-k", version]
        + [str(p) for p in _manifests()]
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_checkov_finds_nothing() -> None:
    summary = checkov("deploy/kubernetes", framework="kubernetes")
    assert summary["failures"] == [] and summary["parsing_errors"] == 0
    # The skips are the ones annotated with their reasons in the manifests.
    assert summary["passed"] > 200 and summary["skipped"] == 5


def test_qdrant_runs_as_a_replicated_cluster() -> None:
    objects = _objects()
    qdrant = objects[("StatefulSet", "qdrant")]
    assert qdrant["spec"]["replicas"] >= 3
    config = yaml.safe_load(objects[("ConfigMap", "qdrant-config")]["data"]["production.yaml"])
    assert config["cluster"]["enabled"] is True
    # Yakuba creates its collection without shard or replica counts: the server's
    # defaults apply (shards: one per node at creation).
    assert config["storage"]["collection"]["replication_factor"] >= 2
    headless = objects[("Service", "qdrant-headless")]["spec"]
    assert headless["clusterIP"] == "None" and headless["publishNotReadyAddresses"] is True
    assert qdrant["spec"]["serviceName"] == "qdrant-headless"
    # One node may be drained at a time: every shard keeps a replica.
    assert objects[("PodDisruptionBudget", "qdrant")]["spec"]["maxUnavailable"] == 1
    anti = _pod("StatefulSet", "qdrant")["affinity"]["podAntiAffinity"]
    assert anti["requiredDuringSchedulingIgnoredDuringExecution"]


def test_the_service_is_stateless_scaled_and_probed() -> None:
    objects = _objects()
    deployment = objects[("Deployment", "yakuba")]
    pod = _pod("Deployment", "yakuba")
    (container,) = pod["containers"]
    assert "volumeClaimTemplates" not in deployment["spec"]
    assert all("persistentVolumeClaim" not in v for v in pod["volumes"])
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert probe in container
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    assert {"cpu", "memory"} <= set(container["resources"]["limits"])
    hpa = objects[("HorizontalPodAutoscaler", "yakuba")]["spec"]
    assert hpa["scaleTargetRef"]["name"] == "yakuba" and hpa["minReplicas"] >= 2
    assert objects[("PodDisruptionBudget", "yakuba")]["spec"]["minAvailable"] >= 1
    # Serving on every interface needs a sign-in mode other than `none`.
    settings = objects[("ConfigMap", "yakuba-settings")]["data"]
    assert settings["YAKUBA_AUTH_MODE"] in ("jwt", "header")
    assert container["args"][:3] == ["serve", "--host", "0.0.0.0"]


@pytest.mark.parametrize(
    ("kind", "name"),
    [("Deployment", "yakuba"), ("StatefulSet", "qdrant"), ("StatefulSet", "postgres")],
)
def test_pods_run_unprivileged_on_a_read_only_root(kind: str, name: str) -> None:
    pod = _pod(kind, name)
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    assert pod["automountServiceAccountToken"] is False
    for container in pod["containers"]:
        context = container["securityContext"]
        assert context["readOnlyRootFilesystem"] is True
        assert context["allowPrivilegeEscalation"] is False
        assert context["capabilities"]["drop"] == ["ALL"]


def test_third_party_images_are_pinned_by_digest() -> None:
    images = {
        c["image"]
        for (kind, _), o in _objects().items()
        if kind in ("Deployment", "StatefulSet")
        for c in o["spec"]["template"]["spec"]["containers"]
    }
    assert images == {
        "yakuba:0.1.0",
        "qdrant/qdrant:v1.19.1-unprivileged@sha256:801777072776dc81b2a9dd2007b2ed487571f21ecd30efffd15ddb1671f2193d",
        "postgres:17.11-bookworm@sha256:639ab7ceb90e13123085b741fb31ef493fba25463002f6da665352e7b534b652",
    }
    assert all(DIGEST.search(i) for i in images - {"yakuba:0.1.0"})
    # Yakuba's own image is renamed to the municipality's registry by kustomize, where
    # the digest is added once it is pushed (deploy/README.md).
    assert [i["name"] for i in _kustomization()["images"]] == ["yakuba"]


def _egress_ports(name: str) -> set[tuple[str, int]]:
    policy = _objects()[("NetworkPolicy", name)]["spec"]
    out: set[tuple[str, int]] = set()
    for rule in policy.get("egress", []):
        for peer in rule["to"]:
            if "ipBlock" in peer:
                where = "ip:" + peer["ipBlock"]["cidr"]
            else:
                labels = peer.get("podSelector", {}).get("matchLabels", {})
                where = labels.get("app.kubernetes.io/name") or labels.get("k8s-app", "?")
            out |= {(where, p["port"]) for p in rule["ports"]}
    return out


def test_network_policies_allow_only_what_each_part_needs() -> None:
    objects = _objects()
    assert objects[("NetworkPolicy", "default-deny")]["spec"] == {
        "podSelector": {},
        "policyTypes": ["Ingress", "Egress"],
    }
    assert _egress_ports("yakuba") == {
        ("kube-dns", 53),
        ("qdrant", 6333),
        ("postgres", 5432),
        ("ip:192.0.2.10/32", 443),  # the model endpoint, to be replaced by the operator
    }
    assert _egress_ports("postgres") == set()
    assert _egress_ports("qdrant") == {("kube-dns", 53), ("qdrant", 6333), ("qdrant", 6335)}
    # The peer-to-peer port (unauthenticated writes between nodes) only from Qdrant.
    ingress = objects[("NetworkPolicy", "qdrant")]["spec"]["ingress"]
    p2p = [r for r in ingress if any(p["port"] == 6335 for p in r["ports"])]
    assert [r["from"] for r in p2p] == [
        [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": "qdrant"}}}]
    ]


def test_settings_are_real_and_secrets_stay_out_of_the_manifests() -> None:
    objects = _objects()
    data = objects[("ConfigMap", "yakuba-settings")]["data"]
    assert set(data) <= SETTING_NAMES
    assert not any(k in data for k in ("YAKUBA_QDRANT_API_KEY", "YAKUBA_DATABASE_URL"))
    assert not [o for (kind, _), o in objects.items() if kind == "Secret"]
    # The Secrets come from secrets.env (git-ignored) through kustomize's generators.
    generators = {g["name"]: g for g in _kustomization()["secretGenerator"]}
    assert generators["yakuba-secrets"]["envs"] == ["secrets.env"]
    assert generators["yakuba-env-file"]["files"] == ["yakuba.env=secrets.env"]
    example = env_file(KUBERNETES / "secrets.env.example")
    used = {
        ref["secretKeyRef"]["key"]
        for o in objects.values()
        if o["kind"] in ("Deployment", "StatefulSet")
        for c in o["spec"]["template"]["spec"]["containers"]
        for ref in [e.get("valueFrom", {}) for e in c.get("env", [])]
        if "secretKeyRef" in ref
    }
    used |= {"POSTGRES_PASSWORD"}  # projected as a file into the PostgreSQL pod
    assert used <= set(example)
    assert {k for k in example if k.startswith("YAKUBA_")} <= SETTING_NAMES


def test_the_secrets_file_gives_yakuba_its_urls(tmp_path: Path) -> None:
    """Yakuba reads secrets.env as its env file; the URLs are built from the passwords."""
    from service.settings import Settings

    secrets = tmp_path / "yakuba.env"
    text = (KUBERNETES / "secrets.env.example").read_text(encoding="utf-8")
    secrets.write_text(text.replace("POSTGRES_PASSWORD=change-me", "POSTGRES_PASSWORD=0f3a"))
    data = _objects()[("ConfigMap", "yakuba-settings")]["data"]
    settings = Settings(_env_file=secrets, **{k[7:].lower(): v for k, v in data.items()})  # type: ignore[call-arg]
    assert settings.database_url == "postgresql+psycopg://yakuba:0f3a@postgres:5432/yakuba"
    assert settings.qdrant_api_key is not None
    assert settings.qdrant_api_key.get_secret_value() == "change-me"
    assert settings.qdrant_url == "http://qdrant:6333" and settings.generation_enabled
