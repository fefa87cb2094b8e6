/**
 * The scipy reference: linear_sum_assignment on the score matrix with every mentor expanded to
 * `capacity` identical slot columns, run by Debian's /usr/bin/python3 (python3-scipy). Nothing is
 * installed here; a missing scipy is reported with the command that provides it.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SCRIPT = `import json, resource, sys, time
import numpy as np
from scipy.optimize import linear_sum_assignment

with open(sys.argv[1], "rb") as f:
    rows, columns = np.fromfile(f, dtype="<i4", count=2)
    capacity = np.fromfile(f, dtype="<i4", count=columns)
    weight = np.fromfile(f, dtype="<f8", count=rows * columns).reshape(rows, columns)
slots = np.repeat(np.arange(columns), capacity)
matrix = weight[:, slots]
start = time.perf_counter()
r, c = linear_sum_assignment(matrix, maximize=True)
seconds = time.perf_counter() - start
total = float(matrix[r, c].sum())
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "total": total, "slots": int(len(slots)), "ruMaxrssKiB": peak}))
`;

export const PYTHON = '/usr/bin/python3';

/** Writes the driver; null (after saying how to install it) when scipy is missing. */
export function prepareScipy(dir: string): ((instance: string) => string[]) | null {
  const probe = spawnSync(PYTHON, ['-c', 'import scipy.optimize, numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    console.log('scipy is not installed for /usr/bin/python3, skipping it: apt-get install python3-scipy');
    return null;
  }
  const script = join(dir, 'scipy-lsa.py');
  writeFileSync(script, SCRIPT);
  return (instance) => [PYTHON, script, instance];
}
