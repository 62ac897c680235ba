import type { RegistryDistributeResult } from '../contract/results.js';

/** What `topke registry distribute` says on stderr: each node that did not get the CA, with why
 * ("198.18.x.y (node-name): ..."), each cluster that failed before its nodes were reached, and
 * last how many nodes of how many got it. */
export function distributeReport(result: RegistryDistributeResult): string[] {
  const lines: string[] = [];
  let nodes = 0;
  let got = 0;
  for (const cluster of result.results) {
    if (cluster.scode !== 0 && cluster.nodes.length === 0)
      lines.push(`cluster ${cluster.data}: ${cluster.message}`);
    for (const node of cluster.nodes) {
      nodes++;
      if (node.ok) got++;
      else lines.push(node.message);
    }
  }
  lines.push(`the CA was put on ${got} of ${nodes} node${nodes === 1 ? '' : 's'}`);
  return lines;
}
