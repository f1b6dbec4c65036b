/**
 * The embedder cannot be used: no model files, an unconvertible checkpoint, a runtime that fails to
 * load. `message` is a human reason meant for logs, the CLI and the UI's "full-text only" banner.
 */
export class EmbedderUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "EmbedderUnavailableError";
  }
}
