"""Bulk FAQ jobs (issue 15): throughput against the test model, memory, kill and resume.

    .venv/bin/python bench/faq.py [--rows 1000] [--latency-ms 1000] [--concurrency 16]
                                  [--memory-rows 100000] [--kill-rows 200]

1. `--rows` citizen questions (bench/retrieval_data: the fictional city's residents'
   questions, questions nothing answers, 5 % careless rows with a resident's data) run
   through the whole pipeline in this process, against the test model server (a separate
   process) at `--latency-ms`, `--concurrency` rows at a time: wall time, the ideal
   (model latency × rows / concurrency) and the overhead per row.
2. Memory: peak RSS after checking, storing and exporting `--memory-rows` rows, and its
   growth over the run of step 1 (rows are paged; the run holds no per-row state).
3. A real `yakuba faq generate` process killed with SIGKILL mid-job and run again: rows,
   model calls counted by the server (its --timings file), calls repeated.
Prints Markdown; copy it into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # bench/service.py must not shadow the service package

from service.faq import JobStore, open_faq_jobs  # noqa: E402
from service.pipeline.contracts import RequestContext  # noqa: E402
from service.runtime import Runtime  # noqa: E402
from service.settings import Settings  # noqa: E402

DATA = ROOT / "bench" / "retrieval_data"
CARELESS = [
    "{name}さん（090-{a}-{b}）から粗大ごみの申込みについて電話がありました",
    "マイナンバー{mn}の方から、カードの暗証番号を忘れたと相談がありました",
    "{name}様（焼津市本町{a2}丁目{b2}番地）の国民健康保険の手続きについて",
]
NAMES = ["田中花子", "山田太郎", "佐藤健一", "鈴木美咲", "高橋直樹"]
MY_NUMBERS = ["123456789018", "234567890122", "345678901236"]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def questions(n: int) -> list[dict[str, str]]:
    faqs = json.loads((DATA / "faq.json").read_text("utf-8"))["faqs"]
    more = json.loads((DATA / "city" / "faq_more.json").read_text("utf-8"))["faqs"]
    plain = [(f["category"], q) for f in faqs + more for q in f["queries"]]
    unanswerable = json.loads((DATA / "city" / "unanswerable.json").read_text("utf-8"))
    plain += [("その他", q) for q in unanswerable["questions"]]
    rows = []
    for i in range(n):
        if i % 20 == 19:
            template = CARELESS[(i // 20) % len(CARELESS)]
            q = template.format(
                name=NAMES[i % len(NAMES)],
                a=f"{1000 + i % 9000:04d}",
                b=f"{(i * 7919) % 10000:04d}",
                mn=MY_NUMBERS[i % len(MY_NUMBERS)],
                a2=1 + i % 5,
                b2=1 + i % 30,
            )
            rows.append({"ID": f"Q{i + 1:06d}", "カテゴリ": "窓口記録", "質問": q})
        else:
            cat, q = plain[i % len(plain)]
            rows.append({"ID": f"Q{i + 1:06d}", "カテゴリ": cat, "質問": q})
    return rows


def to_csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("cp932", errors="replace")  # as Excel saves it


@contextmanager
def model_server(latency_ms: float, timings: Path) -> Iterator[str]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.utils.llm_server",
            "--latency-ms",
            str(latency_ms),
            "--timings",
            str(timings),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        yield proc.stdout.readline().strip()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def build_index(data_dir: Path, tmp: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.service.faq._data import city_faq_csv

    city = tmp / "city"
    city.mkdir()
    city_faq_csv(city)
    runtime = Runtime(Settings(data_dir=data_dir))
    laws = [ROOT / "samples" / "laws" / n for n in ("juuki_hou.txt", "koseki_hou.txt")]
    runtime.knowledge_base.ingest([city, *laws])
    runtime.close()


def throughput(settings: Settings, rows: int, latency_ms: float, width: int) -> None:
    runtime = Runtime(settings)
    jobs = open_faq_jobs(runtime)
    try:
        jobs.pipeline.open_index()
        data = to_csv(questions(rows))
        who = RequestContext(user="bench", department="広報課", role="faq_editor")
        started = time.perf_counter()
        job = jobs.submit(data, "bench.csv", who, concurrency=width)
        submitted = time.perf_counter() - started
        rss_before = rss_mb()
        cpu0 = time.process_time()
        t0 = time.perf_counter()
        jobs.runner.run(job.id)
        wall = time.perf_counter() - t0
        cpu = time.process_time() - cpu0
        view = jobs.view(job.id)
        ideal = latency_ms / 1000 * view.counts["ok"] / width
        print(f"| rows | {rows:,} ({view.counts}) |")
        print(f"| submit (check + store) | {submitted:.2f} s |")
        print(
            f"| run wall time | {wall:.1f} s (ideal {ideal:.1f} s at {width} × {latency_ms:.0f} ms) |"
        )
        print(f"| overhead per row (wall − ideal) / rows | {(wall - ideal) / rows * 1000:.1f} ms |")
        print(f"| CPU per row (this process) | {cpu / rows * 1000:.1f} ms |")
        print(f"| peak RSS before / after the run | {rss_before:.0f} / {rss_mb():.0f} MB |")
        # A second job of the same size: caches (guard verdicts, the model client, the
        # embedder's buffers) are warm, so what still grows would grow with the rows.
        again = jobs.submit(data + b"\r\n", "bench2.csv", who, concurrency=width)
        after_first = rss_mb()
        t0 = time.perf_counter()
        jobs.runner.run(again.id)
        print(
            f"| second job of {rows:,} rows | {time.perf_counter() - t0:.1f} s, peak RSS "
            f"{after_first:.0f} → {rss_mb():.0f} MB |"
        )
    finally:
        jobs.store.close()
        runtime.close()


def memory(settings: Settings, rows: int, tmp: Path) -> None:
    runtime = Runtime(settings)
    jobs = open_faq_jobs(runtime)
    try:
        base = rss_mb()
        data = to_csv(questions(rows))
        t0 = time.perf_counter()
        preview = jobs.preview(data, "big.csv")
        who = RequestContext(user="bench-mem", role="faq_editor")
        job = jobs.submit(data, "big.csv", who)
        stored = time.perf_counter() - t0
        t1 = time.perf_counter()
        with (tmp / "big.xlsx").open("wb") as f:
            n = jobs.export(job.id, f, "xlsx")
        exported = time.perf_counter() - t1
        jobs.store.cancel(job.id)  # measured only, never run (the store's cancel: no scrub)
        print(f"| {rows:,} rows: file | {len(data) / 1e6:.1f} MB, {preview.rows:,} rows checked |")
        print(f"| check + store | {stored:.1f} s |")
        print(f"| export XLSX ({n:,} rows) | {exported:.1f} s |")
        print(f"| peak RSS (process start → after) | {base:.0f} → {rss_mb():.0f} MB |")
    finally:
        jobs.store.close()
        runtime.close()


def kill_and_resume(env: dict[str, str], rows: int, tmp: Path, timings: Path) -> None:
    src = tmp / "kill.csv"
    src.write_bytes(to_csv(questions(rows)))
    out = tmp / "kill-out.csv"
    before = sum(1 for _ in timings.open()) if timings.exists() else 0
    cmd = [
        sys.executable,
        "-c",
        "from service.cli import app; app()",
        "faq",
        "generate",
        str(src),
        "-o",
        str(out),
        "--user",
        "bench-kill",
        "--concurrency",
        "16",
        "--via",
        "local",
    ]
    first = subprocess.Popen(
        cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    store = JobStore(env["YAKUBA_DATABASE_URL"])
    try:
        while True:
            jobs = [j for j in store.jobs() if j.user == "bench-kill"]
            if jobs and store.finished_rows(jobs[0].id) >= rows // 2:
                break
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait()
        done_at_kill = store.finished_rows(jobs[0].id)
        subprocess.run(
            cmd, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        counts = store.counts(jobs[0].id)
    finally:
        store.close()
    time.sleep(0.5)
    lines = [json.loads(line) for line in list(timings.open())[before:]]
    tails = [line["prompt_tail"] for line in lines]
    written = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    print(f"| rows / finished at the SIGKILL | {rows} / {done_at_kill} |")
    print(
        f"| rows in the output (each once) | {len(written)} ({len({r['id'] for r in written})} distinct ids) |"
    )
    print(f"| rows answered by the model | {counts['ok']} |")
    print(
        f"| model calls (server count) | {len(lines)} — repeated: {len(tails) - len(set(tails))} (rows in flight at the kill) |"
    )


def handover(env: dict[str, str], rows: int, tmp: Path) -> None:
    """`yakuba faq generate` while `yakuba serve` holds the embedded index: the job goes to
    the service's worker through the database; the same file run by the CLI alone after."""
    import httpx

    src = tmp / "handover.csv"
    src.write_bytes(to_csv(questions(rows)))
    port = 18000 + os.getpid() % 1000
    yakuba = [sys.executable, "-c", "from service.cli import app; app()"]
    serve = subprocess.Popen(
        [*yakuba, "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 180
        while True:  # /healthz counts the index's documents: the service opens it
            assert serve.poll() is None and time.monotonic() < deadline, "serve did not start"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        t0 = time.perf_counter()
        done = subprocess.run(
            [*yakuba, "faq", "generate", str(src), "-o", str(tmp / "h.csv"), "--user", "h"],
            env=env,
            cwd=ROOT,
            capture_output=True,
        )
        wall = time.perf_counter() - t0
        assert done.returncode == 0, done.stderr.decode()[-2000:]
        assert "サービスに渡し" in done.stderr.decode()
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=120)
    t0 = time.perf_counter()
    subprocess.run(
        [
            *yakuba,
            "faq",
            "generate",
            str(src),
            "-o",
            str(tmp / "l.csv"),
            "--user",
            "l",
            "--via",
            "local",
        ],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    local = time.perf_counter() - t0
    print(f"| {rows} rows handed to the running service (CLI wall time) | {wall:.1f} s |")
    print(f"| the same rows run by the CLI alone (loads the index and models) | {local:.1f} s |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--memory-rows", type=int, default=100_000)
    parser.add_argument("--kill-rows", type=int, default=200)
    parser.add_argument("--handover-rows", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        data_dir = tmp / "data"
        build_index(data_dir, tmp)
        timings = tmp / "timings.jsonl"
        with model_server(args.latency_ms, timings) as url:
            db = f"sqlite:///{tmp / 'audit.sqlite3'}"
            settings = Settings(
                data_dir=data_dir,
                database_url=db,
                llm_base_url=url,
                llm_model="test-model",
                llm_max_concurrency=args.concurrency,
            )
            print("| bulk FAQ | figure |\n|---|---|")
            throughput(settings, args.rows, args.latency_ms, args.concurrency)
            if args.memory_rows:
                memory(settings, args.memory_rows, tmp)
            env = {
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "YAKUBA_DATA_DIR": str(data_dir),
                "YAKUBA_DATABASE_URL": db,
                "YAKUBA_LLM_BASE_URL": url,
                "YAKUBA_LLM_MODEL": "test-model",
                "YAKUBA_LLM_MAX_CONCURRENCY": str(args.concurrency),
                "YAKUBA_AUTH_MODE": "none",
            }
            if args.kill_rows:
                kill_and_resume(env, args.kill_rows, tmp, timings)
            if args.handover_rows:
                handover(env, args.handover_rows, tmp)


if __name__ == "__main__":
    main()
