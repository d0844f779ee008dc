"""`python -m bench.chaos`: the fault suite. Runs the production processes, hits them with one fault
per scenario under virtual respondents, checks the promises, writes docs/faults.md, and exits 1 when
a promise is broken.

    python -m bench.chaos                  # every scenario, 60 s Redis outages (make chaos)
    python -m bench.chaos --quick          # fewer respondents, 10 s outages (CI)
    python -m bench.chaos --only c,d       # some scenarios
    python -m bench.chaos --no-report      # leave docs/faults.md alone
"""
from __future__ import annotations

import argparse
import signal
import sys
import time
from datetime import UTC, datetime

from bench.__main__ import _stop_on_signal
from bench.faults import report
from bench.faults.run import Knobs, Run
from bench.faults.scenarios import SCENARIOS
from bench.faults.stack import Stack
from bench.submission import Fixture

ROUND = "Chaos"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.chaos", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer respondents, 10 s outages")
    parser.add_argument("--no-report", action="store_true", help="do not write docs/faults.md")
    parser.add_argument("--only", default="", help="comma-separated scenario letters, e.g. a,c")
    parser.add_argument("--keep", action="store_true", help="keep the database and logs afterwards")
    return parser.parse_args(argv)


def run_scenarios(run: Run, only: set[str]) -> list:
    results = []
    for letter, scenario in SCENARIOS:
        if only and letter not in only:
            continue
        print(f"chaos: scenario {letter} …", flush=True)
        result = scenario(run)
        print(report.console(result), flush=True)
        results.append(result)
        if result.converged is None:
            still = run.reset()
            print("chaos: reset (worker restarted, `laget rebuild`): "
                  + ("; ".join(still) + " still" if still else "clean again"), flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    signal.signal(signal.SIGTERM, _stop_on_signal)
    signal.signal(signal.SIGHUP, _stop_on_signal)
    knobs = Knobs.of(args.quick)
    started, began = datetime.now(UTC), time.monotonic()
    resend = {"RESEND_AFTER": str(knobs.resend_after)} if knobs.resend_after else {}
    stack = Stack("laget_chaos_quick" if args.quick else "laget_chaos", resend)
    fixture = None
    try:
        stack.start()
        fixture = Fixture(stack.database_url, ROUND)
        if not stack.wait_web(60):
            raise RuntimeError(f"gunicorn did not come up:\n{stack.web.output()[-2000:]}")
        print(f"chaos: stack up on port {stack.port} ({time.monotonic() - began:.0f} s)", flush=True)
        only = {letter.strip() for letter in args.only.split(",") if letter.strip()}
        results = run_scenarios(Run(stack, fixture, knobs), only)
    finally:
        if fixture is not None:
            fixture.close()
        stack.stop()
        if not args.keep:
            stack.drop()
    seconds = time.monotonic() - began
    if not args.no_report:
        text = report.render(results, knobs, args.quick, started, seconds)
        report.OUTPUT.write_text(text, encoding="utf-8")
        print(f"chaos: wrote {report.OUTPUT.relative_to(report.PROJECT_ROOT)}", flush=True)
    failed = [r.scenario.split(".")[0] for r in results if not r.passed]
    print(f"chaos: {len(results) - len(failed)} of {len(results)} scenarios kept every promise "
          f"({seconds:.0f} s)" + (f"; broken: {', '.join(failed)}" if failed else ""), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
