// Generates capnp-es's struct classes for the test schemas, so the reader uses capnp-es's own idea of the layout
// (offsets, defaults, unions) rather than anything CapMap computed (generator.mjs).
//
// Usage: node generate.mjs <request.bin> <outDir>
//   request.bin: the CodeGeneratorRequest of `capnp compile -o- a.capnp b.capnp ...` (every file imported by
//   another must be requested too, since the generated modules import each other).
import { readFileSync } from "node:fs";
import { generate } from "./generator.mjs";

const [requestPath, outDir] = process.argv.slice(2);
if (!requestPath || !outDir) {
  console.error("usage: node generate.mjs <request.bin> <outDir>");
  process.exit(2);
}

for (const out of await generate(readFileSync(requestPath), outDir)) console.log(out);
