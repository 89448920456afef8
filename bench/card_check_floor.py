"""The most card checks Django itself can answer on this machine, with no server and
no client: the ceiling ``bench/card_check.py`` can reach, beside the same bare view.

``--processes`` processes (one per core by default) each call the application's WSGI
handler directly, posting card after card as the desk page's htmx does (a signed-in
county staff session, ``HX-Request``), for ``--seconds``: every request goes through
the whole middleware, the CSRF check, the scope rule and the security log's row,
but no socket, no HTTP parsing and no load client costs anything. Then the bare view
(``bench/bare_wsgi.py``) is served and loaded exactly as ``bench/card_check.py`` does.

If these free checks stay under a quarter of the served bare view, no serving setup
can bring the served check to the target (issue: worker portal, a quarter of the
bare view): only less work per check can.

    GONGHUI_VAR_DIR=/tmp/bench-1m .venv/bin/python bench/card_check_floor.py --seconds 20
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from card_check import CSRF_FIELD, RESULT  # noqa: E402
from served import TARGET_SHARE, bare  # noqa: E402

HERE = Path(__file__).resolve()


def checks(setup: dict, offset: int, seconds: float) -> dict:
    """Run inside Django: post checks through the WSGI handler for ``seconds``."""
    import io
    from urllib.parse import urlencode

    import common  # noqa: F401  (sets Django up on GONGHUI_VAR_DIR)
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import teardown_test_environment

    # bench/common.py sets up the test environment, whose template rendering is
    # instrumented: served pages render without it.
    teardown_test_environment()

    handler = WSGIHandler()
    answers: dict[str, int] = {}
    cookie = f"{setup['cookie']}={setup['session']}"

    def call(method: str, body: bytes = b"", extra: dict | None = None) -> tuple[str, list, str]:
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": "/scan/",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1:8000",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_COOKIE": cookie,
            **(extra or {}),
        }
        answer = {}

        def start_response(status, headers):
            answer.update(status=status, headers=headers)

        page = b"".join(handler(environ, start_response)).decode()
        return answer["status"], answer["headers"], page

    status, headers, page = call("GET")
    csrf_cookie = next(v for k, v in headers if k == "Set-Cookie" and "csrftoken=" in v)
    cookie += "; " + csrf_cookie.strip().split(";")[0]
    token = CSRF_FIELD.search(page).group(1)
    tokens = setup["tokens"]
    form = {"CONTENT_TYPE": "application/x-www-form-urlencoded", "HTTP_HX_REQUEST": "true"}

    def post(n: int) -> None:
        body = urlencode({"csrfmiddlewaretoken": token, "token": tokens[n % len(tokens)]})
        status, _headers, answer = call("POST", body.encode(), form)
        found = RESULT.search(answer)
        key = f"{status[:3]} {found.group(1) if found else 'none'}"
        answers[key] = answers.get(key, 0) + 1

    for n in range(50):  # warm-up: templates, caches, the connection
        post(offset + n)
    answers.clear()
    count = 0
    cpu = time.process_time()
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        post(offset + count)
        count += 1
    took = time.monotonic() - began
    cpu = time.process_time() - cpu
    connection.close()
    return {"count": count, "seconds": took, "cpu_ms": cpu / count * 1000, "answers": answers}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--clients", type=int, default=16, help="for the bare view")
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--setup", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        setup = json.loads(args.setup.read_text())
        print(json.dumps(checks(setup, args.worker * 100_003, args.seconds)))
        return 0
    if "GONGHUI_VAR_DIR" not in os.environ:
        sys.exit("card_check_floor: set GONGHUI_VAR_DIR to the benchmark county (bench/common.py)")
    setup_file = Path(os.environ["GONGHUI_VAR_DIR"]) / "card-check-floor.json"
    # The same session and cards as bench/card_check.py.
    subprocess.run(
        [sys.executable, str(HERE.with_name("card_check.py")), "--members", str(args.members)]
        + ["--prepare", str(setup_file)],
        check=True,
    )
    try:
        workers = [
            subprocess.Popen(
                [sys.executable, str(HERE), "--worker", str(i), "--setup", str(setup_file)]
                + ["--seconds", str(args.seconds)],
                stdout=subprocess.PIPE,
                text=True,
            )
            for i in range(args.processes)
        ]
        results = [json.loads(worker.communicate()[0]) for worker in workers]
    finally:
        setup_file.unlink()
    if any(worker.returncode for worker in workers):
        return 1
    rate = sum(r["count"] / r["seconds"] for r in results)
    answers: dict[str, int] = {}
    for result in results:
        for key, count in result["answers"].items():
            answers[key] = answers.get(key, 0) + count
    base = bare(args.clients, args.seconds)
    share = rate / base["rps"] if base["rps"] else 0.0
    cpu = ", ".join(f"{r['cpu_ms']:.2f}" for r in results)
    print(f"\ncard checks in {args.processes} processes, no server: {rate:.1f} a second")
    print(f"CPU per check in each process: {cpu} ms; answers: {answers}")
    print(f"bare Django view served, {args.clients} clients: {base['rps']} a second")
    print(
        f"free checks as a share of the served bare view: {share:.2f} "
        f"(the served check's target: {TARGET_SHARE}; 1/4 of the bare view is "
        f"{base['rps'] * TARGET_SHARE:.0f} a second)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
