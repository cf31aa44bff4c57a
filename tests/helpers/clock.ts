// Timeouts tested on a fake clock, so they hold on a busy machine. The openai SDK's per-attempt timeout and retry
// backoff, src/llm's body idle timer and the fake server's delays all go through setTimeout; with it faked
// (vi.useFakeTimers({ toFake: FAKE_TIMERS })) a timeout fires because the test moved time past it, never because
// the machine was slow to deliver an answer. Real I/O (sockets, SQLite, files) keeps running between the steps.
import { vi } from "vitest";

/** Only the timers: sockets, setImmediate and Date stay real. */
export const FAKE_TIMERS: ("setTimeout" | "clearTimeout")[] = ["setTimeout", "clearTimeout"];

const realSetTimeout = globalThis.setTimeout;
/** Waits in real time (the module keeps the real setTimeout from before any test faked it). */
export const realDelay = (ms: number) => new Promise<void>((r) => realSetTimeout(r, ms));

/** A fetch for createLlm({ fetch }) that counts the requests the client sent and the answers whose headers it has. */
export interface WatchedFetch {
  fetch: typeof fetch;
  sent: number;
  answered: number;
}

export function watchedFetch(): WatchedFetch {
  const w: WatchedFetch = {
    sent: 0,
    answered: 0,
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      w.sent++;
      const res = await fetch(input, init);
      w.answered++;
      return res;
    }) as typeof fetch,
  };
  return w;
}

/** A function telling whether `p` has settled. */
export function settled(p: Promise<unknown>): () => boolean {
  let done = false;
  p.then(() => (done = true), () => (done = true));
  return () => done;
}

/**
 * Moves the fake clock in steps of 50 ms (shorter than any timeout under test) until `done()` holds, but only while
 * `canTick()` does: e.g. "every request the client sent is being held by the fake server", so time never moves
 * while an answer is on its way. Between steps real I/O runs. Once `done()` holds the clock stays where it is.
 */
export async function tickUntil(done: () => boolean, canTick: () => boolean = () => true): Promise<void> {
  for (let fakeMs = 0; !done(); ) {
    if (fakeMs > 30 * 60_000) throw new Error("tickUntil: still not done after 30 minutes of fake time");
    if (canTick()) {
      await vi.advanceTimersByTimeAsync(50);
      fakeMs += 50;
      await new Promise((r) => setImmediate(r));
    } else {
      await realDelay(5);
    }
  }
}

/** Resolves like `p`, which must settle with the clock stopped (it may not wait on any timer); a clear error otherwise. */
export async function withClockStopped<T>(p: Promise<T>, what: string): Promise<T> {
  const isDone = settled(p);
  for (let waited = 0; !isDone(); waited += 10) {
    if (waited > 30_000) throw new Error(`${what}: still waiting after 30 s with the clock stopped, so it waits on a timer`);
    await realDelay(10);
  }
  return p;
}
