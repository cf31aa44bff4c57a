#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so `npx jixiao` works in a clone right after `npm ci`.
import { register } from "tsx/esm/api";

register();
// A reader that stops early (`jixiao review … | head`) closes the pipe: that is not an error.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});
try {
  const { main } = await import("../src/cli.ts");
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`jixiao：内部错误：${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 70;
}
