// A model costing about 20 µs per set of 32 points on this machine (bench/models.mjs):
// two dozen passes of a row-wise nonlinearity, deterministic, so runs compare bit for bit.
export default function costly(x) {
  const y = new Float64Array(x.length);
  for (let pass = 0; pass < 24; pass++) {
    for (let i = 0; i < x.length; i++) y[i] = Math.sin(x[i] + 0.001 * pass * y[i]);
  }
  return y;
}
