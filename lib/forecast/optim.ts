/**
 * Nelder–Mead simplex minimisation (Nelder & Mead 1965, with the usual reflection 1, expansion 2,
 * contraction ½, shrink ½). Used to fit smoothing parameters; bounds are the caller's business (return a
 * large value outside them). Stops after `maxEvals` evaluations or when the simplex's function values agree
 * to `tol` (relative).
 */
export function nelderMead(f: (x: number[]) => number, x0: number[], opts: { step?: number[]; maxEvals?: number; tol?: number } = {}): { x: number[]; fx: number; evals: number } {
  const d = x0.length;
  const maxEvals = opts.maxEvals ?? 100 * d;
  const tol = opts.tol ?? 1e-6;
  let evals = 0;
  const ev = (x: number[]) => {
    evals++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  const simplex: number[][] = [x0.slice()];
  for (let i = 0; i < d; i++) {
    const x = x0.slice();
    x[i] += opts.step?.[i] ?? (x[i] !== 0 ? 0.1 * Math.abs(x[i]) : 0.05);
    simplex.push(x);
  }
  const fs = simplex.map(ev);
  const order = () => {
    const idx = fs.map((_, i) => i).sort((a, b) => fs[a] - fs[b]);
    const s = idx.map((i) => simplex[i]), v = idx.map((i) => fs[i]);
    for (let i = 0; i <= d; i++) { simplex[i] = s[i]; fs[i] = v[i]; }
  };
  const along = (c: number[], x: number[], t: number) => c.map((ci, j) => ci + t * (x[j] - ci));
  while (evals < maxEvals) {
    order();
    if (Math.abs(fs[d] - fs[0]) <= tol * (Math.abs(fs[0]) + 1e-12)) break;
    const c = Array(d).fill(0);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) c[j] += simplex[i][j] / d;
    const xr = along(c, simplex[d], -1);
    const fr = ev(xr);
    if (fr < fs[0]) {
      const xe = along(c, simplex[d], -2);
      const fe = ev(xe);
      if (fe < fr) { simplex[d] = xe; fs[d] = fe; } else { simplex[d] = xr; fs[d] = fr; }
    } else if (fr < fs[d - 1]) {
      simplex[d] = xr; fs[d] = fr;
    } else {
      const outside = fr < fs[d];
      const xc = along(c, outside ? xr : simplex[d], 0.5);
      const fc = ev(xc);
      if (fc < (outside ? fr : fs[d])) { simplex[d] = xc; fs[d] = fc; }
      else {
        for (let i = 1; i <= d; i++) { simplex[i] = along(simplex[0], simplex[i], 0.5); fs[i] = ev(simplex[i]); }
      }
    }
  }
  order();
  return { x: simplex[0], fx: fs[0], evals };
}
