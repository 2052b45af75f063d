/**
 * Cancelling a job sends the step's process SIGINT, then SIGTERM, and kills it a few seconds later.
 * Either signal aborts the rollout, which rolls back with the weights first; the post step finishes
 * the job if the process is killed before that is done.
 */
export function abortOnSignals(controller: AbortController, onSignal: (signal: NodeJS.Signals) => void): () => void {
  const handler = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      onSignal(signal);
      controller.abort(new Error(`received ${signal}`));
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
