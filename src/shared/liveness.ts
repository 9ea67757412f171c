/**
 * Is this process still alive in a way that matters? `/healthz` asks. A process whose event loop
 * stalled, or whose embedded database stopped answering, fails liveness, so a supervisor restarts it
 * instead of keeping a stuck process that still answers "ok". (Readiness — can PostgreSQL and Redis be
 * reached — is `/readyz`'s job: a PostgreSQL outage must not get every replica restarted.)
 */
export interface LivenessOptions {
  /** How long the event loop or the embedded database may go without answering. */
  timeoutMs: number;
  /** The embedded database's ping, through its gate (omit for a PostgreSQL server: readiness covers it). */
  pingEmbedded?: () => Promise<boolean>;
  /** What holds the embedded connection, for the report. */
  embeddedBusy?: () => { name: string; forMs: number } | null;
  /** Monotonic milliseconds; tests pass their own. */
  now?: () => number;
}

export type LivenessReport =
  | { alive: true }
  | { alive: false; reason: string };

export interface LivenessMonitor {
  check(): LivenessReport;
  /** One heartbeat: measures the loop's lag and pings the embedded database (the timer calls it). */
  beat(): void;
  start(): void;
  stop(): void;
}

export function createLivenessMonitor(options: LivenessOptions): LivenessMonitor {
  const now = options.now ?? (() => performance.now());
  // Often enough to notice within a fraction of the timeout, rarely enough to cost nothing.
  const interval = Math.max(100, Math.min(5_000, Math.floor(options.timeoutMs / 6)));
  let lastBeat = now();
  let lastStallEnd = -Infinity;
  let lastStallMs = 0;
  let lastDbAnswer = now();
  let pinging = false;
  let timer: NodeJS.Timeout | undefined;

  function beat(): void {
    const at = now();
    // A beat that comes late by the whole timeout means the loop was blocked that long.
    const lag = at - lastBeat - interval;
    if (lag >= options.timeoutMs) {
      lastStallEnd = at;
      lastStallMs = lag;
    }
    lastBeat = at;
    if (options.pingEmbedded && !pinging) {
      pinging = true;
      options.pingEmbedded().then((ok) => {
        if (ok) lastDbAnswer = now();
      }, () => undefined).finally(() => {
        pinging = false;
      });
    }
  }

  return {
    beat,

    check() {
      const at = now();
      // After a stall the loop runs again, but a supervisor should still hear of it once it asks.
      if (at - lastStallEnd < options.timeoutMs) {
        return { alive: false, reason: `event loop stalled for ${Math.round(lastStallMs)} ms` };
      }
      if (at - lastBeat > options.timeoutMs + interval) {
        return { alive: false, reason: `event loop timers have not run for ${Math.round(at - lastBeat)} ms` };
      }
      if (options.pingEmbedded && at - lastDbAnswer > options.timeoutMs) {
        const busy = options.embeddedBusy?.();
        const holder = busy ? `; held by "${busy.name}" for ${busy.forMs} ms` : '';
        return { alive: false, reason: `embedded database has not answered for ${Math.round(at - lastDbAnswer)} ms${holder}` };
      }
      return { alive: true };
    },

    start() {
      lastBeat = now();
      lastDbAnswer = now();
      timer = setInterval(beat, interval);
      timer.unref();
    },

    stop() {
      clearInterval(timer);
    },
  };
}
