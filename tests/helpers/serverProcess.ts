// The server as a child process (`node --import tsx server/main.ts`), for tests that kill it.
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = join(dirname(fileURLToPath(import.meta.url)), "../..");

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** SIGKILL: no handler runs, nothing is flushed or closed. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(OPENAI_|JIXIAO_|PORT$|HOST$)/.test(k))) as Record<string, string>;
  const child = spawn(process.execPath, ["--import", "tsx", join(REPO, "server/main.ts")], {
    cwd: REPO,
    env: { ...clean, HOST: "127.0.0.1", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (b: Buffer) => (out += b.toString("utf8")));
  child.stderr!.on("data", (b: Buffer) => (out += b.toString("utf8")));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const check = () => {
      const m = /已启动：(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before starting:\n${out}`));
    });
  });
  return {
    child,
    url,
    output: () => out,
    kill: async () => {
      child.kill("SIGKILL");
      await exited;
    },
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
