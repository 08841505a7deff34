/**
 * Graceful stop on SIGINT/SIGTERM. One Ctrl-C reaches a process several times (the terminal signals the
 * whole process group, and npm and tsx relay it to their child), so repeats within a short window count
 * as the same request; a signal after that window means "stop now" and exits at once.
 */
export function onShutdown(stop: () => void, opts: { graceMs?: number; say?: (line: string) => void } = {}): () => void {
  const graceMs = opts.graceMs ?? 3_000;
  const say = opts.say ?? ((line: string) => process.stderr.write(`${line}\n`));
  let first: number | null = null;
  const handler = (signal: NodeJS.Signals) => {
    const now = Date.now();
    if (first === null) {
      first = now;
      say(`${signal}: stopping after the current step (send it again in a few seconds to stop at once)`);
      stop();
      return;
    }
    if (now - first < graceMs) return;
    say(`${signal} again: stopping now`);
    process.exit(130);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
