// Reads many message files, each by its own schema, in one process: a run of Node and of the TypeScript loader per
// file costs seconds, so the Pester round trips (tests/Pester/RoundTripAssertions.ps1) hand every message they
// wrote to one call. For each job it generates the struct classes of the job's CodeGeneratorRequest (generator.mjs)
// into the job's folder and reads the job's file with its root type (stream-json.mjs).
//
// Usage: node read-carried.mjs <jobs.json>
//   jobs.json: [{ "request": "<request.bin>", "outDir": "<folder>", "module": "<x.js>", "rootType": "Batch",
//   "message": "<message file>" }, ...]
// Prints one JSON line per job, in order: { "roots": [<root of each message>] }, or { "error": "<why>" } for a job
// whose schema capnp-es cannot compile or whose file it cannot read (the others still run).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { generate } from "./generator.mjs";
import { readStream } from "./stream-json.mjs";

const [jobsPath] = process.argv.slice(2);
if (!jobsPath) {
  console.error("usage: node read-carried.mjs <jobs.json>");
  process.exit(2);
}

for (const job of JSON.parse(readFileSync(jobsPath, "utf8"))) {
  let line;
  try {
    await generate(readFileSync(job.request), job.outDir);
    const schema = await import(pathToFileURL(join(job.outDir, job.module)).href);
    const Root = schema[job.rootType];
    if (!Root) throw new Error(`${job.module} has no struct ${job.rootType}`);
    line = { roots: readStream(Root, readFileSync(job.message)) };
  } catch (e) {
    line = { error: String(e?.stack ?? e) };
  }
  process.stdout.write(JSON.stringify(line) + "\n");
}
