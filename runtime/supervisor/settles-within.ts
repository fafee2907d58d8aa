/** True when `p` settles (either way) within `ms`; the timer never outlives the answer. */
export function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    const settled = () => {
      clearTimeout(t);
      resolve(true);
    };
    p.then(settled, settled);
  });
}
