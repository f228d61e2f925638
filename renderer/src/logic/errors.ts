import type { ErrorKind, KbErrorShape } from '../../../core/api';

/** What the UI shows for an error: a short title, the core's message, and what to do about it. */
export interface UserError {
  kind: ErrorKind | 'Unknown';
  title: string;
  message: string;
  hint: string;
}

const COPY: Record<ErrorKind, { title: string; hint: string }> = {
  ValidationError: { title: 'Check what you entered', hint: 'Correct the highlighted value and try again.' },
  NotFound: {
    title: 'No longer there',
    hint: 'It may have been deleted or moved. The list has been refreshed.',
  },
  UnsupportedFile: {
    title: 'File type not supported',
    hint: 'qckstrt reads plain text (.txt) and Markdown (.md) files for now.',
  },
  FileTooLarge: {
    title: 'File too large',
    hint: 'Split the file, or raise the maximum file size in Settings.',
  },
  ProviderUnavailable: {
    title: 'Cannot reach a database or the server',
    hint: 'Check that it is running and reachable, or switch back to the embedded default in Settings.',
  },
  DimensionMismatch: {
    title: 'The model does not match the index',
    hint: 'Re-index your documents with the current model, or switch back to the model the index was built with.',
  },
  ModelUnavailable: {
    title: 'The embedding model is not available',
    hint: 'Put the model files in the models folder, or allow downloading models in Settings.',
  },
  Unauthorized: {
    title: 'Not authorised',
    hint: 'Open qckstrt from the link it printed when it started; the link carries an access token.',
  },
  Cancelled: { title: 'Cancelled', hint: 'Nothing was changed. Start again when you are ready.' },
  Internal: {
    title: 'Something went wrong',
    hint: 'Try again. If it keeps happening, restart qckstrt and check its log.',
  },
};

/**
 * Ask's own wording where the failing thing is its Ollama server rather than the library's stores
 * or embedding model (the core's message names Ollama and says what to run or set).
 */
const ASK_COPY: Partial<Record<ErrorKind, { title: string; hint: string }>> = {
  ProviderUnavailable: {
    title: 'Ollama is not answering',
    hint: 'Ask writes answers with a local Ollama server; search works without it.',
  },
  ModelUnavailable: {
    title: 'The answer model is not installed',
    hint: 'Pull it with the command above, then ask again.',
  },
};

/** Where an error happened, when that changes what the user should do about it. */
export type ErrorContext = 'ask';

export function isKnownKind(kind: string): kind is ErrorKind {
  return Object.prototype.hasOwnProperty.call(COPY, kind);
}

/** Maps an error (from a Result or from a failed job, whose kind is a plain string) to UI copy. */
export function toUserError(error: { kind: string; message: string }, context?: ErrorContext): UserError {
  const message = error.message?.trim() || 'No details were given.';
  if (isKnownKind(error.kind)) {
    const askCopy = context === 'ask' && /ollama/i.test(message) ? ASK_COPY[error.kind] : undefined;
    return { kind: error.kind, message, ...(askCopy ?? COPY[error.kind]) };
  }
  return { kind: 'Unknown', message, title: 'Something went wrong', hint: COPY.Internal.hint };
}

/** Builds an error shape for failures that happen in the renderer itself. */
export function localError(kind: ErrorKind, message: string): KbErrorShape {
  return { kind, message };
}
