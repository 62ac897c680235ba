// `npm run bench [-- NAME...]`: runs the benchmarks (inside the lab's operator namespace, see
// test/run.mjs). Each bench is its own file; add it to BENCHES with how to run and print it.

interface Bench {
  name: string;
  run(): Promise<void>;
}

const BENCHES: Bench[] = [
  {
    name: 'clusters',
    run: async () => {
      const { runClusterBench, printBench } = await import('./clusters.js');
      printBench(await runClusterBench());
    },
  },
  {
    name: 'history-ui',
    run: async () => {
      const { runHistoryUiBench, printHistoryUiBench } = await import('../e2e/history-bench.js');
      printHistoryUiBench(await runHistoryUiBench());
    },
  },
  {
    name: 'scan',
    run: async () => {
      const { runScanBench, printScanBench } = await import('./scan.js');
      printScanBench(await runScanBench());
    },
  },
];

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const chosen = wanted.length ? BENCHES.filter((b) => wanted.includes(b.name)) : BENCHES;
if (chosen.length === 0) {
  console.error(
    `unknown bench: ${wanted.join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}`,
  );
  process.exit(2);
}
for (const bench of chosen) {
  console.log(`\n== ${bench.name} ==`);
  await bench.run();
}
