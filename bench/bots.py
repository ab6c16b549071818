"""Chat-bot acknowledgements under load, and every event answered exactly once.

    .venv/bin/python bench/bots.py [--events 20] [--rounds 3] [--latency-ms 2000]
        [--platforms slack,lineworks,teams]

Starts a recording stand-in for the chat platforms' Web APIs (tests/utils/chat_api_server.py)
and the test model (tests/utils/llm_server.py, answering after `--latency-ms`) in this
process, ingests two bundled laws into a temporary data directory, starts Yakuba with
uvicorn (a separate process) with the Slack, LINE WORKS and Teams bots configured, then, per
round and platform, sends `--events` correctly signed message events at once, each from
its own staff member, and resends every one of them (Slack: the same event id with
`X-Slack-Retry-Num: 1`; LINE WORKS: the same callback; Teams: the same activity, with
tokens signed by a key published to Yakuba as its JWKS file). It measures how long each callback
took to be acknowledged (the HTTP response), then waits for the answers the bot posts and
counts them per event: exactly one each is the target, and none for a resend. Beside the
client's figures it prints Yakuba's own share from its access log (`duration_ms`: from the
app receiving the request to its response, without the HTTP server's parsing, the network
or the harness's own event loop), so that a slow figure can be told apart from a busy
machine.

Targets (issue 14): acknowledgement p99 ≤ 100 ms with 20 concurrent events while answers
take 2 s; every event answered exactly once. Copy the table into bench/RESULTS.md with the
machine's load.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import os
import platform
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.service import free_port, ingest, pct, process, wait_ready, yakuba_args  # noqa: E402
from tests.utils.chat_api_server import (  # noqa: E402
    LINEWORKS_API,
    LINEWORKS_AUTH,
    SLACK_API,
    TEAMS_SERVICE,
    TEAMS_TOKEN,
    ChatApiServer,
    RecordedCall,
)
from tests.utils.llm_server import RecordingLLMServer  # noqa: E402

SLACK_SECRET = "bench-slack-signing-secret"
LINEWORKS_SECRET = "bench-lineworks-bot-secret"
BOT_ID = "2000001"
TEAMS_APP_ID = "00000000-0000-0000-0000-0000000bench"
PATHS = {"slack": "/slack/events", "lineworks": "/lineworks/callback", "teams": "/teams/messages"}
QUESTION = "行政手続法で、申請に対する審査基準の公表はどう定められていますか"


@dataclass
class Sent:
    platform: str
    key: str  # what the answer carries back: Slack thread ts, LINE WORKS user id
    ack_ms: float
    status: int
    resend_ack_ms: float = 0.0
    resend_status: int = 0
    sent_at: float = 0.0
    answers: int = 0  # answers the bot posted for this event (and its resend)


def slack_request(n: int, round_no: int) -> tuple[str, bytes, dict[str, str]]:
    ts = f"1700000{round_no:03d}.{n:06d}"
    body = json.dumps(
        {
            "type": "event_callback",
            "team_id": "T0001",
            "api_app_id": "A0001",
            "event_id": f"Ev{round_no:03d}{n:04d}",
            "event_time": int(time.time()),
            "event": {
                "type": "app_mention",
                "user": f"U{n:04d}",
                "text": f"<@UBOT> {QUESTION}",
                "ts": ts,
                "channel": "CBENCH",
                "event_ts": ts,
            },
        }
    ).encode()
    stamp = str(int(time.time()))
    sig = hmac.new(SLACK_SECRET.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256)
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": "v0=" + sig.hexdigest(),
    }
    return ts, body, headers


def lineworks_request(n: int, round_no: int) -> tuple[str, bytes, dict[str, str]]:
    user = f"lw-user-{n:04d}"
    event = {
        "type": "message",
        "source": {"userId": user, "domainId": 1},
        "issuedTime": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "content": {"type": "text", "text": f"{QUESTION}（{round_no}回目）"},
    }
    body = json.dumps(event, ensure_ascii=False).encode()
    sig = hmac.new(LINEWORKS_SECRET.encode(), body, hashlib.sha256).digest()
    headers = {
        "Content-Type": "application/json; charset=UTF-8",
        "X-WORKS-BotId": BOT_ID,
        "X-WORKS-Signature": base64.b64encode(sig).decode(),
    }
    return user, body, headers


@dataclass(frozen=True)
class TeamsSetup:
    """What a Teams request needs: the key that signs Teams' tokens, the connector's URL."""

    key: rsa.RSAPrivateKey
    service_url: str

    def request(self, n: int, round_no: int) -> tuple[str, bytes, dict[str, str]]:
        activity_id = f"act{round_no:03d}{n:04d}"
        body = json.dumps(
            {
                "type": "message",
                "id": activity_id,
                "serviceUrl": self.service_url,
                "channelId": "msteams",
                "from": {"id": f"29:user{n}", "aadObjectId": f"aad-{n:04d}"},
                "conversation": {"id": f"a:bench{n:04d}", "conversationType": "personal"},
                "recipient": {"id": f"28:{TEAMS_APP_ID}", "name": "Yakuba"},
                "text": QUESTION,
            },
            ensure_ascii=False,
        ).encode()
        now = int(time.time())
        claims = {
            "iss": "https://api.botframework.com",
            "aud": TEAMS_APP_ID,
            "serviceurl": self.service_url,
            "nbf": now,
            "exp": now + 3600,
        }
        token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "bench"})
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        return activity_id, body, headers


async def send_round(
    client: httpx.AsyncClient,
    base: str,
    name: str,
    events: int,
    round_no: int,
    teams: TeamsSetup,
) -> list[Sent]:
    builds = {"slack": slack_request, "lineworks": lineworks_request, "teams": teams.request}
    requests = [builds[name](n, round_no) for n in range(events)]
    path = PATHS[name]

    async def one(key: str, body: bytes, headers: dict[str, str]) -> Sent:
        started = time.perf_counter()
        response = await client.post(base + path, content=body, headers=headers)
        sent = Sent(name, key, (time.perf_counter() - started) * 1000, response.status_code)
        sent.status = 200 if response.status_code == 202 else response.status_code
        sent.sent_at = time.time()
        retry = {**headers, "X-Slack-Retry-Num": "1"} if name == "slack" else headers
        started = time.perf_counter()
        again = await client.post(base + path, content=body, headers=retry)
        sent.resend_ack_ms = (time.perf_counter() - started) * 1000
        sent.resend_status = 200 if again.status_code == 202 else again.status_code
        return sent

    return list(await asyncio.gather(*(one(*r) for r in requests)))


def answers_for(api: ChatApiServer, sent: Sent) -> list[RecordedCall]:
    if sent.platform == "slack":
        return [
            c
            for c in api.named("chat.postMessage")
            if isinstance(c.body, dict) and c.body.get("thread_ts") == sent.key
        ]
    if sent.platform == "teams":
        return api.named(sent.key)  # a reply to the activity ends in its id
    return [c for c in api.named("messages") if f"/users/{sent.key}/" in c.path]


def wait_answers(
    api: ChatApiServer, sent: list[Sent], timeout_s: float, before: dict[int, int] | None = None
) -> None:
    deadline = time.monotonic() + timeout_s
    already = before or {}
    while time.monotonic() < deadline:
        if all(len(answers_for(api, s)) > already.get(n, 0) for n, s in enumerate(sent)):
            time.sleep(1.0)  # room for a duplicate to show up
            return
        time.sleep(0.1)


def bot_env(
    data_dir: Path, llm_url: str, api: ChatApiServer, directory: Path, key_file: Path, jwks: Path
) -> dict[str, str]:
    """Yakuba's settings with every bot configured against the recording chat API `api`."""
    return {
        "YAKUBA_DATA_DIR": str(data_dir),
        "YAKUBA_LLM_BASE_URL": llm_url,
        "YAKUBA_LLM_MODEL": "test-model",
        "YAKUBA_BOT_DIRECTORY_FILE": str(directory),
        "YAKUBA_SLACK_SIGNING_SECRET": SLACK_SECRET,
        "YAKUBA_SLACK_BOT_TOKEN": "xoxb-bench",
        "YAKUBA_SLACK_API_URL": api.url(SLACK_API),
        "YAKUBA_LINEWORKS_BOT_ID": BOT_ID,
        "YAKUBA_LINEWORKS_BOT_SECRET": LINEWORKS_SECRET,
        "YAKUBA_LINEWORKS_CLIENT_ID": "bench-client",
        "YAKUBA_LINEWORKS_CLIENT_SECRET": "bench-client-secret",
        "YAKUBA_LINEWORKS_SERVICE_ACCOUNT": "bench.svc@example",
        "YAKUBA_LINEWORKS_PRIVATE_KEY_FILE": str(key_file),
        "YAKUBA_LINEWORKS_API_URL": api.url(LINEWORKS_API),
        "YAKUBA_LINEWORKS_AUTH_URL": api.url(LINEWORKS_AUTH),
        "YAKUBA_TEAMS_APP_ID": TEAMS_APP_ID,
        "YAKUBA_TEAMS_APP_PASSWORD": "bench-app-password",
        "YAKUBA_TEAMS_JWKS_FILE": str(jwks),
        "YAKUBA_TEAMS_TOKEN_URL": api.url(TEAMS_TOKEN),
    }


def write_setup(work: Path, events: int) -> tuple[Path, Path, rsa.RSAPrivateKey, Path]:
    lines = [
        f'[slack.U{n:04d}]\nuser = "bench{n:04d}"\ndepartment = "総務課"\n' for n in range(events)
    ]
    lines += [
        f'[lineworks."lw-user-{n:04d}"]\nuser = "lwbench{n:04d}"\ndepartment = "市民課"\n'
        for n in range(events)
    ]
    lines += [
        f'[teams."aad-{n:04d}"]\nuser = "tmbench{n:04d}"\ndepartment = "税務課"\n'
        for n in range(events)
    ]
    directory = work / "chat-users.toml"
    directory.write_text("\n".join(lines), encoding="utf-8")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = work / "lineworks.key"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    teams_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(teams_key.public_key()))
    jwks = work / "teams-keys.json"
    jwks.write_text(json.dumps({"keys": [{**public, "kid": "bench", "alg": "RS256"}]}))
    return directory, key_file, teams_key, jwks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--latency-ms", type=int, default=2000)
    parser.add_argument("--platforms", default="slack,lineworks,teams")
    args = parser.parse_args()
    platforms = [p.strip() for p in args.platforms.split(",") if p.strip()]

    with (
        tempfile.TemporaryDirectory() as tmp,
        ChatApiServer() as api,
        RecordingLLMServer(latency_s=args.latency_ms / 1000, record=False) as llm,
    ):
        work = Path(tmp)
        data_dir = work / "data"
        directory, key_file, teams_key, jwks = write_setup(work, args.events)
        teams = TeamsSetup(teams_key, api.url(TEAMS_SERVICE))
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            **bot_env(data_dir, llm.base_url, api, directory, key_file, jwks),
        }
        print("ingesting two laws …", file=sys.stderr)
        ingest(data_dir, work, env)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = work / "yakuba.log"
        with process(yakuba_args(port), env, log) as proc:
            wait_ready(f"{base}/healthz", proc, log)
            results = asyncio.run(run(api, base, platforms, args, teams))
        served = server_times(log)
    report(results, args)
    report_server(served)


_ACCESS = re.compile(r'duration_ms"?[=:]\s*([0-9.]+).*?route"?[=:]\s*"?([^\s",]+)')


def server_times(log: Path) -> dict[str, list[float]]:
    """Yakuba's access-log durations per route, without the warm-up (its first event and
    the resend of it)."""
    times: dict[str, list[float]] = {}
    for line in log.read_text("utf-8", errors="replace").splitlines():
        match = _ACCESS.search(line)
        if match:
            times.setdefault(match.group(2), []).append(float(match.group(1)))
    return {route: values[2:] for route, values in times.items() if len(values) > 2}


def report_server(served: dict[str, list[float]]) -> None:
    if not served:
        return
    print("\nYakuba's own share (access log, every callback incl. resends):\n")
    print("| route | callbacks | app time p50 / p95 / p99 / max (ms) |")
    print("|---|---|---|")
    for route, values in sorted(served.items()):
        print(
            f"| {route} | {len(values)} | {pct(values, 0.5):.1f} / {pct(values, 0.95):.1f} / "
            f"{pct(values, 0.99):.1f} / {max(values):.1f} |"
        )


async def run(
    api: ChatApiServer,
    base: str,
    platforms: list[str],
    args: argparse.Namespace,
    teams: TeamsSetup,
) -> dict[str, list[Sent]]:
    results: dict[str, list[Sent]] = {name: [] for name in platforms}
    limits = httpx.Limits(
        max_connections=4 * args.events, max_keepalive_connections=4 * args.events
    )
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        for name in platforms:  # warm-up: loads the embedder, the first token, Bolt's auth.test
            warm = await send_round(client, base, name, 1, 999, teams)
            await asyncio.to_thread(wait_answers, api, warm, 60)
        results["floor"] = await floor(client, base, args.events)
        for round_no in range(args.rounds):
            for name in platforms:
                # LINE WORKS answers are told apart by user, and each round asks the same
                # users: count what each round added.
                before = {n: _answers_so_far(api, name, n) for n in range(args.events)}
                sent = await send_round(client, base, name, args.events, round_no, teams)
                await asyncio.to_thread(wait_answers, api, sent, 120, before)
                for n, one in enumerate(sent):
                    one.answers = len(answers_for(api, one)) - before[n]
                results[name] += sent
                print(f"round {round_no + 1}, {name}: done", file=sys.stderr)
    return results


async def floor(client: httpx.AsyncClient, base: str, events: int) -> list[Sent]:
    """The harness's and the machine's own share: the same number of requests at once to
    GET /healthz (no bot, no signature), twice each like the events."""

    async def one() -> Sent:
        started = time.perf_counter()
        response = await client.get(f"{base}/healthz")
        sent = Sent("floor", "", (time.perf_counter() - started) * 1000, response.status_code)
        started = time.perf_counter()
        again = await client.get(f"{base}/healthz")
        sent.resend_ack_ms = (time.perf_counter() - started) * 1000
        sent.resend_status, sent.answers = again.status_code, 1
        return sent

    return list(await asyncio.gather(*(one() for _ in range(events))))


def _answers_so_far(api: ChatApiServer, name: str, n: int) -> int:
    key = f"lw-user-{n:04d}" if name == "lineworks" else ""
    return len(answers_for(api, Sent(name, key, 0, 0))) if key else 0


def report(results: dict[str, list[Sent]], args: argparse.Namespace) -> None:
    load = os.getloadavg()[0]
    print(
        f"\n{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load {load:.1f}; {args.events} events at once "
        f"× {args.rounds} rounds per platform, each resent once; model latency {args.latency_ms} ms\n"
    )
    print(
        "| platform | events | ack p50 / p95 / p99 / max (ms) | resend ack p99 (ms) "
        "| answered once | twice or more | never | non-200 |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, sent in results.items():
        acks = [s.ack_ms for s in sent]
        counts = [s.answers for s in sent]
        bad = sum(1 for s in sent if s.status != 200 or s.resend_status != 200)
        print(
            f"| {name} | {len(sent)} | {pct(acks, 0.5):.1f} / {pct(acks, 0.95):.1f} / "
            f"{pct(acks, 0.99):.1f} / {max(acks):.1f} | "
            f"{pct([s.resend_ack_ms for s in sent], 0.99):.1f} | "
            f"{counts.count(1)} | {sum(1 for c in counts if c > 1)} | {counts.count(0)} | {bad} |"
        )
    print(
        "\nfloor: GET /healthz, the same number at once (what the harness and the machine's "
        "load add to any request)"
    )
    print("\ntargets: ack p99 ≤ 100 ms; every event answered exactly once (never = 0, twice = 0)")


if __name__ == "__main__":
    main()
