// The command line's progress bar for batch commands: one line on stderr, redrawn in place, only when
// stderr is a terminal (a pipe or a log file gets nothing, so `--json > out.json 2> err.log` stays
// clean). Stdout is never touched: results go there, and the bar is erased before anything is printed.

/** What the bar writes to: process.stderr, or a fake one in tests. */
export interface BarStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  /** `done` of `total` finished; `current` is what is being worked on now (a file name). */
  update(done: number, total: number, current?: string | null): void;
  /** Erases the bar (before printing results, and at the end). */
  clear(): void;
}

export const NO_PROGRESS: Progress = { update: () => {}, clear: () => {} };

const WIDTH = 24;
/** Redraws at most this often: a batch of thousands of small files must not spend its time drawing. */
const MIN_INTERVAL_MS = 80;

/** Display width: CJK and full-width characters take two columns. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || c >= 0x20000 ? 2 : 1;
  }
  return w;
}

/** Cuts `s` to `max` columns, keeping its end (a path's file name matters more than its folders). */
export function fitEnd(s: string, max: number): string {
  if (max <= 0) return "";
  if (displayWidth(s) <= max) return s;
  const chars = [...s];
  let w = 1;
  let i = chars.length;
  while (i > 0 && w + displayWidth(chars[i - 1]!) <= max) w += displayWidth(chars[--i]!);
  return "…" + chars.slice(i).join("");
}

/** The bar's text for one state, fitted to `columns`: `核验 ▕██████░░░░▏ 3/12 25% 当前：a.docx`. */
export function barLine(label: string, done: number, total: number, current: string | null | undefined, columns: number): string {
  const frac = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.round(frac * WIDTH);
  const head = `${label} ▕${"█".repeat(filled)}${"░".repeat(WIDTH - filled)}▏ ${done}/${total} ${Math.floor(frac * 100)}%`;
  if (!current) return head;
  const room = columns - 1 - displayWidth(head) - displayWidth(" 当前：");
  return room >= 8 ? `${head} 当前：${fitEnd(current, room)}` : head;
}

/**
 * A bar on `stream` when it is a terminal (and NO_COLOR/CI do not ask for plain output), else nothing.
 * `now` is injectable so tests do not depend on the clock.
 */
export function progressBar(label: string, stream: BarStream = process.stderr, opts: { env?: NodeJS.ProcessEnv; now?: () => number } = {}): Progress {
  const env = opts.env ?? process.env;
  if (!stream.isTTY || env.CI || env.JIXIAO_NO_PROGRESS) return NO_PROGRESS;
  const now = opts.now ?? Date.now;
  let last = -Infinity;
  let shown = false;
  return {
    update(done, total, current) {
      const t = now();
      // Always draw the first and the last state; in between, at most every MIN_INTERVAL_MS.
      if (shown && done < total && t - last < MIN_INTERVAL_MS) return;
      last = t;
      shown = true;
      stream.write(`\r\x1b[2K${barLine(label, done, total, current, stream.columns || Number(env.COLUMNS) || 80)}`);
    },
    clear() {
      if (!shown) return;
      shown = false;
      stream.write("\r\x1b[2K");
    },
  };
}
