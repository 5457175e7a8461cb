/** Every frame, in both directions, is a JSON text frame holding one envelope. */
export interface ClientEnvelope {
  type: string;
  /** Echoed in the reply (`ack`, `error`, `pong`) so the client can match it to its request. */
  id?: string;
  data?: Record<string, unknown>;
}

/** `data` is absent only where a type carries nothing (`pong`). */
export interface ServerEnvelope<T = unknown> {
  type: string;
  id?: string;
  data?: T;
}

export interface ErrorDetail {
  field: string;
  constraints: string[];
}

export interface ErrorData {
  code: string;
  message: string;
  details?: ErrorDetail[];
}

/** Longest accepted request id: ids are echoed, so they are bounded. */
export const MAX_ID_LENGTH = 128;
