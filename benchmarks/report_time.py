"""Time `snakemake --report` on a finished run and print the report's size.

    python benchmarks/report_time.py [FOLDER] [REPEATS]

FOLDER is a workflow folder whose pipeline has run (default: this checkout).
"""
import subprocess
import sys
import time
from pathlib import Path

folder = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1])
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
out = folder / "results" / "report.html"
times = []
for _ in range(repeats):
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "snakemake", "--report", str(out)], cwd=folder, check=True,
                   capture_output=True)
    times.append(time.perf_counter() - start)
print(f"snakemake --report: best {min(times):.2f} s, median {sorted(times)[len(times) // 2]:.2f} s "
      f"over {repeats} runs; {out.stat().st_size / 1e6:.2f} MB")
