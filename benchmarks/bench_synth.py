"""Generator speed and memory (DESIGN §7): default data <= 10 s; 1,000,000 customers <= 120 s, <= 8 GB.

Each run is a fresh process (peak memory is a process's maximum), measuring generation
(``synth.generate``) and writing (``synth.write``) separately: wall time, CPU time
(user + sys of the process, which is what a shared machine does not inflate) and peak
resident memory after each phase. Sizes: the default shop (5,000 customers), 100,000 and
1,000,000 customers, CSV; and Parquet when pyarrow is installed (the [parquet] extra).

Run: ``python benchmarks/bench_synth.py`` (all), ``python benchmarks/bench_synth.py 200000
[csv|parquet] [version]`` (one run), or ``python benchmarks/run.py synth``. Prints; asserts
nothing.
"""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def measure(n_customers: int, fmt: str = "csv", version: int = 2) -> dict:
    """Generate and write one shop in this process; the measurements as a dict."""
    from mkt_lessons import synth

    w0, c0 = time.perf_counter(), _cpu()
    store = synth.generate(n_customers=n_customers, version=version)
    w1, c1 = time.perf_counter(), _cpu()
    peak_gen = _peak_mb()
    out = Path(tempfile.mkdtemp(prefix="bench_synth_"))
    try:
        files = synth.write(store, out, format=fmt)
        w2, c2 = time.perf_counter(), _cpu()
        sizes = {f.relative_to(out).as_posix(): f.stat().st_size for f in files}
    finally:
        shutil.rmtree(out, ignore_errors=True)
    s = store.truth.params["sizes"]
    return dict(n_customers=n_customers, format=fmt, version=version, order_lines=s["order_lines"],
                orders=s["orders"], gen_wall=w1 - w0, gen_cpu=c1 - c0, gen_peak_mb=peak_gen,
                write_wall=w2 - w1, write_cpu=c2 - c1, peak_mb=_peak_mb(),
                total_mb=sum(sizes.values()) / 1e6,
                largest={k: round(v / 1e6, 1) for k, v in sorted(sizes.items(), key=lambda kv: -kv[1])[:4]})


def _report(r: dict) -> None:
    print(f"v{r['version']} {r['n_customers']:>9,} customers ({r['order_lines']:,} lines), {r['format']:7s}: "
          f"generate {r['gen_wall']:6.1f} s wall / {r['gen_cpu']:6.1f} s CPU, peak {r['gen_peak_mb']:6,.0f} MB; "
          f"write {r['write_wall']:5.1f} s wall / {r['write_cpu']:5.1f} s CPU, peak {r['peak_mb']:6,.0f} MB; "
          f"{r['total_mb']:,.1f} MB on disk (largest: {r['largest']})", flush=True)


def _in_child(n_customers: int, fmt: str, version: int = 2) -> dict:
    here = Path(__file__).resolve()
    env = dict(os.environ)
    root = str(here.parent.parent)  # the checkout's package, not an installed copy
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    out = subprocess.run([sys.executable, str(here), "--json", str(n_customers), fmt, str(version)],
                         capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    formats = ["csv"] + (["parquet"] if importlib.util.find_spec("pyarrow") else [])
    if len(formats) == 1:
        print("(Parquet not measured: pyarrow is not installed - pip install \"mkt-lessons[parquet]\")")
    print("DESIGN §7 budgets: default <= 10 s; 1,000,000 customers <= 120 s and <= 8 GB on 2 cores")
    from mkt_lessons import synth

    for n in (synth.DEFAULT_N_CUSTOMERS, 100_000, 1_000_000):
        for fmt in formats:
            _report(_in_child(n, fmt))


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--json":
        print(json.dumps(measure(int(args[1]), args[2], int(args[3]))))
    elif args:
        _report(measure(int(args[0]), args[1] if len(args) > 1 else "csv", int(args[2]) if len(args) > 2 else 2))
    else:
        main()
