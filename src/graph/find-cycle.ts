/**
 * Finds a cycle in a directed graph, deterministically: nodes are visited in the given order and
 * neighbours sorted, and the cycle found is rotated to start at its smallest name. Returns the
 * cycle closed on itself (`["a", "b", "c", "a"]`), or undefined.
 */
export function findCycle(nodes: readonly string[], next: (node: string) => string[]): string[] | undefined {
  const done = new Set<string>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const visit = (node: string): string[] | undefined => {
    if (onStack.has(node)) return stack.slice(stack.indexOf(node));
    if (done.has(node)) return undefined;
    stack.push(node);
    onStack.add(node);
    for (const n of [...next(node)].sort()) {
      const found = visit(n);
      if (found) return found;
    }
    stack.pop();
    onStack.delete(node);
    done.add(node);
    return undefined;
  };
  for (const node of nodes) {
    const cycle = visit(node);
    if (cycle) {
      const start = cycle.indexOf([...cycle].sort()[0]);
      const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
      return [...rotated, rotated[0]];
    }
  }
  return undefined;
}
