// The one error type of src/llm: a stable code for the CLI and server to map, and a Chinese message for people.
export type LlmErrorCode = "LLM_UNAVAILABLE" | "LLM_TIMEOUT" | "LLM_RATE_LIMITED" | "LLM_AUTH" | "LLM_BAD_OUTPUT" | "LLM_REFUSED";

export class LlmError extends Error {
  readonly code: LlmErrorCode;
  /** HTTP status of the last response, when there was one. */
  readonly status: number | undefined;
  /** HTTP requests sent for this call (retries and the repair round included). */
  readonly attempts: number;
  /**
   * Technical detail for logs (SDK error class, server message), with the API key scrubbed. The SDK error itself
   * is not kept as `cause`: a gateway may echo the key in its error text.
   */
  readonly detail: string;

  constructor(code: LlmErrorCode, message: string, opts: { status?: number | undefined; attempts?: number; detail?: string } = {}) {
    super(message);
    this.name = "LlmError";
    this.code = code;
    this.status = opts.status;
    this.attempts = opts.attempts ?? 0;
    this.detail = opts.detail ?? "";
  }
}
