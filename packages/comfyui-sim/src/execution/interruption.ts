/** Abort reason for POST /interrupt: the run ends with execution_interrupted. */
export class InterruptSignal extends Error {
  constructor() {
    super('Processing interrupted');
  }
}

/** Abort reason for stop()/restart(): the run vanishes without messages or history, as in a killed server. */
export class AbandonSignal extends Error {
  constructor() {
    super('Server shut down');
  }
}
