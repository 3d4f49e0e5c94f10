"""Run the fault-injection suite and print the README's "Faults tried" table from its results.

Usage: ``python bench/faults.py`` from the repository root. Runs every
``tests/test_faults_*.py`` test (real crawls, receivers, kills), then prints, per
fault, the test that tried it and what happened, the kill loop's own tally, and
the totals of items and alerts lost and duplicated (every test asserts 0 of each,
so a passing test counts 0 and a failing one is shown as FAILED).
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: (group, fault tried, test that tries it)
CASES = [
    ("site", "429 with Retry-After", "test_good_and_retried_pages_are_stored_once"),
    ("site", "burst of 500 then 503", "test_good_and_retried_pages_are_stored_once"),
    ("site", "accepts, never answers (timeout, retried)", "test_each_fault_is_a_recorded"),
    ("site", "connection reset mid-body", "test_each_fault_is_a_recorded"),
    ("site", "redirect loop (REDIRECT_MAX_TIMES 5)", "test_each_fault_is_a_recorded"),
    ("site", "30 MB page, no Content-Length", "test_each_fault_is_a_recorded"),
    ("site", "gzip bomb (200 MB of zeros)", "test_each_fault_is_a_recorded"),
    ("site", "selectors match nothing (layout changed)", "test_each_fault_is_a_recorded"),
    ("site", "redirect to another host", "test_redirect_to_another_host_is_not_followed"),
    ("site", "malformed HTML, NUL byte", "test_bad_encodings_and_malformed_html"),
    ("site", "invalid UTF-8", "test_bad_encodings_and_malformed_html"),
    ("site", "windows-1256 Arabic page", "test_bad_encodings_and_malformed_html"),
    ("site", "feed: entity bomb + external entities", "test_feed_entity_bomb"),
    ("site", "`status` warns on a layout change", "test_status_warns_when_a_source"),
    ("delivery", "SMTP refusing (451), then accepting", "test_smtp_refusing_then_recovering"),
    ("delivery", "SMTP accepting, never greeting", "test_hanging_smtp_does_not_hold_up"),
    ("delivery", "webhook answering 500, then 200", "test_webhook_answering_500"),
    ("delivery", "slow webhook beside a fast one", "test_slow_webhook_does_not_hold_up"),
    ("delivery", "answer after the read timeout", "test_answer_timing_out_after"),
    ("delivery", "receiver trickling bytes for ever", "test_send_that_never_ends"),
    ("storage", "another session's read transaction", "test_crawl_succeeds_while_another"),
    ("storage", "another session's write lock", "test_writers_wait_for_another_writer"),
    ("storage", "full disk (1 MB tmpfs), then room", "test_full_disk_fails_the_crawl"),
    ("process", "50 × kill -9 of crawl/ingest and delivery", "test_fifty_kills_lose_nothing"),
    (
        "content",
        "`<script>`, `javascript:`, HTML/Markdown, `@channel`",
        "test_hostile_scraped_text",
    ),
    ("secrets", "password/user/token never in any output", "test_no_secret_appears"),
    ("secrets", "config, db, -wal, -shm, lock: 0600", "test_config_and_database_files"),
]


def run_suite(report: Path) -> tuple[str, float]:
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").glob("test_faults_*.py"))
    started = time.monotonic()
    command = [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:logging"]
    done = subprocess.run(
        [*command, *files, f"--junitxml={report}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return done.stdout, time.monotonic() - started


def outcomes(report: Path) -> dict[str, str]:
    found = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        state = "passed"
        for child in case:
            if child.tag in ("failure", "error"):
                state = "FAILED"
            elif child.tag == "skipped":
                state = f"skipped: {child.get('message', '')}"
        found[case.get("name", "")] = state
    return found


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "faults.xml"
        output, seconds = run_suite(report)
        results = outcomes(report)
    tally = {}
    for line in output.splitlines():
        if "kill loop: " in line:
            tally = ast.literal_eval(line.split("kill loop: ", 1)[1].strip())
    print("| group | fault tried | result | items lost | alerts lost | sent twice |")
    print("|---|---|---|---|---|---|")
    failed = 0
    for group, fault, prefix in CASES:
        state = next((v for k, v in results.items() if k.startswith(prefix)), "not run")
        ok = state == "passed"
        failed += not ok
        zero = "0" if ok else "?"
        print(f"| {group} | {fault} | {'survived' if ok else state} | {zero} | {zero} | {zero} |")
    print()
    print(f"fault cases tried: {len(CASES)}, survived: {len(CASES) - failed}")
    bad = [c for c in CASES if c[0] in ("site", "content")]
    print(f"bad inputs tried: {len(bad)} (hostile pages, feeds and scraped text)")
    print(f"fault tests run: {len(results)}, passed: {list(results.values()).count('passed')}")
    if tally:
        print(
            f"kills survived: {tally.get('killed', 0)} ({tally.get('killed in crawl', 0)} in crawl"
            f" and ingest, {tally.get('killed in delivery', 0)} in delivery; "
            f"{tally.get('kills after storing some articles', 0)} after storing some articles,"
            f" {tally.get('kills after sending some alerts', 0)} after sending some alerts,"
            f" {tally.get('kills in the middle of a send', 0)} in the middle of a send)"
        )
        outbox = tally.get("outbox", {})
        print(
            f"alerts after the kills: {outbox.get('sent', 0)} sent exactly once,"
            f" {outbox.get('unknown', 0)} unknown (a send cut by a kill: at most once;"
            f" {tally.get('unknown arrived', '?')} of them had arrived), 0 twice"
        )
        print(f"kill loop tally: {tally}")
    print(f"suite wall time: {seconds:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
