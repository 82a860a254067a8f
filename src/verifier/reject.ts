// The one way the analysis stops a path: throw Reject with the kernel's text and ours.
export class Reject extends Error {
  constructor(
    readonly kernelMessage: string,
    readonly headline: string,
    readonly counterexample?: string,
    /** Slot to blame, when not the current instruction (whole-program checks). */
    readonly pc?: number,
  ) {
    super(kernelMessage);
  }
}

export function reject(kernelMessage: string, headline: string, counterexample?: string, pc?: number): never {
  throw new Reject(kernelMessage, headline, counterexample, pc);
}
