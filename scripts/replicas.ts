/**
 * `npm run replicas -- [course folder] [--replicas N]`: the N-replica deployment of docs/DEPLOYMENT.md on this
 * machine (the project's "compose file"): s3rver as object storage, Debian's redis-server, one ingest into
 * s3://tutor/courses, N `next start` replicas and a round-robin load balancer. Runs until Ctrl-C.
 * Needs `npx next build` first.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { runIngest, startTopology } from "./lib/topology";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { replicas: { type: "string", default: "2" } } });
const course = path.resolve(positionals[0] ?? "content/demo-course");

async function main() {
  const topo = await startTopology({
    replicas: Number(values.replicas),
    beforeReplicas: async (t) => {
      process.stdout.write(`object storage  ${t.s3.endpoint} (s3rver, folder ${t.s3.dir})\ningest          ${course} → ${t.db}\n`);
      const run = await runIngest(course, t.env);
      process.stdout.write(run.output.split("\n").filter((l) => /^(result|passages|items)/.test(l)).join("\n") + "\n");
      if (run.code !== 0) throw new Error(`ingest failed:\n${run.output}`);
    },
  });
  process.stdout.write(`redis           ${topo.redis.url}\n`);
  topo.replicas.forEach((r, i) => process.stdout.write(`replica ${i + 1}       ${r.url}\n`));
  process.stdout.write(`load balancer   ${topo.url}  ← open this\n\nRe-ingest into the running topology with:\n`);
  const shown = Object.entries(topo.env).map(([k, v]) => `${k}=${v}`).join(" ");
  process.stdout.write(`  ${shown} npm run ingest -- ${course}\n\nCtrl-C stops everything.\n`);
  const stop = async () => {
    await topo.stop();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
